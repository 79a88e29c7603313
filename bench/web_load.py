"""Benchmark: 20 unit managers at once on the web application, gunicorn + PostgreSQL, on loopback.

    .venv/bin/python bench/web_load.py [--users 20] [--seconds 60] [--workers 3] [--threads 4]

A throwaway PostgreSQL server (tests/katsaus_pg.py) gets the demo county (the generated demo data loaded as
`katsaus demo` loads it), a reporting round for 2025-06 and N unit managers spread over the five result areas.
gunicorn serves katsaus.web.wsgi on 127.0.0.1. Each simulated manager (one thread, its own session) logs in and
then, until the time is up, loads their unit's page, saves their own narrative (taking the version the page
showed, as the editor does) and loads the server's minimal view (/health/: no database, no template), so the
baseline is measured on the same server in the same run under the same load.

Printed: p50/p95/max of each request kind, the ratio of the unit page's p95 to the minimal view's, failed
requests (any answer but the expected one), and lost saves: for each manager, the saves the server confirmed must
all be stored, and the narrative's current text must be the last one confirmed. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PERIOD = "2025-06"
UNITS = ("PESOVA-HALL", "PESOVA-PK", "PESOVA-LS", "PESOVA-VP", "PESOVA-SP")
PASSWORD = "bench-salasana-2025"


def manager_name(i: int) -> str:
    return f"bench-{i:02d}"


# --- the database: demo county, round, managers (run in a child process with Django set up) ------------------


def prepare_database(users: int) -> None:
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command
    from rich.console import Console

    from katsaus.demo.generate import generate
    from katsaus.demo.pipeline import DEMO_CONFIG, PUBLISHED, load_everything
    from katsaus.services import rounds
    from katsaus.services import users as user_service

    call_command("migrate", verbosity=0, interactive=False)
    with tempfile.TemporaryDirectory(prefix="web-load-data-") as folder:
        generate(PUBLISHED, DEMO_CONFIG, Path(folder))
        load_everything(DEMO_CONFIG, Path(folder), Console(stderr=True, quiet=True))
    for i in range(users):
        user_service.add_user(manager_name(i), PASSWORD, [("unit_manager", UNITS[i % len(UNITS)])], "bench")
    the_round = rounds.open_round(PERIOD, date(2025, 8, 15), "bench", list(UNITS))
    print(json.dumps({"round": the_round.pk}))


def stored_saves(users: int) -> None:
    """Per manager: how many versions their narrative has and its current text (JSON on stdout)."""
    import django

    django.setup()
    from katsaus.store.models import Narrative

    out = {}
    for i in range(users):
        rows = Narrative.objects.filter(period=PERIOD, section=manager_name(i)).order_by("id")
        out[manager_name(i)] = {"versions": rows.count(), "text": rows.last().markdown if rows else None}
    print(json.dumps(out))


def django_child(url: str, *args: str) -> str:
    env = {**os.environ, "KATSAUS_DB": url, "DJANGO_SETTINGS_MODULE": "katsaus.web.settings"}
    result = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


# --- the simulated managers -----------------------------------------------------------------------------------


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


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a save answers 302: measured as itself, not followed
        return None


class Manager:
    def __init__(self, server: str, name: str, unit: str, round_id: int, tally: Tally) -> None:
        self.server, self.name, self.unit, self.tally = server, name, unit, tally
        self.page = f"/rounds/{round_id}/units/{unit}/"
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)
        self.saved = 0

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.server + path, data=body)
        if body is not None:
            request.add_header("X-CSRFToken", self.csrf())
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        return status, text, time.perf_counter() - start

    def log_in(self) -> None:
        self.request("/login/")
        status, _, _ = self.request("/login/", {"username": self.name, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"{self.name} could not log in: {status}")

    def step(self) -> None:
        status, html, seconds = self.request(self.page)
        self.tally.record("unit page", seconds)
        if status != 200:
            return self.tally.fail(f"{self.name} unit page {status}")
        version = re.search(rf'name="n-{self.name}-base_version" value="(\d*)"', html)
        text = f"{self.name}: tallennus {self.saved + 1} – toimintakate {{{{ luku: . / toimintakate / tot }}}}."
        status, _, seconds = self.request(self.page + f"texts/{self.name}/", {
            f"n-{self.name}-markdown": text, f"n-{self.name}-base_version": version.group(1) if version else ""})
        self.tally.record("save", seconds)
        if status != 302:
            return self.tally.fail(f"{self.name} save {status}")
        self.saved += 1
        self.tally.confirmed.setdefault(self.name, []).append(text)
        status, _, seconds = self.request("/health/")
        self.tally.record("minimal view", seconds)
        if status != 200:
            self.tally.fail(f"{self.name} minimal view {status}")

    def run(self, until: float) -> None:
        while time.perf_counter() < until:
            self.step()


# --- the run ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(server: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(server + "/health/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(tally: Tally, stored: dict, args, elapsed: float) -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; gunicorn {args.workers} workers × {args.threads} threads; "
          f"{args.users} managers for {elapsed:.0f} s")
    print(f"{'request':<14}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, times in tally.times.items():
        print(f"{kind:<14}{len(times):>7}{percentile(times, .5) * 1000:>10.1f}{percentile(times, .95) * 1000:>10.1f}"
              f"{max(times, default=float('nan')) * 1000:>10.1f}")
    ratio = percentile(tally.times["unit page"], .95) / percentile(tally.times["minimal view"], .95)
    print(f"unit page p95 / minimal view p95: {ratio:.1f}×")
    lost = [name for name, texts in tally.confirmed.items()
            if stored[name]["versions"] != len(texts) or stored[name]["text"] != texts[-1]]
    print(f"failed requests: {len(tally.failures)}" + (f" ({tally.failures[:5]})" if tally.failures else ""))
    print(f"saves confirmed: {sum(len(t) for t in tally.confirmed.values())}; lost saves: {len(lost)} {lost or ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--child", choices=("prepare", "stored"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "prepare":
        return prepare_database(args.users)
    if args.child == "stored":
        return stored_saves(args.users)

    sys.path.insert(0, str(ROOT / "tests"))
    from katsaus_pg import PostgresServer

    server = PostgresServer().start()
    gunicorn = None
    try:
        round_id = json.loads(django_child(server.url, "--child", "prepare", "--users", str(args.users)))["round"]
        port = free_port()
        env = {**os.environ, "KATSAUS_DB": server.url, "DJANGO_SETTINGS_MODULE": "katsaus.web.settings",
               "KATSAUS_LOGIN_FAILURES": "1000"}
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "katsaus.web.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
             "--threads", str(args.threads), "--timeout", "120", "--log-level", "warning"], env=env)
        address = f"http://127.0.0.1:{port}"
        wait_for(address)
        tally = Tally()
        managers = [Manager(address, manager_name(i), UNITS[i % len(UNITS)], round_id, tally) for i in range(args.users)]
        for manager in managers:
            manager.log_in()
        start = time.perf_counter()
        until = start + args.seconds
        threads = [threading.Thread(target=m.run, args=(until,)) for m in managers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        stored = json.loads(django_child(server.url, "--child", "stored", "--users", str(args.users)))
        report(tally, stored, args, elapsed)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        server.stop()


if __name__ == "__main__":
    main()
