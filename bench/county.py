"""Benchmark: a county of a hundred units on PostgreSQL and gunicorn, as in production (issue 20, item 8).

    .venv/bin/python bench/county.py [--data /tmp/katsaus-county] [--rows-per-year 20000000] [--managers 50]
                                     [--seconds 180] [--profile] [--results FILE]
    .venv/bin/python bench/county.py --rows-per-year 200000 --managers 5 --seconds 20 --loads 10 --round-budget 120  # smoke

The county (bench/county_data.py: 4 divisions, 100 reporting units, 2 000 cost centres, the ledger of 2023–2025,
budgets, a forecast, goals, key results, balancing measures, narratives) is generated once into --data and
reused. A throwaway PostgreSQL server (tests/katsaus_pg.py) gets it through the `katsaus` command line, each
step a child process timed on its own; gunicorn serves katsaus.web.wsgi on 127.0.0.1 as README's production
line does (3 workers × 4 threads). Everything else goes through HTTP as a person's browser would. Measured,
each against a baseline of the same run (the machine is shared; `/proc/loadavg` is printed at every step):

  a. each year's `katsaus import ledger` against a bare DuckDB `read_csv … GROUP BY month, cost centre, account`
     of the same file (bench/ledger_import.py's baseline), the faster of two bare queries;
  b. one user on loopback: the unit page (a unit manager's own unit) and the round page (the controller), p95 of
     50 loads each, and the minimal view /health/ as the baseline. The app sends no Server-Timing header, so
     "server time" is the client's time to the response's last byte on loopback (no network, no browser);
  c. N unit managers (one per unit, every other reporting unit), each in its own session: load the unit page,
     pause 5 s (editing), save the unit's narrative with the version the page showed, follow the redirect to the
     page again, pause 5 s, … for --seconds; /health/ after each save as the baseline. Failed requests (any
     answer but the expected one) and lost saves (every confirmed save stored as a version, and the current
     text the last one confirmed) are counted;
  d. the round completed over HTTP (each unit saved and submitted, the director approving), then
     `katsaus publish` of the whole county (every format) timed as a child process.

With --profile, py-spy (pip install py-spy) samples the gunicorn workers during b and the publish command
during d; the functions where the time goes are printed (inclusive share of the samples inside a request).
The last line is `county: …` with every figure; --results writes them as JSON. Servers and databases are
removed at the end; the generated files stay in --data for the next run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import county_data  # noqa: E402
from ledger_import import baseline as bare_query  # noqa: E402  (the bare query of bench/ledger_import.py)
from web_load import free_port, wait_for  # noqa: E402

PASSWORD = "county-salasana-2025"
CONTROLLER = "county-controller"
DIRECTOR = "county-director"
PERIOD = county_data.PERIOD
SECTION = "katsaus"  # the narrative each manager edits (every unit has one, loaded from the content files)


def manager_name(i: int) -> str:
    return f"manager-{i:03d}"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}] {text}",
          flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def stats(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": round(percentile(values, .5) * 1000, 1),
            "p95_ms": round(percentile(values, .95) * 1000, 1),
            "max_ms": round(max(values, default=float("nan")) * 1000, 1),
            "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else float("nan")}


# --- katsaus's Python API: the ONLY calls into it (everything else is the `katsaus` CLI and HTTP) ----------------
# Run in a child process with Django set up on the bench's database. Re-check these after a refactor of src/.


def api_stored_texts(units: list[str]) -> None:
    """Per unit: how many versions its SECTION narrative of PERIOD has and the current text (JSON on stdout)."""
    import django

    django.setup()
    from katsaus.store.models import Narrative

    out = {}
    for code in units:
        rows = Narrative.objects.filter(unit_code=code, period=PERIOD, section=SECTION).order_by("id")
        out[code] = {"versions": rows.count(), "text": rows.last().markdown if rows else None}
    print(json.dumps(out))


def api_child(url: str, function: str, *args: str) -> str:
    env = {**os.environ, "KATSAUS_DB": url, "DJANGO_SETTINGS_MODULE": "katsaus.web.settings"}
    result = subprocess.run([sys.executable, __file__, "--api", function, *args], env=env, capture_output=True,
                            text=True, timeout=900)
    if result.returncode != 0:
        raise SystemExit(f"{function} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


# --- child processes: the katsaus CLI, timed ------------------------------------------------------------------


def timed_child(command: list[str], env: dict, profile_to: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and standard output of one child (its own rusage); output to files, not
    pipes. With profile_to, py-spy records it (samples in collapsed form, idle included)."""
    if profile_to is not None:
        command = [str(BIN / "py-spy"), "record", "--idle", "--subprocesses", "--nolineno", "--format", "raw", "-r", "50",
                   "-o", str(profile_to), "--", *command]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=errors, text=True, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        errors.seek(0)
        said, complaint = out.read(), errors.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({os.waitstatus_to_exitcode(status)}):\n{said}\n{complaint}")
    return seconds, usage.ru_maxrss / 1024, said


