"""Benchmark: build the published documents (HTML, PDF, Word, Excel) of a synthetic county of N result areas.

    .venv/bin/python bench/report_build.py [--areas 5 50] [--keep DIR] [--package-only] [--demo-db DB]

The county is the demo configuration's scheme and template (configs/demo) over a generated organisation: one
division with N result areas, each with three cost centres, a seasonal ledger for the previous year and months
1–6 of this year, a budget and a forecast per unit and line, and a three-paragraph narrative per unit. Everything
is in memory (core.facts.MemoryFacts): the times are the document pipeline's own, not the database's.

For each N it prints the seconds of each stage (report model, chart series, document model, the charts drawn once as SVG and PNG,
HTML, PDF, Word, Excel, the open-data package), the total, and the PDF's pages; the last line compares the totals.
`--package-only --areas 5 300` times only the report model and its data package, to compare how they grow;
`--demo-db out/katsaus-demo.sqlite3` times the demo's data package from the demo database.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from katsaus.config import load_config_files  # noqa: E402
from katsaus.core.document import build_document  # noqa: E402
from katsaus.core.facts import Balance, MemoryFacts, PlanAmount, PlanVersion  # noqa: E402
from katsaus.core.org import CostCentre, OrgTree, Unit  # noqa: E402
from katsaus.core.periods import Period  # noqa: E402
from katsaus.core.series import build_series  # noqa: E402
from katsaus.core.statement import build_report  # noqa: E402

DEMO = ROOT / "configs" / "demo"
# account -> yearly euros of an average result area, in ledger sign (costs +, revenues -)
ACCOUNTS = {
    "300000": 2_000_000, "320000": -900_000, "330000": -300_000, "340000": -400_000,
    "400000": 9_000_000, "410000": 2_500_000, "430000": 12_000_000, "450000": 400_000,
    "470000": 1_500_000, "490000": 900_000, "610000": 2_000,
}
SEASON = [1.0, 0.95, 1.0, 1.0, 1.05, 1.6, 1.3, 0.8, 1.0, 1.0, 1.0, 1.3]  # June holiday pay, July substitutes


def organisation(areas: int) -> OrgTree:
    units = [Unit("DIV", "Synteettinen toimiala", name_sv="Syntetisk sektor")]
    centres = []
    for i in range(1, areas + 1):
        code = f"A{i:02d}"
        units.append(Unit(code, f"Tulosalue {i}", "DIV", f"Resultatområde {i}"))
        centres += [CostCentre(f"{i:02d}{k}", f"Kustannuspaikka {i}.{k}", code) for k in range(3)]
    return OrgTree("SYN", "Synteettinen hyvinvointialue", tuple(units), tuple(centres), "Syntetiskt välfärdsområde")


def facts(org: OrgTree, seed: int = 7) -> MemoryFacts:
    rng = random.Random(seed)
    balances = []
    for centre in org.cost_centres:
        scale = rng.uniform(0.3, 1.5) / 3
        for year, months in ((2024, 12), (2025, 6)):
            for month in range(1, months + 1):
                for account, yearly in ACCOUNTS.items():
                    if not yearly:
                        continue
                    euros = yearly * scale * SEASON[month - 1] / 12 * rng.uniform(0.9, 1.1)
                    balances.append(Balance(year, month, centre.code, account, False, round(euros * 100)))
    versions = [
        PlanVersion("TA 2024", "budget", 2024, date(2023, 12, 1)),
        PlanVersion("TA 2025", "budget", 2025, date(2024, 12, 1)),
        PlanVersion("TPE 2025", "forecast", 2025, date(2025, 7, 10)),
    ]
    amounts = []
    for centre in org.cost_centres:
        for account, yearly in ACCOUNTS.items():
            for version, factor in (("TA 2024", 0.97), ("TA 2025", 1.0), ("TPE 2025", 1.02)):
                # plans are in statement sign: revenues +, costs -
                amounts.append(PlanAmount(version, round(-yearly * factor * 100 / 3), cost_centre=centre.code, account=account))
    return MemoryFacts(balances, versions, amounts)


PARAGRAPH = (
    "Tulosalueen toiminta on edennyt suunnitellusti. Henkilöstön saatavuus on pysynyt kohtuullisena, ja ostopalveluja "
    "on vähennetty oman tuotannon kustannuksella. Kesäkuun lomapalkat näkyvät kertymässä, ja heinäkuun sijaiskulut "
    "nostavat kuluja vielä ennen syksyä. "
)


def with_narratives(report, org: OrgTree, scheme, template):
    """A three-paragraph narrative per unit, when the narrative model is there (core.content)."""
    try:
        from katsaus.core.content import Content, attach_content
        from katsaus.core.narrative import Narrative
    except ImportError:
        return report
    period = Period(report.period_year, report.period_month)
    narratives = tuple(
        Narrative(unit.code, period, "katsaus", "\n\n".join([PARAGRAPH * 3] * 3), position=i)
        for i, unit in enumerate(org.units)
    )
    return attach_content(report, Content(narratives=narratives), org, scheme, template)


def build(areas: int, out: Path) -> dict[str, float]:
    from katsaus.render.charts import render_charts
    from katsaus.render.docx import write_docx
    from katsaus.render.html import write_html
    from katsaus.render.pdf import write_pdf
    from katsaus.render.xlsx_report import write_xlsx_report

    config = load_config_files(sorted(DEMO.glob("*.toml")))
    template = config.template()
    scheme = config.scheme()
    org = organisation(areas)
    data = facts(org)
    times: dict[str, float] = {}

    def timed(stage: str, function, *args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        times[stage] = time.perf_counter() - start
        return result

    report = timed("report model", build_report, org, scheme, template, Period(2025, 6), "DIV", data)
    report = with_narratives(report, org, scheme, template)
    series = timed("chart series", build_series, org, scheme, template, report, data)
    document = timed("document model", build_document, report, template, series)
    charts = timed("charts", render_charts, document, ("svg", "png"))  # once, as `katsaus report` draws them
    timed("HTML", write_html, document, out / "katsaus.html", charts)
    pdf = timed("PDF", write_pdf, document, out / "katsaus.pdf", charts)
    timed("Word", write_docx, document, out / "katsaus.docx", charts)
    timed("Excel", write_xlsx_report, document, out / "katsaus.xlsx")
    from katsaus.core.checks import run_checks

    findings = timed("checks", run_checks, report)
    timed("data package", write_package, report, org, scheme, out, findings)
    from pypdf import PdfReader

    times["pages"] = len(PdfReader(str(pdf)).pages)
    times["figures"] = len(charts)
    return times


def write_package(report, org: OrgTree, scheme, out: Path, findings=()) -> tuple[Path, Path]:
    """The open-data package as `katsaus report --format datapackage` makes it from the report and its check
    findings: built, its values validated, its folder and zip written (docs/open-data.md)."""
    from katsaus.render.opendata import PackageMeta, build_package, write_datapackage

    package = build_package(report, org, scheme, PackageMeta("syn-osavuosikatsaus-1-6-2025"), findings)
    return write_datapackage(package, out / "datapackage")


def build_package_only(areas: int, out: Path) -> dict[str, float]:
    """The report model, its checks and its data package alone: how the package grows against the report."""
    from katsaus.core.checks import run_checks

    config = load_config_files(sorted(DEMO.glob("*.toml")))
    template, scheme, org = config.template(), config.scheme(), organisation(areas)
    data = facts(org)
    times: dict[str, float] = {}
    start = time.perf_counter()
    report = build_report(org, scheme, template, Period(2025, 6), "DIV", data)
    report = with_narratives(report, org, scheme, template)
    times["report model"] = time.perf_counter() - start
    start = time.perf_counter()
    findings = run_checks(report)
    times["checks"] = time.perf_counter() - start
    start = time.perf_counter()
    folder, _ = write_package(report, org, scheme, out, findings)
    times["data package"] = time.perf_counter() - start
    times["figures"] = sum(1 for _ in (folder / "figures.csv").open(encoding="utf-8")) - 1
    return times


def package_growth(areas: list[int]) -> None:
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        build_package_only(min(areas), Path(tmp))  # warm-up: imports and first-call caches are not the package's
    for n in areas:
        with tempfile.TemporaryDirectory() as tmp:
            runs[n] = build_package_only(n, Path(tmp))
        t = runs[n]
        print(f"{n} result areas ({int(t['figures'])} figure rows): report model {t['report model']:.2f} s, "
              f"checks {t['checks']:.2f} s, data package (build, validate, write folder + zip) {t['data package']:.2f} s")
    (small, a), (large, b) = min(runs.items()), max(runs.items())
    print(f"growth {small} -> {large} areas ({large / small:.0f}x): report model {b['report model'] / a['report model']:.1f}x, "
          f"checks {b['checks'] / a['checks']:.1f}x, data package {b['data package'] / a['data package']:.1f}x")


def demo_package(database: Path) -> None:
    """The demo's package from its database (`make demo` builds out/katsaus-demo.sqlite3), as the command makes
    it: stored content attached, checks run, imports listed, folder and zip written; three runs."""
    import os

    os.environ["KATSAUS_DB"] = str(database)
    from katsaus.cli import stored_config
    from katsaus.render.opendata import write_datapackage
    from katsaus.services.open_data import report_package

    config = stored_config()  # starts Django: the store can be imported only after it
    from katsaus.store.repository import DbFacts

    template = config.template()
    start = time.perf_counter()
    model = build_report(config.organisation, config.scheme(template.scheme), template, Period(2025, 6), "PESOVA", DbFacts())
    print(f"demo report model: {time.perf_counter() - start:.2f} s")
    for run in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            package = report_package(model, config, template)
            write_datapackage(package, Path(tmp) / "p")
            print(f"demo data package, run {run + 1}: {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, nargs="+", default=[5, 50])
    parser.add_argument("--keep", type=Path, help="write the documents here (default: a temporary directory)")
    parser.add_argument("--package-only", action="store_true",
                        help="only the report model and its open-data package (e.g. --areas 5 300)")
    parser.add_argument("--demo-db", type=Path, help="time the demo's data package from this database instead")
    args = parser.parse_args()
    if args.demo_db:
        demo_package(args.demo_db)
        return
    if args.package_only:
        package_growth(args.areas)
        return
    totals = {}
    for areas in args.areas:
        with tempfile.TemporaryDirectory() as tmp:
            out = args.keep / f"areas-{areas}" if args.keep else Path(tmp)
            out.mkdir(parents=True, exist_ok=True)
            times = build(areas, out)
        stages = {k: v for k, v in times.items() if k not in ("pages", "figures")}
        totals[areas] = sum(stages.values())
        print(f"{areas} result areas: {int(times['figures'])} charts, {int(times['pages'])} PDF pages")
        for stage, seconds in stages.items():
            print(f"  {stage:<16} {seconds:7.2f} s")
        print(f"  {'total':<16} {totals[areas]:7.2f} s")
    if len(totals) > 1:
        (small, t_small), (large, t_large) = min(totals.items()), max(totals.items())
        per_area = (t_large - t_small) / (large - small)
        print(f"growth: {t_small:.1f} s at {small} areas, {t_large:.1f} s at {large}: {per_area:.2f} s per added result area "
              f"({t_large / t_small:.1f}x the time for {large / small:.0f}x the areas)")


if __name__ == "__main__":
    main()
