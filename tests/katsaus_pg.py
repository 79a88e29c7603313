"""A throwaway PostgreSQL server for the test suite (a pytest plugin) and for ad-hoc runs.

Why a plugin and not conftest.py: pytest-django imports the Django settings in its
``pytest_load_initial_conftests`` hook, i.e. *before* any conftest.py is imported, and
``katsaus.store.settings`` reads ``KATSAUS_DB`` at import time. So the server must be
running and ``KATSAUS_DB`` set before that hook; only a plugin loaded with ``-p`` can
wrap it. ``make test`` does::

    PYTHONPATH=tests .venv/bin/pytest -p katsaus_pg --postgres -m db

(``KATSAUS_TEST_POSTGRES=1`` works instead of ``--postgres``; with pytest-xdist's ``-n 2`` the controller starts
the one server and each worker gets a test database of its own on it.) The server is a fresh
cluster in a temporary directory (data dir, Unix socket, log), listening on 127.0.0.1
and a free port, with trust authentication; it is stopped and its directory removed
in ``pytest_unconfigure``, on Ctrl-C/SIGTERM, at interpreter exit, and -- should the
pytest process be killed outright -- by a small watchdog process.

As root, ``initdb`` and ``pg_ctl`` run as the ``postgres`` user (``runuser -u postgres``),
since PostgreSQL refuses to run as root.

Ad-hoc use, e.g. the demo against PostgreSQL::

    .venv/bin/python tests/katsaus_pg.py -- .venv/bin/katsaus demo --out out
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ENV_FLAG = "KATSAUS_TEST_POSTGRES"
DB_ENV = "KATSAUS_DB"
DB_NAME = "katsaus"
SETTINGS_MODULE = "katsaus.store.settings"


class PostgresError(RuntimeError):
    pass


def find_bindir() -> Path:
    """The directory holding initdb/pg_ctl: $KATSAUS_PG_BINDIR, else the newest Debian
    /usr/lib/postgresql/*/bin, else whatever initdb is on PATH."""
    if os.environ.get("KATSAUS_PG_BINDIR"):
        return Path(os.environ["KATSAUS_PG_BINDIR"])
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if candidates:
        def version(p: str) -> tuple[int, ...]:
            return tuple(int(x) for x in re.findall(r"\d+", Path(p).parent.parent.name))
        return Path(max(candidates, key=version)).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresError(
        "PostgreSQL server binaries (initdb) not found: install the Debian package `postgresql` "
        "(scripts/install-system-deps.sh test) or set KATSAUS_PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _subreaper():
    """While pg_ctl starts the server, make this process the Linux "child subreaper", so
    the postmaster, orphaned when pg_ctl exits, becomes our child instead of init's. We
    can then reap it on stop, rather than leave a zombie for an init that may be slow to
    reap (as in some containers/VMs). A no-op where prctl is unavailable."""
    libc = None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
            libc = None
    except (OSError, AttributeError):
        libc = None
    try:
        yield
    finally:
        if libc is not None:
            libc.prctl(36, 0, 0, 0, 0)


_WATCHDOG = r"""
import os, shutil, signal, subprocess, sys, time
parent, pg_ctl, data, tmp = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
prefix = sys.argv[5:]
signal.signal(signal.SIGINT, signal.SIG_IGN)
while os.path.isdir(tmp):
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        subprocess.run(prefix + [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                       cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)
        break
    time.sleep(0.5)
"""


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory. Use as a context manager or
    call start()/stop(); stop() is idempotent and safe after a failed start()."""

    def __init__(self, dbname: str = DB_NAME, bindir: Path | None = None):
        self.dbname = dbname
        self.bindir = bindir
        self.tmp: Path | None = None
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._running = False
        self._watchdog: subprocess.Popen | None = None
        self._postmaster: int | None = None
        self._owner = os.getpid()

    # -- paths and commands -------------------------------------------------------------
    @property
    def data(self) -> Path:
        assert self.tmp is not None
        return self.tmp / "data"

    @property
    def log(self) -> Path:
        assert self.tmp is not None
        return self.tmp / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.dbname}"

    def _prefix(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", "postgres", "--"]

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return env

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        assert self.tmp is not None
        cmd = self._prefix() + list(args)
        proc = subprocess.run(cmd, cwd=self.tmp, env=self._env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise PostgresError(
                f"{shlex.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}{self._log_tail()}"
            )
        return proc

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()[-20:]
        except OSError:
            return ""
        return "\n--- postgres.log ---\n" + "\n".join(lines)

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> PostgresServer:
        t0 = time.monotonic()
        bindir = self.bindir or find_bindir()
        self.tmp = Path(tempfile.mkdtemp(prefix="katsaus-pg-"))
        try:
            if os.geteuid() == 0:
                pw = pwd.getpwnam("postgres")  # KeyError -> no postgres user: package missing
                # The postgres user must reach the directory: every parent needs o+x.
                for parent in self.tmp.parents:
                    if not os.stat(parent).st_mode & stat.S_IXOTH:
                        raise PostgresError(f"{parent} is not searchable by the postgres user; "
                                            "set TMPDIR to a directory it can reach (e.g. /tmp)")
                os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
            self._run(str(bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
            opts = " ".join([
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={shlex.quote(str(self.tmp))}",
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            ])
            for attempt in range(5):  # the free port may be taken before postgres binds it
                self.port = _free_port()
                try:
                    with _subreaper():
                        self._run(str(bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                                  "-w", "-t", "30", "-o", f"{opts} -p {self.port}", "start")
                    break
                except PostgresError:
                    if attempt == 4 or "already in use" not in self._log_tail():
                        raise
            self._running = True
            self._postmaster = self._postmaster_pid()
            self._start_watchdog(bindir)
            import psycopg

            with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                                 dbname="postgres", autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def _start_watchdog(self, bindir: Path) -> None:
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(bindir / "pg_ctl"),
             str(self.data), str(self.tmp), *self._prefix()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C to the terminal's process group does not reach it
        )

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if os.getpid() != self._owner:  # a forked child must not tear down the parent's server
            return
        try:
            if self._running:
                self._running = False
                bindir = self.bindir or find_bindir()
                try:
                    self._run(str(bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                              "-t", "30", "stop")
                except PostgresError:
                    self._kill_postmaster()
                if self._postmaster:  # reap it (our child thanks to _subreaper) so no zombie is left
                    with contextlib.suppress(ChildProcessError, OSError):
                        os.waitpid(self._postmaster, 0)
        finally:
            if self._watchdog is not None:
                self._watchdog.kill()
                self._watchdog.wait()
                self._watchdog = None
            if self.tmp is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = None

    def _kill_postmaster(self) -> None:
        pid = self._postmaster_pid() or self._postmaster
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- pytest plugin ------------------------------------------------------------------------
_server_key = pytest.StashKey[PostgresServer]()
_saved_env_key = pytest.StashKey["str | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("katsaus").addoption(
        "--postgres", action="store_true", default=False,
        help=f"run against a throwaway PostgreSQL server (also: {ENV_FLAG}=1)",
    )


def postgres_requested(config: pytest.Config) -> bool:
    ns = getattr(config, "known_args_namespace", None) or config.option
    if getattr(ns, "postgres", False):
        return True
    return os.environ.get(ENV_FLAG, "").lower() not in ("", "0", "false", "no")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args):
    # Runs around pytest-django's hook of the same name, which imports the settings.
    ns = early_config.known_args_namespace
    if postgres_requested(early_config) and _worker_of_a_server(early_config):
        pass  # an xdist worker: the controller's server (KATSAUS_DB), a database of its own (test_katsaus_gw0, ...)
    elif postgres_requested(early_config) and not (ns.help or ns.version):
        if SETTINGS_MODULE in sys.modules:
            raise pytest.UsageError(f"{SETTINGS_MODULE} was imported before the PostgreSQL server started")
        server = PostgresServer()
        atexit.register(server.stop)
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            def on_sigterm(signum, frame):  # let pytest unwind and call pytest_unconfigure
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                raise KeyboardInterrupt("SIGTERM")
            signal.signal(signal.SIGTERM, on_sigterm)
        server.start()
        early_config.stash[_server_key] = server
        early_config.stash[_saved_env_key] = os.environ.get(DB_ENV)
        os.environ[DB_ENV] = server.url
    try:
        return (yield)
    except BaseException:
        _stop(early_config)
        raise


def _worker_of_a_server(config: pytest.Config) -> bool:
    """An xdist worker (`pytest -n 2`) whose controller started the server: the workers inherit its KATSAUS_DB and
    share that one server; pytest-django gives each worker its own test database on it."""
    return bool(os.environ.get("PYTEST_XDIST_WORKER")) and os.environ.get(DB_ENV, "").startswith("postgresql://")


def _stop(config: pytest.Config) -> None:
    server = config.stash.get(_server_key, None)
    if server is None:
        return
    del config.stash[_server_key]
    server.stop()
    saved = config.stash.get(_saved_env_key, None)
    if saved is None:
        os.environ.pop(DB_ENV, None)
    else:
        os.environ[DB_ENV] = saved


def pytest_report_header(config: pytest.Config) -> list[str]:
    server = config.stash.get(_server_key, None)
    if server is None:
        return []
    return [f"postgresql: {server.url} in {server.tmp} (started in {server.startup_seconds:.2f} s)"]


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    _stop(config)


def postgres_server(config: pytest.Config) -> PostgresServer | None:
    """The server this plugin started for this pytest run, if any."""
    return config.stash.get(_server_key, None)


# -- ad-hoc command line ------------------------------------------------------------------
def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    with PostgresServer() as server:
        print(f"{DB_ENV}={server.url}  ({server.tmp}, started in {server.startup_seconds:.2f} s)",
              file=sys.stderr)
        if not argv:
            print("no command given; the server is stopped again", file=sys.stderr)
            return 0
        env = dict(os.environ, **{DB_ENV: server.url})
        try:
            return subprocess.call(argv, env=env)
        except KeyboardInterrupt:
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