# --- HTTP ------------------------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a POST answers 302: measured as itself, then followed by hand
        return None


class Session:
    """One person's browser: its own cookies; each request timed to the last byte of the answer."""

    def __init__(self, server: str, name: str) -> None:
        self.server, self.name = server, name
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def request(self, path: str, data: dict | list | None = None, timeout: float = 900) -> tuple[int, str, float, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.server + path, data=body)
        if body is not None:
            request.add_header("X-CSRFToken", self.csrf())
            request.add_header("Referer", self.server + path)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, text, headers = response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            status, text, headers = exc.code, exc.read().decode(errors="replace"), dict(exc.headers)
        except OSError as exc:  # a reset or a timeout: a failed request
            status, text, headers = 0, str(exc), {}
        return status, text, time.perf_counter() - start, headers

    def log_in(self) -> None:
        self.request("/login/")
        status, _, _, _ = self.request("/login/", {"username": self.name, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"{self.name} could not log in: {status}")


def base_version(html: str) -> str | None:
    found = re.search(rf'name="n-{SECTION}-base_version" value="(\d*)"', html)
    return found.group(1) if found else None


# --- py-spy profiles -----------------------------------------------------------------------------------------


class Spy:
    """py-spy record on gunicorn's master and its workers while a phase runs (idle included, so that waiting
    for PostgreSQL counts; only samples inside a request view are summarised)."""

    def __init__(self, pid: int, out: Path) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--idle", "--nolineno",
             "--format", "raw", "-r", "50", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)

    def stop(self) -> None:
        import signal

        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def frame_name(frame: str) -> str:
    """'unit_report (katsaus/web/unit_page.py)' from py-spy's 'unit_report (/…/src/katsaus/web/unit_page.py)'."""
    match = re.match(r"(.*) \((.*)\)$", frame.strip())
    if not match:
        return frame.strip()
    function, path = match.groups()
    for marker in ("/src/", "/site-packages/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{function} ({path})"


def summarise(collapsed: Path, inside: str, top: int = 25) -> dict:
    """Inclusive share of each function among the samples whose stack passes through `inside` (e.g. the web
    views): each function counted once per sample. Also the leaf (self) shares."""
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    if not collapsed.exists():
        return {"samples": 0, "inclusive": [], "self": []}
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if inside not in stack or not count.isdigit():
            continue
        n = int(count)
        frames = [frame_name(f) for f in stack.split(";")]
        # keep from the first frame that is `inside` onwards (the request), drop the server's loop above it
        start = next(i for i, f in enumerate(frames) if inside in f)
        frames = frames[start:]
        total += n
        for name in set(frames):
            inclusive[name] += n
        leaves[frames[-1]] += n
    share = lambda c: [(name, round(100 * n / total, 1)) for name, n in c.most_common(top)] if total else []  # noqa: E731
    return {"samples": total, "inclusive": share(inclusive), "self": share(leaves)}


def print_profile(title: str, summary: dict, only_katsaus: bool = True) -> None:
    print(f"\nprofile: {title} ({summary['samples']} samples at 50 Hz inside requests; inclusive %, then self %)")
    for name, pct in summary["inclusive"]:
        if not only_katsaus or "katsaus/" in name or "django/db" in name or "psycopg" in name:
            print(f"  {pct:5.1f} %  {name}")
    print("  self:")
    for name, pct in summary["self"][:12]:
        print(f"  {pct:5.1f} %  {name}")


# --- the phases ------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: {"unit page": [], "save": [], "minimal view": []})
    failures: list[str] = field(default_factory=list)
    confirmed: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)


