"""Golden tests: the goal, key-result and balancing tables of the model report, cell by cell, and its findings.

Expected values are the reference transcription of the published report (reference/tables), not anything
the code produced. Only the kind of space character is normalised (the transcription has plain spaces where the
report prints no-break spaces). The fast test goes content files -> report model -> CSV renderer in memory; the
slow one reads what `katsaus demo` (`make demo`) wrote.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from doc_tools import REFERENCE as REFERENCE_ROOT
from doc_tools import demo_documents

from katsaus.config import load_config_dir
from katsaus.config.content import load_content
from katsaus.core.content import attach_content
from katsaus.core.model import Conventions, Report
from katsaus.core.periods import Period
from katsaus.render.content_tables import write_content_tables

ROOT = Path(__file__).parents[1]
REFERENCE = REFERENCE_ROOT / "tables"
DEMO = ROOT / "configs" / "demo"
TABLES = ("toiminnalliset_tavoitteet.csv", "avaintulokset.csv", "tasapainottamistoimenpiteet.csv")


def spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def mismatches(expected: list[list[str]], got: list[list[str]]) -> list[tuple]:
    cells = [
        (i, expected[0][j], e, g)
        for i, (erow, grow) in enumerate(zip(expected, got))
        for j, (e, g) in enumerate(zip(erow, grow))
        if spaces(e) != spaces(g)
    ]
    shapes = [(i, len(e), len(g)) for i, (e, g) in enumerate(zip(expected, got)) if len(e) != len(g)]
    return cells + shapes + ([("rows", len(expected), len(got))] if len(expected) != len(got) else [])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    config = load_config_dir(DEMO)
    content = load_content([DEMO / "content", DEMO / "narratives"], config)
    bare = Report("Kanta-Hämeen hyvinvointialue", "PESOVA", "Perhe-, sosiaali- ja vammaispalveluiden toimiala", Period(2025, 6), "osavuosikatsaus", Conventions(), ())
    report = attach_content(bare, content, config.organisation, config.scheme(), config.template())
    out = tmp_path_factory.mktemp("content")
    write_content_tables(report, out)
    return out


@pytest.mark.parametrize("name", TABLES)
def test_content_tables_match_the_model_report_cell_by_cell(rendered, name):
    assert mismatches(read_rows(REFERENCE / name), read_rows(rendered / name)) == []


def test_the_wording_overrides_are_the_four_listed(rendered):
    """Every other printed cell comes from rules, numbers and measures; these four could not (see the TOML)."""
    text = (DEMO / "content" / "toiminnalliset-tavoitteet.toml").read_text(encoding="utf-8")
    wordings = [line.split("=", 1)[1].strip().strip('"') for line in text.splitlines() if line.startswith("wording = ")]
    assert wordings == ["Toteutui", "06/25 toteuma 49% (3 352 vrk)", "Toteutunut 45,5 % (39 012 vrk)", "Nousua 10 % (808 as.)"]


# --- what `make demo` writes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    return demo_documents(tmp_path_factory)  # `katsaus demo --out`, once for the whole run (tests/doc_tools.py)


# (severity, rule, unit, row) of every finding of the model report 1–6/2025 (the report's verdicts: docs/checks.md)
DEMO_FINDINGS = [
    ("info", "derived_line", "PESOVA", ""),
    ("info", "derived_line", "PESOVA-SP", ""),
    ("info", "parent_children", "PESOVA", ""),
    ("info", "goal_status", "PESOVA-LS", "Sosiaalityöntekijöiden mitoitus"),
    ("error", "goal_status", "PESOVA-VP", "Vammaispalveluiden asumisen palvelutuotanto, omien yksiköiden asumisvuorokaudet"),
    ("warning", "goal_status", "PESOVA-VP", "Henkilökohtaisen avun asiakasmäärä"),
    ("warning", "goal_status", "PESOVA-SP", "Ryhmämuotoinen työskentely oman tuotannon osalta: kotouttavat ryhmät"),
    ("warning", "goal_status", "PESOVA-SP", "Ryhmämuotoinen työskentely oman tuotannon osalta: sosiaalinen kuntoutus"),
    ("info", "goal_status", "PESOVA-SP", "Kuntouttavan työtoiminnan asiakasmäärä (oma toiminta, ostopalvelu)"),
    ("warning", "key_result", "PESOVA-LS", ""),
    ("warning", "same_measure", "", "perhehoito_osuus"),
    ("info", "narrative_number", "PESOVA", "katsaus"),
    ("info", "narrative_number", "PESOVA-LS", "katsaus"),
    ("warning", "narrative_claim", "PESOVA", "katsaus"),
    ("warning", "missing", "PESOVA-LS", "Sosiaalityöntekijöiden mitoitus"),
] + [("warning", "missing", unit, "") for unit in ("PESOVA-PK", "PESOVA-SP", "PESOVA-PK", "PESOVA-LS", "PESOVA-LS", "PESOVA-LS")]


def deviations_over_threshold() -> set[tuple[str, str]]:
    """(unit code, line label) of each line the model report prints whose forecast differs from its budget by more
    than the demo template's thresholds (3 % of the budget and 500 000 €), computed from the reference transcription
    of the statement table (its MTA I − TPE column, in 1000 €): each line once per unit, as the unit page asks."""
    import tomllib

    template = tomllib.loads((DEMO / "template.toml").read_text(encoding="utf-8"))["template"]
    percent, euros = template["deviation_threshold_percent"], template["deviation_threshold_euros"]
    organisation = tomllib.loads((DEMO / "organisation.toml").read_text(encoding="utf-8"))
    codes = {u["name_fi"]: u["code"] for u in organisation["units"]}

    def thousands(text: str) -> int:
        return int(spaces(text).replace(" ", "") or 0)

    found = set()
    with (REFERENCE / "tuloslaskelma.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            budget, deviation = thousands(row["mta"]), thousands(row["mta_minus_tpe"])
            if abs(deviation) * 1000 > euros and budget and abs(deviation) * 100 > percent * abs(budget):
                found.add((codes[row["unit"]], row["line"]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", TABLES)
def test_make_demo_writes_the_content_tables_of_the_model_report(demo_out, name):
    assert mismatches(read_rows(REFERENCE / name), read_rows(demo_out / "tables" / name)) == []


@pytest.mark.slow
def test_make_demo_checks_the_whole_model_report(demo_out):
    findings = json.loads((demo_out / "tarkistukset.json").read_text(encoding="utf-8"))["findings"]
    got = [(f["severity"], f["rule"], f["unit"], "" if f["table"] == "avaintulokset" else f["row"]) for f in findings
           if f["rule"] != "deviation_explanation"]
    assert got == DEMO_FINDINGS
    unexplained = {(f["unit"], f["row"]) for f in findings if f["rule"] == "deviation_explanation"}
    assert unexplained == deviations_over_threshold()
    assert all(f["severity"] == "warning" for f in findings if f["rule"] == "deviation_explanation")
    assert findings[9]["row"] == "Lastensuojelun avohuollon asiakasmäärä vähenee."
    # the division's finance narrative states four figures by hand; all four agree with the report model
    assert not any(f["rule"] == "narrative_number" and f["row"] == "talous" for f in findings)
    vp = next(f for f in findings if f["severity"] == "error")
    assert vp["expected"] == "47,8\u00a0% (tarkasti 47,7503\u00a0%)" and vp["found"] == "Toteutunut 45,5 % (39 012 vrk)"
    page = (demo_out / "kertomukset.html").read_text(encoding="utf-8")
    assert page.count("<section>") == 10 and "-76,1 miljoonaa euroa" in page
