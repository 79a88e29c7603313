"""The demo-data generator: its files reproduce every printed cell of the model report's income statement.

The check here is deliberately independent of the generator: it reads the written CSV files with csv and
Decimal, maps accounts to lines with the scheme's prefix ranges and cost centres to units with the
organisation file (validity dates included), leaves out internal accounts, picks the plan versions from
versions.toml by the in-force rule, and formats 1000 € and one-decimal percentages itself.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from doc_tools import REFERENCE as REFERENCE_ROOT

from katsaus.demo.generate import generate

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = REFERENCE_ROOT / "tables" / "tuloslaskelma.csv"
CONFIG = ROOT / "configs" / "demo"
PERIOD_END = date(2025, 6, 30)
PREVIOUS_END = date(2024, 6, 30)
LEDGER_HEADER = ["pvm", "kustannuspaikka", "tili", "summa", "tosite", "selite"]
AMOUNT = re.compile(r"^-?(0|[1-9]\d*),\d\d$")
FI_DATE = re.compile(r"^([1-9]|[12]\d|3[01])\.([1-9]|1[0-2])\.\d{4}$")

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="the reference tables are not available")


# ------------------------------------------------------------------ independent reading of the configuration
def _toml(name: str) -> dict:
    return tomllib.loads((CONFIG / name).read_text(encoding="utf-8"))


def _matches(ranges: list[str], account: str) -> bool:
    for item in ranges:
        low, _, high = item.partition("-")
        high = high or low
        if low <= account[: len(low)] <= high:
            return True
    return False


@dataclass
class Config:
    org: dict
    scheme: dict
    template: dict

    @classmethod
    def load(cls) -> Config:
        return cls(_toml("organisation.toml"), _toml("scheme.toml"), _toml("template.toml"))

    def unit_code(self, name: str) -> str:
        return next(u["code"] for u in self.org["units"] if u["name_fi"] == name)

    def line_code(self, label: str) -> str:
        for table in self.template["template"]["tables"]:
            for row in table["rows"]:
                if row.get("label") == label:
                    return row["line"]
        return next(ln["code"] for ln in self.scheme["lines"] if ln["name_fi"] == label)

    def units_under(self, code: str) -> set[str]:
        result = {code}
        for unit in self.org["units"]:
            if unit.get("parent") == code:
                result |= self.units_under(unit["code"])
        return result

    def leaf_lines(self, code: str) -> dict[str, int]:
        line = next(ln for ln in self.scheme["lines"] if ln["code"] == code)
        if "accounts" in line:
            return {code: 1}
        out: dict[str, int] = defaultdict(int)
        for item in line["sum_of"]:
            sign = -1 if item.startswith("-") else 1
            for leaf, coef in self.leaf_lines(item.lstrip("-")).items():
                out[leaf] += sign * coef
        return dict(out)

    def line_of(self, account: str) -> str:
        hits = [ln["code"] for ln in self.scheme["lines"] if "accounts" in ln and _matches(ln["accounts"], account)]
        assert len(hits) == 1, f"account {account} maps to {hits}"
        return hits[0]

    def internal(self, account: str) -> bool:
        return _matches(self.scheme["scheme"]["internal_accounts"], account)

    def unit_of(self, centre: str, day: date) -> str:
        for cc in self.org["cost_centres"]:
            if cc["code"] == centre and cc.get("valid_from", date.min) <= day <= cc.get("valid_to", date.max):
                return cc["unit"]
        raise AssertionError(f"cost centre {centre} is not valid on {day}")


# ------------------------------------------------------------------ independent reading of the output
@dataclass(frozen=True)
class Entry:
    day: date
    unit: str
    line: str
    internal: bool
    cents: int  # statement sign


def _cents(text: str) -> int:
    assert AMOUNT.match(text), f"not an amount in integer cents with a decimal comma: {text!r}"
    value = Decimal(text.replace(",", ".")) * 100
    assert value == value.to_integral_value()
    return int(value)


def read_ledger(path: Path, config: Config) -> list[Entry]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must be UTF-8 with BOM"
    entries = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        assert next(reader) == LEDGER_HEADER
        for pvm, centre, account, amount, document, text in reader:
            assert FI_DATE.match(pvm), pvm
            day = datetime.strptime(pvm, "%d.%m.%Y").date()
            assert document and text
            entries.append(Entry(day, config.unit_of(centre, day), config.line_of(account),
                                 config.internal(account), -_cents(amount)))
    return entries


def read_plan(path: Path) -> dict[tuple[str, str], int]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        assert next(reader) == ["yksikkö", "rivi", "summa"]
        return {(unit, line): _cents(amount) for unit, line, amount in reader}


def versions(out: Path) -> list[dict]:
    return tomllib.loads((out / "versions.toml").read_text(encoding="utf-8"))["versions"]


def in_force(out: Path, year: int, end: date) -> dict:
    budgets = [v for v in versions(out) if v["kind"] == "budget" and v["year"] == year
               and v["effective_date"] <= end]
    return max(budgets, key=lambda v: v["effective_date"])


def latest_forecast(out: Path, year: int) -> dict:
    return max((v for v in versions(out) if v["kind"] == "forecast" and v["year"] == year),
               key=lambda v: v["effective_date"])


# ------------------------------------------------------------------ independent presentation
def fmt_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    thousands = int((Decimal(cents) / Decimal(100_000)).quantize(Decimal(1), ROUND_HALF_UP))
    return f"{thousands:,}".replace(",", " ")


def fmt_pct(num: int | None, den: int | None) -> str:
    if not den or num is None:
        return "0,0 %"
    pct = (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{pct:.1f} %".replace(".", ",").replace("-0,0", "0,0")


# ------------------------------------------------------------------ the report, computed independently
@dataclass
class Figures:
    config: Config
    actual: dict[tuple[str, str], int]  # (unit, leaf line) -> cents, Jan..Jun 2025, external only
    present: set[tuple[str, str]]
    budget: dict[tuple[str, str], int]
    forecast: dict[tuple[str, str], int]

    def _sum(self, source: dict, unit: str, line: str) -> int:
        return sum(coef * source.get((u, leaf), 0) for u in self.config.units_under(unit)
                   for leaf, coef in self.config.leaf_lines(line).items())

    def tot(self, unit: str, line: str) -> int | None:
        keys = [(u, leaf) for u in self.config.units_under(unit) for leaf in self.config.leaf_lines(line)]
        return self._sum(self.actual, unit, line) if any(k in self.present for k in keys) else None

    def cells(self, unit: str, line: str) -> dict[str, str]:
        mta, tpe, tot = self._sum(self.budget, unit, line), self._sum(self.forecast, unit, line), self.tot(unit, line)
        return {"mta": fmt_amount(mta), "tot": fmt_amount(tot), "tot_pct": fmt_pct(tot, mta),
                "tpe": fmt_amount(tpe), "tpe_pct": fmt_pct(tpe, mta), "mta_minus_tpe": fmt_amount(mta - tpe)}


def figures(out: Path, config: Config, entries: list[Entry] | None = None, internal: bool = False) -> Figures:
    entries = entries if entries is not None else read_ledger(out / "kirjanpito-2025-01-06.csv", config)
    actual: dict[tuple[str, str], int] = defaultdict(int)
    present: set[tuple[str, str]] = set()
    for e in entries:
        if e.day <= PERIOD_END and (internal or not e.internal):
            actual[(e.unit, e.line)] += e.cents
            present.add((e.unit, e.line))
    budget = read_plan(out / in_force(out, 2025, PERIOD_END)["file"])
    forecast = read_plan(out / latest_forecast(out, 2025)["file"])
    return Figures(config, dict(actual), present, budget, forecast)


def reference_mismatches(fig: Figures) -> list[str]:
    config, problems = fig.config, []
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            unit, line = config.unit_code(record["unit"]), config.line_code(record["line"])
            for column, got in fig.cells(unit, line).items():
                want = record[column].replace("\u00a0", " ").strip()
                if got != want:
                    problems.append(f"{record['unit']} / {record['line']} / {column}: printed {want!r}, got {got!r}")
    return problems


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate(REFERENCE, CONFIG, folder)
    return folder


@pytest.fixture(scope="module")
def config() -> Config:
    return Config.load()


@pytest.fixture(scope="module")
def entries(out: Path, config: Config) -> list[Entry]:
    return read_ledger(out / "kirjanpito-2025-01-06.csv", config)


@pytest.fixture(scope="module")
def entries_2024(out: Path, config: Config) -> list[Entry]:
    return read_ledger(out / "kirjanpito-2024.csv", config)


# ------------------------------------------------------------------ tests
HISTORY = (2021, 2022, 2023)
EXPECTED_FILES = {
    *(f"kirjanpito-{year}.csv" for year in HISTORY), "kirjanpito-2024.csv", "kirjanpito-2025-01-06.csv", "talousarvio-TA-2024.csv", "talousarvio-TA-2025.csv",
    "talousarvio-MTA-I-2025.csv", "ennuste-TPE-2025.csv", "versions.toml",
}


def test_writes_the_expected_files(out: Path) -> None:
    assert {p.name for p in out.iterdir()} == EXPECTED_FILES


def test_every_printed_cell_is_reproduced(out: Path, config: Config, entries: list[Entry]) -> None:
    assert reference_mismatches(figures(out, config, entries)) == []


def test_the_check_detects_a_changed_amount(out: Path, config: Config, entries: list[Entry]) -> None:
    """The comparison can fail: 5 000 € more purchased services in disability services changes printed cells."""
    i = next(i for i, e in enumerate(entries) if e.unit == "PESOVA-VP" and e.line == "palvelujen_ostot")
    changed = list(entries)
    changed[i] = Entry(entries[i].day, entries[i].unit, entries[i].line, False, entries[i].cents - 500_000)
    problems = reference_mismatches(figures(out, config, changed))
    assert any("Vammaispalvelut / Toimintakulut / tot" in p for p in problems)


def test_empty_and_zero_cells_depend_on_entries(out: Path, config: Config, entries: list[Entry]) -> None:
    """'Valtion rahoitus' prints 0 only because entries net to 0; Korkotuotot prints empty only without rows."""
    without_state = [e for e in entries if e.line != "valtion_rahoitus"]
    assert any("Valtion rahoitus / tot: printed '0', got ''" in p
               for p in reference_mismatches(figures(out, config, without_state)))
    netting = [Entry(date(2025, 3, 3), "PESOVA-PK", "korkotuotot", False, c) for c in (1000, -1000)]
    assert any("Korkotuotot / tot: printed '', got '0'" in p
               for p in reference_mismatches(figures(out, config, entries + netting)))
    state = [e for e in entries if e.line == "valtion_rahoitus"]
    assert state and sum(e.cents for e in state) == 0


def test_internal_items_are_in_the_ledger_and_excluding_them_matters(out: Path, config: Config,
                                                                    entries: list[Entry]) -> None:
    internal = [e for e in entries if e.internal]
    assert len(internal) > 100
    assert abs(sum(e.cents for e in internal)) > 100_000_000  # over a million euros net
    assert reference_mismatches(figures(out, config, entries, internal=True)) != []


def test_prior_year_sentence(out: Path, config: Config, entries_2024: list[Entry]) -> None:
    """'Edellisenä vuonna vastaavana aikana toteuma oli -77,7 miljoonaa euroa ja toteumaprosentti 49,8 %'."""
    kate = config.leaf_lines("toimintakate")
    units = config.units_under("PESOVA")
    actual = sum(kate.get(e.line, 0) * e.cents for e in entries_2024
                 if e.day <= PREVIOUS_END and not e.internal and e.unit in units)
    budget_file = in_force(out, 2024, PREVIOUS_END)["file"]
    assert budget_file == "talousarvio-TA-2024.csv"
    budget = sum(kate.get(line, 0) * cents for (unit, line), cents in read_plan(out / budget_file).items()
                 if unit in units)
    millions = (Decimal(actual) / Decimal(100_000_000)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert f"{millions}".replace(".", ",") == "-77,7"
    assert fmt_pct(actual, budget) == "49,8 %"


def test_2024_is_plausible(out: Path, config: Config, entries: list[Entry], entries_2024: list[Entry]) -> None:
    kate, costs = config.leaf_lines("toimintakate"), config.leaf_lines("toimintakulut")

    def total(rows: list[Entry], lines: dict[str, int], months: int = 12) -> int:
        return sum(lines.get(e.line, 0) * e.cents for e in rows if e.day.month <= months and not e.internal)

    # costs in 1-6/2025 lower than in 1-6/2024 (costs are negative in statement sign)
    assert total(entries, costs, 6) > total(entries_2024, costs, 6)
    # the whole-year 2024 actual a bit over the TA 2024 budget
    ta = read_plan(out / "talousarvio-TA-2024.csv")
    budget = sum(kate.get(line, 0) * c for (_, line), c in ta.items())
    assert 1.0 < total(entries_2024, kate) / budget < 1.05
    # every result area has every operating line it budgets, with the budget's sign
    for (unit, line), cents in ta.items():
        if cents and line in kate:
            year = sum(e.cents for e in entries_2024 if (e.unit, e.line) == (unit, line) and not e.internal)
            assert year * cents > 0, (unit, line)


def test_earlier_years_are_a_growing_seasonal_history(out: Path, config: Config,
                                                      entries_2024: list[Entry]) -> None:
    """2021–2023 (the forecasts' history): every month, lower costs each year before 2024, the same seasons,
    the cost centres valid then, every result area × operating line of 2024 present with its sign."""
    costs = config.leaf_lines("toimintakulut")
    years = {year: read_ledger(out / f"kirjanpito-{year}.csv", config) for year in HISTORY}
    years[2024] = entries_2024

    def cost(rows: list[Entry], month: int | None = None) -> int:
        return -sum(costs.get(e.line, 0) * e.cents for e in rows
                    if not e.internal and (month is None or e.day.month == month))

    for year in HISTORY:
        rows = years[year]
        assert {(e.day.year, e.day.month) for e in rows} == {(year, m) for m in range(1, 13)}
        growth = cost(years[year + 1]) / cost(rows) - 1
        assert 0.03 < growth < 0.08, (year, growth)
        pay = {m: -sum(e.cents for e in rows if e.line == "palkat_ja_palkkiot" and e.day.month == m and not e.internal)
               for m in range(1, 13)}
        assert pay[6] > 1.3 * sum(pay[m] for m in range(2, 6)) / 4  # the June holiday bonus every year
        with (out / f"kirjanpito-{year}.csv").open(encoding="utf-8-sig", newline="") as handle:
            assert "553100" not in {row["kustannuspaikka"] for row in csv.DictReader(handle, delimiter=";")}
        then, now = by_unit_line(rows, costs), by_unit_line(entries_2024, costs)
        assert set(then) == set(now) and all(then[k] * now[k] > 0 for k in now)


def by_unit_line(rows: list[Entry], lines: dict[str, int]) -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for e in rows:
        if not e.internal and e.line in lines:
            totals[e.unit, e.line] += e.cents
    return {k: v for k, v in totals.items() if v}


def test_plan_files(out: Path, config: Config) -> None:
    units = [cc["unit"] for cc in config.org["cost_centres"]]
    leaves = [ln["code"] for ln in config.scheme["lines"] if "accounts" in ln]
    plans = {v["name"]: read_plan(out / v["file"]) for v in versions(out)}
    assert set(plans) == {"TA 2024", "TA 2025", "MTA I 2025", "TPE 2025"}
    for amounts in plans.values():
        assert set(amounts) == {(u, ln) for u in set(units) for ln in leaves}
        assert any(c == 0 for c in amounts.values())  # explicit zero rows
    assert plans["TA 2025"] != plans["MTA I 2025"]  # so picking the wrong version would show
    assert in_force(out, 2025, PERIOD_END)["name"] == "MTA I 2025"
    assert in_force(out, 2025, date(2025, 3, 31))["name"] == "TA 2025"
    tpe = latest_forecast(out, 2025)
    assert tpe["effective_date"] == date(2025, 7, 10) and tpe["author"] == "Talousasiantuntija (demo)"
    assert all(v.get("decision_ref") for v in versions(out) if v["kind"] == "budget")


def test_ledger_files_are_well_formed(out: Path, entries: list[Entry], entries_2024: list[Entry]) -> None:
    assert {(e.day.year, e.day.month) for e in entries_2024} == {(2024, m) for m in range(1, 13)}
    assert {(e.day.year, e.day.month) for e in entries} == {(2025, m) for m in range(1, 7)}
    for rows in (entries, entries_2024):
        per_month = defaultdict(int)
        for e in rows:
            per_month[e.day.month] += 1
        assert all(1000 <= n <= 5000 for n in per_month.values()), per_month
    text = (out / "kirjanpito-2025-01-06.csv").read_text(encoding="utf-8-sig")
    assert "e-" not in text and "E+" not in text and ".0;" not in text


def test_cost_centre_validity(out: Path) -> None:
    def centres(name: str) -> set[str]:
        with (out / name).open(encoding="utf-8-sig", newline="") as handle:
            return {row["kustannuspaikka"] for row in csv.DictReader(handle, delimiter=";")}

    assert "553000" in centres("kirjanpito-2024.csv") and "553100" not in centres("kirjanpito-2024.csv")
    assert "553100" in centres("kirjanpito-2025-01-06.csv") and "553000" not in centres("kirjanpito-2025-01-06.csv")


def test_seasonality(out: Path, entries_2024: list[Entry]) -> None:
    def month_total(line: str, month: int) -> int:
        return sum(e.cents for e in entries_2024 if e.line == line and e.day.month == month and not e.internal)

    pay = {m: -month_total("palkat_ja_palkkiot", m) for m in range(1, 13)}
    spring = sum(pay[m] for m in range(2, 6)) / 4
    assert pay[6] > 1.3 * spring  # holiday bonus (lomaraha) in June
    assert pay[7] > spring > pay[8]  # summer substitutes in July, holidays in August
    sales = {m: month_total("myyntituotot", m) for m in range(1, 13)}
    assert sales[1] < 0.8 * sum(sales[m] for m in range(2, 7)) / 5  # invoicing lag in January
    with (out / "kirjanpito-2024.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {r["pvm"].split(".")[1] for r in rows if r["tili"] == "401000"} == {"6"}  # lomarahat in June only


def test_deterministic(out: Path, tmp_path: Path) -> None:
    again = generate(REFERENCE, CONFIG, tmp_path)
    assert {p.name for p in again} == EXPECTED_FILES
    for path in again:
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_another_seed_changes_texture_not_figures(tmp_path: Path, config: Config) -> None:
    generate(REFERENCE, CONFIG, tmp_path, seed=7)
    assert reference_mismatches(figures(tmp_path, config)) == []