class Manager:
    """A unit manager: page, 5 s of editing, save with the version the page showed, the page again, …"""

    def __init__(self, server: str, name: str, unit: str, round_id: int, tally: Tally, pause: float) -> None:
        self.session = Session(server, name)
        self.name, self.unit, self.tally, self.pause = name, unit, tally, pause
        self.page = f"/rounds/{round_id}/units/{unit}/"
        self.saved = 0

    def load(self) -> str | None:
        status, html, seconds, _ = self.session.request(self.page)
        self.tally.record("unit page", seconds)
        if status != 200:
            self.tally.fail(f"{self.name} unit page {status}")
            return None
        return html

    def run(self, until: float, start_delay: float) -> None:
        time.sleep(start_delay)
        html = self.load()
        while time.perf_counter() + self.pause < until:
            time.sleep(self.pause)
            version = base_version(html) if html else None
            if version is None:  # the last page failed: load it again before saving
                html = self.load()
                continue
            text = (f"{self.unit}: tallennus {self.saved + 1} ({self.name}). Toimintakate 1–6/2025 on "
                    f"{{{{ luku: . / toimintakate / tot | milj }}}} miljoonaa euroa.")
            status, _, seconds, headers = self.session.request(
                self.page + f"texts/{SECTION}/", {f"n-{SECTION}-markdown": text, f"n-{SECTION}-base_version": version})
            self.tally.record("save", seconds)
            if status != 302:
                self.tally.fail(f"{self.name} save {status}")
            else:
                self.saved += 1
                with self.tally.lock:
                    self.tally.confirmed.setdefault(self.unit, []).append(text)
            status, _, seconds, _ = self.session.request("/health/")
            self.tally.record("minimal view", seconds)
            if status != 200:
                self.tally.fail(f"{self.name} minimal view {status}")
            html = self.load()  # the redirect's target, as the browser follows it
            if time.perf_counter() + self.pause >= until:
                break


def open_round(controller: Session, units: list[str]) -> int:
    controller.request("/rounds/new/")
    status, text, _, headers = controller.request("/rounds/new/", [
        ("period", PERIOD), ("template", "osavuosikatsaus"), ("deadline", "2025-08-15"), *(("units", u) for u in units)])
    location = headers.get("Location", "")
    found = re.search(r"/rounds/(\d+)/", location)
    if status != 302 or not found:
        raise SystemExit(f"the round could not be opened: {status} {location}\n{text[:2000]}")
    return int(found.group(1))


def one_user(server: str, path: str, session: Session | None, loads: int, budget: float) -> tuple[list[float], int]:
    """Sequential loads of one page (p95 of `loads`), stopped early when `budget` seconds are spent; a load that
    takes longer than the whole budget is abandoned (its time is then recorded as the budget, and failed)."""
    times, failed = [], 0
    client = session or Session(server, "anonymous")
    started = time.perf_counter()
    for _ in range(loads):
        status, _, seconds, _ = client.request(path, timeout=budget)
        times.append(seconds)
        failed += status != 200
        if time.perf_counter() - started > budget:
            break
    return times, failed


