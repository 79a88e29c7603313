"""bench/forecast_backtest.py: several --data files, each reported on its own and all pooled, with one line per
council (the bench's argument handling and output; the methods themselves are tested in test_core_forecast*)."""

from __future__ import annotations

import importlib
import re
import statistics
import sys
from pathlib import Path

import pytest


def bench():
    """The bench as a module (the bench folder is not a package)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    return importlib.import_module("forecast_backtest")


def write_file(path: Path, councils: dict[str, float]) -> Path:
    """Five financial years (April 2010 – March 2015) of two units per council, seasonal with noise."""
    rows = ["council,month,organisational_unit,amount_gbp,payments"]
    for council, level in councils.items():
        for y in range(2010, 2016):
            for m in range(1, 13):
                if (y == 2010 and m < 4) or (y == 2015 and m > 3):
                    continue
                for unit, factor in (("Adults", 1.0), ("Roads", 0.4)):
                    noise = 1 + ((y * 31 + m * 7 + len(unit)) % 13 - 6) / 100
                    bonus = 1.3 if m == 6 else 1.0
                    rows.append(f"{council},{y}-{m:02d},{unit},{level * factor * bonus * noise:.2f},10")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    first = write_file(folder / "first.csv", {"alpha": 100_000.0, "beta": 50_000.0})
    second = write_file(folder / "second.csv", {"gamma": 80_000.0})
    fb = bench()
    outcomes = {p.name: fb.backtest(fb.read_councils(p, 4)) for p in (first, second)}
    return fb, first, second, outcomes


def output(fb, capsys, *argv: str) -> str:
    assert fb.main(list(argv)) == 0
    return capsys.readouterr().out


def test_each_file_then_all_pooled_with_a_line_per_council(run, capsys):
    fb, first, second, _ = run
    text = output(fb, capsys, "--data", str(first), "--data", str(second))
    sections = re.split(r"^## ", text, flags=re.M)
    assert [s.splitlines()[0] for s in sections[1:]] == ["first.csv", "second.csv", "all 2 files pooled"]
    councils = [re.findall(r"^council=(\w+) ", s, flags=re.M) for s in sections[1:]]
    assert councils == [["alpha", "beta"], ["gamma"], ["alpha", "beta", "gamma"]]
    for section in sections[1:]:
        assert re.search(r"^suggested_total_m6=\S+ best_naive_total_m6=\S+ suggested_units_m6=\S+ "
                         r"best_naive_units_m6=\S+ ratio_total=\S+ ratio_units=\S+$", section.strip(), flags=re.M)
        line = re.search(r"^council=\w+ (.*)$", section, flags=re.M).group(1)
        keys = [part.split("=")[0] for part in line.split()]
        assert keys == ["ratio_total_m6", "ratio_units_m6", "ratio_total_m3", "ratio_units_m3", "ratio_total_m9",
                        "ratio_units_m9", "interval_total_m6", "interval_units_m6"]


def test_several_files_after_one_flag_are_the_same_as_one_flag_each(run, capsys):
    fb, first, second, _ = run
    after_one = output(fb, capsys, "--data", str(first), str(second)).split("\n", 1)[1]  # without the timing line
    one_each = output(fb, capsys, "--data", str(first), "--data", str(second)).split("\n", 1)[1]
    assert after_one == one_each and after_one.count("\n## ") == 3


def test_the_pooled_figures_are_the_files_rows_together(run, capsys):
    fb, first, second, outcomes = run
    text = output(fb, capsys, "--data", str(first), str(second))
    pooled = text.split("## all 2 files pooled")[1]
    # the pooled month-6 median of the run-rate at unit level, computed from the two files' own rows
    rows = outcomes["first.csv"].errors["units", "run_rate", 6] + outcomes["second.csv"].errors["units", "run_rate", 6]
    row = next(line for line in pooled.splitlines() if line.startswith("| run_rate |"))
    assert row.split("|")[6].strip() == f"{statistics.median(rows):.2f}"
    counts = next(line for line in pooled.splitlines() if line.startswith("| *n"))
    assert counts.split("|")[6].strip() == str(len(rows))


def test_a_council_ratio_uses_only_its_own_rows(run):
    fb, _, _, outcomes = run
    outcome = outcomes["first.csv"]
    names = outcome.members["units", 6]
    rows = [i for i, n in enumerate(names) if n.startswith("beta/")]
    errors = outcome.errors
    best = min(statistics.median([errors["units", m, 6][i] for i in rows]) for m in fb.NAIVE)
    expected = statistics.median([errors["units", "suggested", 6][i] for i in rows]) / best
    line = next(text for text in fb.council_lines(outcome) if text.startswith("council=beta "))
    assert f"ratio_units_m6={expected:.3f}" in line


def test_bad_arguments_are_refused(run, capsys):
    fb, first, _, _ = run
    for argv in (["--data"], ["--suggest", "oracle"], ["--reconcile", "top_down"]):
        with pytest.raises(SystemExit) as stop:
            fb.main(["--data", str(first), *argv] if argv[0] != "--data" else argv)
        assert stop.value.code == 2
    capsys.readouterr()


def test_also_prints_another_columns_council_lines_and_last_line_first(run, capsys):
    fb, first, _, outcomes = run
    text = output(fb, capsys, "--data", str(first), "--also", "last_year")
    tagged = [line for line in text.splitlines() if line.startswith("[last_year] ")]
    assert [line.split()[1] for line in tagged] == ["council=alpha", "council=beta", tagged[-1].split()[1]]
    # last year against the best naive method, which it is one of: the ratio is 1 or more, and its median is printed
    errors = outcomes["first.csv"].errors["units", "last_year", 6]
    assert f"suggested_units_m6={statistics.median(errors):.2f}" in tagged[-1]
    assert text.strip().splitlines()[-1].startswith("suggested_total_m6=")