def complete_round(server: str, round_id: int, units: list[str], managers: dict[str, Session],
                   controller: Session, director: Session) -> dict:
    """Every unit of the round: a short closing text saved (a section of its own, "yhteenveto", new, so no
    version is needed and no page is loaded: a cold unit page costs seconds at this scale, measured apart) and
    submitted by its manager (else the controller), then approved by the director (the root's director)."""
    failures, times = [], []
    for code in units:
        who = managers.get(code, controller)
        page = f"/rounds/{round_id}/units/{code}/"
        for session, path, data in (
                (who, page + "texts/yhteenveto/", {"n-yhteenveto-markdown": f"{code}: raportti valmis.",
                                                   "n-yhteenveto-base_version": ""}),
                (who, page + "submit/", {}), (director, page + "approve/", {})):
            status, _, seconds, _ = session.request(path, data)
            times.append(seconds)
            if status != 302:
                failures.append(f"{code} {path.rsplit('/', 2)[-2]} {status}")
    return {"posts": times, "failures": failures}


# --- the run ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/katsaus-county"), help="where the county's files are kept")
    parser.add_argument("--rows-per-year", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--managers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--pause", type=float, default=5.0, help="a manager's pause between requests (s)")
    parser.add_argument("--loads", type=int, default=50, help="one user's loads of each page")
    parser.add_argument("--round-budget", type=float, default=600,
                        help="stop loading the round page after this many seconds (fewer than --loads then)")
    parser.add_argument("--cold-units", type=int, default=10, help="other units whose first load is timed")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--profile", action="store_true", help="py-spy the workers in b and the publish in d")
    parser.add_argument("--results", type=Path, help="write every figure as JSON here")
    parser.add_argument("--keep-server", action="store_true", help="leave PostgreSQL and gunicorn running (Ctrl-C ends)")
    parser.add_argument("--profile-import", action="store_true",
                        help="only: import the first two years into a fresh database, the second under py-spy")
    parser.add_argument("--api", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.api:
        return {"stored_texts": api_stored_texts}[args.api[0]](args.api[1:])
    if args.profile_import:
        return profile_import(args)

    results: dict = {"machine": {"cpus": os.cpu_count(), "model": cpu_model(), "python": platform.python_version(),
                                 "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "loadavg_start": loadavg()},
                     "options": {k: str(v) for k, v in vars(args).items() if k != "api"}}
    log(f"machine: {results['machine']}")
    data = county_data.generate(args.data, args.rows_per_year, args.seed, log=log)
    info = json.loads((data / "county.json").read_text())
    results["county"] = {k: info[k] for k in ("units", "reporting_units", "cost_centres", "accounts",
                                              "centre_account_pairs", "narratives", "ledger_bytes")}
    compileall.compile_dir(ROOT / "src", quiet=1)  # as an installed package has it (bench/ledger_import.py)
    profiles = Path(tempfile.mkdtemp(prefix="county-profiles-"))

    from katsaus_pg import PostgresServer

    server = PostgresServer().start()
    gunicorn = None
    try:
        env = {**os.environ, "KATSAUS_DB": server.url, "KATSAUS_USER": CONTROLLER,
               "DJANGO_SETTINGS_MODULE": "katsaus.web.settings"}
        katsaus = [sys.executable, "-m", "katsaus"]
        steps: dict[str, float] = {}

        def cli(name: str, *command: str, stdin: str | None = None) -> float:
            if stdin is None:
                seconds, _, _ = timed_child([*katsaus, *command], env)
            else:
                started = time.perf_counter()
                done = subprocess.run([*katsaus, *command], env=env, input=stdin, text=True, capture_output=True)
                if done.returncode:
                    raise SystemExit(f"{command} failed:\n{done.stdout}\n{done.stderr}")
                seconds = time.perf_counter() - started
            steps[name] = round(seconds, 2)
            return seconds

        # --- loading, through the command line ---------------------------------------------------------------
        cli("user add controller", "user", "add", CONTROLLER, "--role", "controller", "--password-stdin", stdin=PASSWORD)
        cli("config load", "config", "load", str(data / "config"))
        log(f"configuration loaded ({steps['config load']:.1f} s)")
        imports = {}
        for year in county_data.YEARS:
            ledger = data / f"kirjanpito-{year}.csv"
            bare = [bare_query(ledger)]
            seconds, peak, said = timed_child([*katsaus, "import", "ledger", str(ledger)], env)
            bare.append(bare_query(ledger))
            imports[year] = {"import_s": round(seconds, 2), "bare_s": round(min(bare), 2), "bare_runs": [round(b, 2) for b in bare],
                             "ratio": round(seconds / min(bare), 2), "peak_mb": round(peak), "said": said.strip(),
                             "loadavg": loadavg()}
            log(f"import ledger {year}: {seconds:.2f} s, bare query {min(bare):.2f} s → ratio {seconds / min(bare):.2f} "
                f"(peak {peak:.0f} MB) — {said.strip()}")
        results["imports"] = imports
        versions = tomllib.loads((data / "versions.toml").read_text())["versions"]
        for v in versions:
            if v["kind"] == "budget":
                cli(f"import budget {v['name']}", "import", "budget", str(data / v["file"]), "--version", v["name"],
                    "--effective-date", str(v["date"]), "--decision", v["decision"])
            else:
                cli(f"import forecast {v['name']}", "import", "forecast", str(data / v["file"]), "--version", v["name"],
                    "--date", str(v["date"]), "--author", v["author"])
        cli("content load", "content", "load", str(data / "content"), str(data / "narratives"))
        log(f"plans and content loaded: {steps}")
        reporting = info["reporting"]
        managed = reporting[::2][: args.managers] if args.managers <= len(reporting) // 2 else reporting[: args.managers]
        started = time.perf_counter()
        cli("user add director", "user", "add", DIRECTOR, "--role", "director", "--unit", info["root"],
            "--password-stdin", stdin=PASSWORD)
        for i, unit in enumerate(managed):
            cli(f"user add {manager_name(i)}", "user", "add", manager_name(i), "--role", "unit_manager", "--unit", unit,
                "--password-stdin", stdin=PASSWORD)
        steps["user add (each)"] = round((time.perf_counter() - started) / (len(managed) + 1), 2)
        for i in range(len(managed)):
            steps.pop(f"user add {manager_name(i)}", None)
        results["steps_s"] = steps
        log(f"{len(managed) + 2} users added")

        # --- gunicorn as in production ------------------------------------------------------------------------
        port = free_port()
        address = f"http://127.0.0.1:{port}"
        web_env = {**env, "KATSAUS_LOGIN_FAILURES": "1000"}
        web_env.pop("KATSAUS_USER")

        def start_gunicorn() -> subprocess.Popen:
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "katsaus.web.wsgi:application", "-b", f"127.0.0.1:{port}", "-w",
                 str(args.workers), "--threads", str(args.threads), "--timeout", "900", "--graceful-timeout", "5",
                 "--log-level", "warning"], env=web_env)
            wait_for(address, seconds=120)
            return process

        gunicorn = start_gunicorn()
        controller = Session(address, CONTROLLER)
        controller.log_in()
        director = Session(address, DIRECTOR)
        director.log_in()
        round_units = [u["code"] for u in tomllib.loads((data / "config" / "organisation.toml").read_text())["units"]]
        round_id = open_round(controller, round_units)
        log(f"round #{round_id} open for {len(round_units)} units")

        # --- b. one user ---------------------------------------------------------------------------------------
        first = Session(address, manager_name(0))
        first.log_in()
        unit_path = f"/rounds/{round_id}/units/{managed[0]}/"
        round_path = f"/rounds/{round_id}/"
        one: dict = {}
        health, failed_h = one_user(address, "/health/", None, args.loads, 600)
        status, _, cold, _ = first.request(unit_path)
        one["unit page, first load"] = round(cold * 1000, 1)
        log(f"unit page, first load (nothing cached): {cold * 1000:.0f} ms")
        spy = Spy(gunicorn.pid, profiles / "unit.txt") if args.profile else None
        unit_times, failed_u = one_user(address, unit_path, first, args.loads, 600)
        if spy:
            spy.stop()
        log(f"unit page: p95 {stats(unit_times)['p95_ms']} ms of {len(unit_times)} loads")
        # the first load of other units (nothing of theirs cached), as the controller
        spy = Spy(gunicorn.pid, profiles / "unit-cold.txt") if args.profile else None
        cold_times = []
        for code in reporting[1::2][: args.cold_units]:
            status, _, seconds, _ = controller.request(f"/rounds/{round_id}/units/{code}/")
            cold_times.append(seconds)
            failed_u += status != 200
        if spy:
            spy.stop()
        one["unit page, first load of other units"] = stats(cold_times)
        log(f"unit page, first load of {len(cold_times)} other units: {stats(cold_times)}")
        spy = Spy(gunicorn.pid, profiles / "round.txt") if args.profile else None
        round_times, failed_r = one_user(address, round_path, controller, args.loads, args.round_budget)
        if spy:
            spy.stop()
        health2, _ = one_user(address, "/health/", None, args.loads, 600)
        health += health2
        one.update({"minimal view": stats(health), "unit page": stats(unit_times), "round page": stats(round_times),
                    "round page loads": [round(t, 1) for t in round_times],
                    "failed": failed_h + failed_u + failed_r, "loadavg": loadavg()})
        results["one_user"] = one
        log(f"one user: unit page p95 {one['unit page']['p95_ms']} ms ({len(unit_times)} loads), round page p95 "
            f"{one['round page']['p95_ms']} ms ({len(round_times)} loads: {one['round page loads']} s), "
            f"/health/ p95 {one['minimal view']['p95_ms']} ms")
        # a round page abandoned by the client still runs in its worker: start the server afresh
        gunicorn.terminate()
        gunicorn.wait(timeout=60)
        gunicorn = start_gunicorn()
        controller.log_in()
        director.log_in()

        # --- c. N managers -------------------------------------------------------------------------------------
        before = json.loads(api_child(server.url, "stored_texts", *managed))
        tally = Tally()
        crowd = [Manager(address, manager_name(i), unit, round_id, tally, args.pause) for i, unit in enumerate(managed)]
        sessions = {m.unit: m.session for m in crowd}
        log(f"{len(crowd)} managers log in")
        for m in crowd:
            m.session.log_in()
        load_start = loadavg()
        rng = random.Random(args.seed)
        started = time.perf_counter()
        until = started + args.seconds
        threads = [threading.Thread(target=m.run, args=(until, rng.uniform(0, args.pause))) for m in crowd]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        after = json.loads(api_child(server.url, "stored_texts", *managed))
        lost = [unit for unit, texts in tally.confirmed.items()
                if after[unit]["versions"] != before[unit]["versions"] + len(texts) or after[unit]["text"] != texts[-1]]
        crowd_result = {kind: stats(times) for kind, times in tally.times.items()}
        crowd_result.update({"managers": len(crowd), "seconds": round(elapsed), "failed": len(tally.failures),
                             "failures": tally.failures[:10],
                             "saves_confirmed": sum(len(t) for t in tally.confirmed.values()), "lost_saves": len(lost),
                             "lost": lost[:10], "loadavg_before": load_start, "loadavg_after": loadavg()})
        results["managers"] = crowd_result
        log(f"managers: unit page p95 {crowd_result['unit page']['p95_ms']} ms, failed {len(tally.failures)}, "
            f"saves {crowd_result['saves_confirmed']}, lost {len(lost)}")

        # --- d. the round completed, then publish --------------------------------------------------------------
        log("completing the round over HTTP")
        started = time.perf_counter()
        done = complete_round(address, round_id, round_units, sessions, controller, director)
        results["round_completion"] = {"seconds": round(time.perf_counter() - started),
                                       "save, submit, approve (each POST)": stats(done["posts"]),
                                       "failures": done["failures"][:10], "failed": len(done["failures"])}
        log(f"round completed: {results['round_completion']}")
        gunicorn.terminate()
        gunicorn.wait(timeout=60)
        gunicorn = None
        load_before = loadavg()
        seconds, peak, said = timed_child([*katsaus, "publish", "--period", PERIOD], env,
                                          profiles / "publish.txt" if args.profile else None)
        results["publish"] = {"seconds": round(seconds, 1), "peak_mb": round(peak), "said": said.strip()[-500:],
                              "loadavg_before": load_before, "loadavg_after": loadavg()}
        log(f"publish: {seconds:.1f} s, peak {peak:.0f} MB — {said.strip()[-300:]}")
        results["machine"]["loadavg_end"] = loadavg()

        if args.profile:
            results["profiles"] = {
                "unit page": summarise(profiles / "unit.txt", "views.py"),
                "unit page, first load": summarise(profiles / "unit-cold.txt", "views.py"),
                "round page": summarise(profiles / "round.txt", "views.py"),
                "publish": summarise(profiles / "publish.txt", "katsaus"),
            }
            for title, summary in results["profiles"].items():
                print_profile(title, summary)
            print(f"(raw py-spy samples in {profiles})")
        print_summary(results)
        if args.results:
            args.results.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        if args.keep_server:
            print(f"PostgreSQL at {server.url}; Ctrl-C ends")
            while True:
                time.sleep(60)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=60)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        server.stop()
        if not args.profile:
            shutil.rmtree(profiles, ignore_errors=True)


def profile_import(args) -> None:
    """Where a year's import goes at this scale: the configuration and the first year loaded, then the second
    year imported under py-spy (a second year, so that the checks against stored balances have work to do)."""
    from katsaus_pg import PostgresServer

    data = county_data.generate(args.data, args.rows_per_year, args.seed, log=log)
    compileall.compile_dir(ROOT / "src", quiet=1)
    server = PostgresServer().start()
    try:
        env = {**os.environ, "KATSAUS_DB": server.url, "KATSAUS_USER": CONTROLLER}
        katsaus = [sys.executable, "-m", "katsaus"]
        timed_child([*katsaus, "config", "load", str(data / "config")], env)
        first, second = county_data.YEARS[:2]
        seconds, _, _ = timed_child([*katsaus, "import", "ledger", str(data / f"kirjanpito-{first}.csv")], env)
        log(f"import {first}: {seconds:.1f} s")
        out = Path(tempfile.mkdtemp(prefix="county-import-profile-")) / "import.txt"
        seconds, _, _ = timed_child([*katsaus, "import", "ledger", str(data / f"kirjanpito-{second}.csv")], env, out)
        log(f"import {second} under py-spy: {seconds:.1f} s; bare query {bare_query(data / f'kirjanpito-{second}.csv'):.1f} s")
        summary = summarise(out, "katsaus")
        print_profile(f"import ledger {second}", summary, only_katsaus=False)
        print(f"(raw py-spy samples in {out})")
    finally:
        server.stop()


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def print_summary(r: dict) -> None:
    one, crowd = r["one_user"], r["managers"]
    ratios = " ".join(f"import_{y}={v['ratio']}" for y, v in r["imports"].items())
    print(f"\ncounty: {ratios} unit_p95_ms={one['unit page']['p95_ms']} round_p95_ms={one['round page']['p95_ms']} "
          f"health_p95_ms={one['minimal view']['p95_ms']} managers={crowd['managers']} "
          f"crowd_unit_p95_ms={crowd['unit page']['p95_ms']} failed={crowd['failed']} lost={crowd['lost_saves']} "
          f"saves={crowd['saves_confirmed']} publish_s={r['publish']['seconds']} load={r['machine']['loadavg_end']}")


if __name__ == "__main__":
    main()
