"""The `katsaus` command end to end on the database: imports, report, export and their error handling."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from katsaus.cli import app

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).parents[1] / "configs" / "demo"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def loaded(db):
    """The demo configuration loaded by `katsaus config load`: the first time in a test process; after that its rows
    are put back (tests/db_snapshot.py)."""
    from db_snapshot import cached_state

    cached_state(("config load", str(DEMO)), lambda: load_config())


def load_config() -> None:
    assert run("config", "load", str(DEMO)).exit_code == 0


def said(result) -> str:
    """What the command printed (stdout and stderr), its lines joined as one: Rich wraps long lines."""
    return " ".join(result.output.split())


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


LEDGER = (
    "pvm;kustannuspaikka;tili;summa;tosite;selite\n"
    "5.1.2025;521000;400000;1000,00;P1;palkat\n"
    "5.1.2025;521000;320000;-250,50;M1;maksut\n"
    "7.2.2025;531000;430000;99,99;O1;ostot\n"
)
BUDGET = "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-12000\nPESOVA-PK;Maksutuotot;3000\nPESOVA-LS;palvelujen_ostot;-2400\n"


def test_import_report_and_export(loaded, tmp_path):
    assert run("import", "ledger", str(write(tmp_path / "l.csv", LEDGER))).exit_code == 0
    result = run("import", "budget", str(write(tmp_path / "b.csv", BUDGET)), "--version", "TA 2025", "--effective-date", "2024-12-10", "--decision", "AV § 1")
    assert result.exit_code == 0, result.output
    result = run("import", "forecast", str(write(tmp_path / "f.csv", BUDGET)), "--version", "TPE 2025", "--date", "2025-03-10", "--author", "Controller")
    assert result.exit_code == 0, result.output
    # the demo template also wants the previous year's budget
    assert run("import", "budget", str(write(tmp_path / "b24.csv", BUDGET)), "--version", "TA 2024").exit_code == 0
    out = tmp_path / "out"
    result = run("report", "--period", "2025-02", "--unit", "PESOVA", "--out", str(out), "--format", "csv,tables")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "tuloslaskelma.csv").open(encoding="utf-8")))
    pk = {r["line"]: r for r in rows if r["unit"] == "Perhekeskuspalvelut"}
    assert pk["Toimintakulut"]["tot"] == "-1" and pk["Toimintakulut"]["mta"] == "-12"  # 1 000 € of 12 000 €
    assert pk["Toimintakulut"]["tot_pct"] == "8,3\u00a0%"
    assert (out / "taulukot.xlsx").stat().st_size > 0
    # the documents of the top unit and of a unit below it can share a folder
    for unit in ("PESOVA", "PESOVA-PK"):
        result = run("report", "--period", "2025-02", "--unit", unit, "--out", str(out), "--format", "html")
        assert result.exit_code == 0, result.output
    assert {p.name for p in out.glob("*.html")} == {"osavuosikatsaus-1-2-2025.html", "osavuosikatsaus-1-2-2025-pesova-pk.html"}
    log = list(csv.DictReader(run("export", "imports").output.splitlines()))
    assert [(r["kind"], r["version"], r["file_name"], r["rows"]) for r in log] == [
        ("ledger", "", "l.csv", "3"), ("budget", "TA 2025", "b.csv", "3"), ("forecast", "TPE 2025", "f.csv", "3"), ("budget", "TA 2024", "b24.csv", "3"),
    ]
    assert all(len(r["sha256"]) == 64 and r["imported_by"] for r in log)
    exported = run("export", "balances", "--year", "2025").output.splitlines()
    assert exported == [
        "year,month,cost_centre,account,internal,cents",
        "2025,1,521000,320000,false,-25050",
        "2025,1,521000,400000,false,100000",
        "2025,2,531000,430000,false,9999",
    ]


def test_bad_ledger_lists_every_problem_and_exits_non_zero(loaded, tmp_path):
    bad = write(tmp_path / "bad.csv", LEDGER + "31.2.2025;521000;400000;1,00;X;x\n1.3.2025;999999;400000;abc;X;x\n")
    result = run("import", "ledger", str(bad))
    text = said(result)
    assert result.exit_code == 1
    assert "[value.date_impossible]" in text and "bad.csv, rivi 5, sarake 'pvm'" in text and "'31.2.2025'" in text, text
    assert "[ledger.cost_centre_unknown]" in text and "rivi 6, sarake 'kustannuspaikka'" in text and "'999999'" in text
    assert "[value.amount_invalid]" in text and "rivi 6, sarake 'summa'" in text and "'abc'" in text
    assert "ongelmia 3; tiedostoista bad.csv ei tallennettu mitään." in text
    assert run("export", "balances", "--year", "2025").output.strip() == "year,month,cost_centre,account,internal,cents"


def test_bad_budget_is_refused(loaded, tmp_path):
    result = run("import", "budget", str(write(tmp_path / "b.csv", "yksikkö;rivi;summa\nNOPE;palkat_ja_palkkiot;x\n")), "--version", "TA 2025")
    text = said(result)
    assert result.exit_code == 1 and "[plan.unit_unknown]" in text and "b.csv, rivi 2, sarake 'yksikkö'" in text, text
    assert "'NOPE'" in text


def test_version_without_year_needs_year(loaded, tmp_path):
    result = run("import", "budget", str(write(tmp_path / "b.csv", BUDGET)), "--version", "Talousarvio")
    text = said(result)
    assert result.exit_code == 1 and "[import.plan_year_missing]" in text and "kohta '--version'" in text, text
    assert "'Talousarvio'" in text and "tai valitsin --year" in text  # what to give


def test_report_errors_are_clear(loaded, tmp_path):
    text = said(result := run("report", "--period", "6/2025", "--unit", "PESOVA"))
    assert result.exit_code == 1 and "[period.invalid]" in text and "kohta '--period'" in text and "'6/2025'" in text, text
    assert "odotettiin esimerkiksi 2025-06" in text  # the form that is expected
    result = run("report", "--period", "2025-06", "--unit", "PESOVA", "--out", str(tmp_path))
    text = said(result)
    assert result.exit_code == 1 and "[report.version_missing]" in text, text
    assert "sarake mta tarvitsee talousarvioversion 'in_force' vuodelle 2025" in text  # which column wants which
    result = run("report", "--period", "2025-06", "--unit", "PESOVA", "--format", "odt")
    text = said(result)
    assert result.exit_code == 1 and "[report.format_unknown]" in text and "kohta '--format'" in text, text
    assert "'odt'" in text


def test_commands_without_configuration_say_what_to_do(db, tmp_path):
    from katsaus.intake.encoding import Checksum
    from katsaus.intake.ledger import _EarlyRead

    result = run("import", "ledger", str(write(tmp_path / "l.csv", LEDGER)))
    assert result.exit_code == 1 and "katsaus config load" in " ".join(result.output.split())
    # the file's scan and hash, begun before the database opened, were stopped with the refused command
    assert not _EarlyRead._pending and not Checksum._started


def plan_total(version: str) -> int:
    from katsaus.store import models

    return sum(models.PlanAmount.objects.current().filter(version__name=version).values_list("cents", flat=True))


def test_a_second_file_adds_to_a_version_only_where_it_has_nothing(loaded, tmp_path):
    """One file per division may make up a version; a second file for places the version already has (a
    corrected file under another name), at another level of detail, or with another date is refused: the
    report would add the two up."""
    first = write(tmp_path / "pk.csv", "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-12000\n")
    assert run("import", "budget", str(first), "--version", "TA 2025", "--effective-date", "2024-12-10").exit_code == 0
    other = write(tmp_path / "ls.csv", "yksikkö;rivi;summa\nPESOVA-LS;palvelujen_ostot;-2400\n")
    assert run("import", "budget", str(other), "--version", "TA 2025").exit_code == 0
    assert plan_total("TA 2025") == -14_400_00
    corrected = write(tmp_path / "pk-korjattu.csv", "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-13000\n")
    result = run("import", "budget", str(corrected), "--version", "TA 2025")
    text = said(result)
    assert result.exit_code == 1 and "[store.version_places_held]" in text, text
    assert "versiossa TA 2025 on jo luvut 1 näistä kohteista (esimerkiksi PESOVA-PK / palkat_ja_palkkiot) " \
        "tiedostosta pk.csv" in text  # how many places, one of them, and the file that has them
    by_centre = write(tmp_path / "kp.csv", "kustannuspaikka;tili;summa\n541000;440000;-500\n")
    result = run("import", "budget", str(by_centre), "--version", "TA 2025")
    text = said(result)
    assert result.exit_code == 1 and "[store.version_other_level]" in text and "versiossa TA 2025" in text, text
    dated = write(tmp_path / "vp.csv", "yksikkö;rivi;summa\nPESOVA-VP;palvelujen_ostot;-100\n")
    result = run("import", "budget", str(dated), "--version", "TA 2025", "--effective-date", "2025-01-15")
    text = said(result)
    assert result.exit_code == 1 and "[store.version_metadata_kept]" in text, text
    assert "10.12.2024" in text and "15.1.2025" in text  # the version's date, kept, and the one given
    assert plan_total("TA 2025") == -14_400_00  # nothing of the refused files
    # the same file again replaces its earlier import, as before
    write(tmp_path / "pk.csv", "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-13000\n")
    assert run("import", "budget", str(tmp_path / "pk.csv"), "--version", "TA 2025").exit_code == 0
    assert plan_total("TA 2025") == -15_400_00


def test_a_file_is_not_imported_into_a_version_of_the_forecast_round(loaded, tmp_path):
    result = run("forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK",
                 "--line", "palkat_ja_palkkiot", "--value", "-1", "--reason", "arvio")
    assert result.exit_code == 0, result.output
    forecast = write(tmp_path / "f.csv", "yksikkö;rivi;summa\nPESOVA-LS;palvelujen_ostot;-2400\n")
    result = run("import", "forecast", str(forecast), "--version", "TPE 6/2025")
    text = said(result)
    assert result.exit_code == 1 and "[store.version_holds_round_figures]" in text and "versiossa TPE 6/2025" in text, text
    assert plan_total("TPE 6/2025") == -1_00


def balances_csv(year: int) -> str:
    result = run("export", "balances", "--year", str(year), "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.output


def ledger(*rows: str) -> str:
    return "pvm;kustannuspaikka;tili;summa;tosite;selite\n" + "".join(f"{r};P;x\n" for r in rows)


def test_which_ledger_file_replaces_which(loaded, tmp_path):
    """The same content, or the same name for the same months, replaces an earlier import; the same name for
    other months is another export (export.csv every month) and is added; another file for balances already
    held is refused unless --add says it is a further part of those months."""
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    january = write(tmp_path / "a" / "export.csv", ledger("5.1.2025;521000;400000;10,00"))
    february = write(tmp_path / "b" / "export.csv", ledger("5.2.2025;521000;400000;20,00"))
    assert run("import", "ledger", str(january)).exit_code == 0
    assert run("import", "ledger", str(february)).exit_code == 0
    assert balances_csv(2025).splitlines()[1:] == ["2025,1,521000,400000,false,1000", "2025,2,521000,400000,false,2000"]
    resaved = tmp_path / "tammikuu.csv"  # the same rows saved again (Windows line ends) under a new name
    resaved.write_bytes(ledger("5.1.2025;521000;400000;10,00").replace("\n", "\r\n").encode())
    result = run("import", "ledger", str(resaved))  # would count January twice
    text = said(result)
    assert result.exit_code == 1 and "[store.ledger_overlap] tammikuu.csv:" in text, text
    assert "kuukausisaldoista 1 on jo ladattu tiedostosta export.csv (esimerkiksi 1/2025, kustannuspaikka 521000, " \
        "tili 400000)" in text  # how many, from which file, and one of them
    corrected = write(tmp_path / "a" / "export.csv", ledger("5.1.2025;521000;400000;11,00"))
    assert "(korvasi saman tiedoston aiemman tuonnin)" in said(run("import", "ledger", str(corrected)))
    sub_ledger = write(tmp_path / "ostoreskontra.csv", ledger("6.1.2025;521000;400000;5,00"))
    assert run("import", "ledger", "--add", str(sub_ledger)).exit_code == 0
    assert balances_csv(2025).splitlines()[1:] == ["2025,1,521000,400000,false,1600", "2025,2,521000,400000,false,2000"]


def test_a_report_past_the_ledger_says_which_months_are_missing(loaded, tmp_path):
    assert run("import", "ledger", str(write(tmp_path / "l.csv", LEDGER))).exit_code == 0
    assert run("import", "budget", str(write(tmp_path / "b.csv", BUDGET)), "--version", "TA 2025",
               "--effective-date", "2024-12-10").exit_code == 0
    assert run("import", "budget", str(write(tmp_path / "b24.csv", BUDGET)), "--version", "TA 2024").exit_code == 0
    assert run("import", "forecast", str(write(tmp_path / "f.csv", BUDGET)), "--version", "TPE 2025").exit_code == 0
    result = run("report", "--period", "2025-04", "--unit", "PESOVA", "--out", str(tmp_path / "out"), "--format", "csv")
    text = said(result)
    assert result.exit_code == 0 and "varoitus [report.ledger_gap]" in text, text
    assert "vuoden 2025 kuukausilta 3, 4" in text  # which months of which year


# each refused option: its code, then the parts of the line that say which option, what it held and what is wanted
# (the ids are the tests' own names from before the messages became codes)
@pytest.mark.parametrize(
    "options, expected",
    [
        pytest.param(("--version", "TA 2026", "--year", "2025"),
                     ("[import.plan_year_differs]", "kohta '--year'", "vuoteen 2026", "'2025'"),
                     id="options0-the version name ends in 2026"),
        pytest.param(("--version", "Talousarvio", "--year", "20250"),
                     ("[import.plan_year_range]", "kohta '--year'", "vuosi 1900–2100", "'20250'"),
                     id="options1-not a year"),
        pytest.param(("--version", "TA 2025", "--sign", "foo"),
                     ("[import.plan_sign_unknown]", "kohta '--sign'", "statement, ledger", "'foo'"),
                     id="options2-unknown sign rule; expected statement or ledger"),
        pytest.param(("--version", "TA 2025", "--effective-date", "2030-12-31"),
                     ("[import.plan_date_range]", "kohta '--effective-date'", "2024–2025", "'2030-12-31'"),
                     id="options3-a budget of 2025 is dated in 2024\u20132025"),
        # a year beyond 1900–2100 is no date at all now (before, 9999-12-31 was refused by the range of options3)
        pytest.param(("--version", "TA 2025", "--effective-date", "9999-12-31"),
                     ("[date.invalid]", "kohta '--effective-date'", "vuosi 1900–2100", "'9999-12-31'"),
                     id="options5-not a date"),
        pytest.param(("--version", "TA 2025 ",),
                     ("[store.version_name_invalid]", "'TA 2025 '"),
                     id="options4-may not be empty or begin or end with a space"),
    ],
)
def test_plan_import_options_are_checked(loaded, tmp_path, options, expected):
    result = run("import", "budget", str(write(tmp_path / "b.csv", BUDGET)), *options)
    text = said(result)
    assert result.exit_code == 1 and all(part in text for part in expected), result.output
    from katsaus.store import models

    assert not models.PlanAmount.objects.exists()


def test_a_budget_without_a_date_is_stored_with_a_warning(loaded, tmp_path):
    result = run("import", "budget", str(write(tmp_path / "b.csv", BUDGET)), "--version", "MTA II 2025")
    text = said(result)
    assert result.exit_code == 0 and "varoitus [import.plan_budget_undated] kohta '--effective-date'" in text, text
    assert "ei koskaan valitse sitä" in text  # the in-force column never takes it


def test_several_ledger_files_are_all_checked_before_any_is_stored(loaded, tmp_path):
    good = write(tmp_path / "ok.csv", ledger("5.4.2025;521000;400000;1,00"))
    unknown = write(tmp_path / "bad1.csv", ledger("5.3.2025;999999;400000;1,00"))
    undated = write(tmp_path / "bad2.csv", ledger("35.5.2025;521000;400000;1,00"))
    result = run("import", "ledger", str(good), str(unknown), str(undated))
    text = said(result)
    assert result.exit_code == 1 and "[ledger.cost_centre_unknown]" in text, text
    assert "bad1.csv, rivi 2, sarake 'kustannuspaikka'" in text and "'999999'" in text
    assert "[value.date_invalid]" in text and "bad2.csv, rivi 2, sarake 'pvm'" in text and "'35.5.2025'" in text
    assert "tiedostoista ok.csv, bad1.csv, bad2.csv ei tallennettu mitään" in text
    assert balances_csv(2025).splitlines()[1:] == []


def test_a_same_named_ledger_file_never_loses_months_it_does_not_cover(loaded, tmp_path):
    for folder in ("q1", "late", "main", "sub"):
        (tmp_path / folder).mkdir()
    first = write(tmp_path / "q1" / "export.csv", ledger("5.1.2025;521000;400000;1,00", "5.3.2025;521000;400000;3,00"))
    assert run("import", "ledger", str(first)).exit_code == 0
    later = write(tmp_path / "late" / "export.csv", ledger("5.3.2025;521000;400000;3,00", "5.4.2025;521000;400000;4,00"))
    result = run("import", "ledger", str(later))  # not a correction of the January–March file: it lacks January
    text = said(result)
    assert result.exit_code == 1 and "[store.ledger_overlap]" in text and "tiedostosta export.csv" in text, text
    assert [r.split(",")[1] for r in balances_csv(2025).splitlines()[1:]] == ["1", "3"]
    # two parts of one month under one name, in one command: refused, or added when --add says so
    main = write(tmp_path / "main" / "export.csv", ledger("5.6.2025;521000;400000;6,00"))
    sub = write(tmp_path / "sub" / "export.csv", ledger("6.6.2025;531000;430000;7,00"))
    result = run("import", "ledger", str(main), str(sub))
    text = said(result)
    assert result.exit_code == 1 and "[import.ledger_same_name_same_months]" in text, text
    assert "jälkimmäinen korvaisi ensimmäisen" in text  # the second would replace the first
    assert run("import", "ledger", "--add", str(main), str(sub)).exit_code == 0
    assert [r.split(",")[1] for r in balances_csv(2025).splitlines()[1:]] == ["1", "3", "6", "6"]


def test_plan_files_of_one_name_are_parts_unless_they_correct_the_same_places(loaded, tmp_path):
    (tmp_path / "d1").mkdir(), (tmp_path / "d2").mkdir()
    part1 = write(tmp_path / "d1" / "budget.csv", "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-1000\nPESOVA-PK;maksutuotot;100\n")
    part2 = write(tmp_path / "d2" / "budget.csv", "yksikkö;rivi;summa\nPESOVA-LS;palvelujen_ostot;-500\n")
    for part in (part1, part2):
        assert run("import", "budget", str(part), "--version", "TA 2025", "--effective-date", "2024-12-10").exit_code == 0
    assert plan_total("TA 2025") == -1_400_00  # one file per division, each called budget.csv
    corrected = write(tmp_path / "d1" / "budget.csv", "yksikkö;rivi;summa\nPESOVA-PK;palkat_ja_palkkiot;-1100\n")
    result = run("import", "budget", str(corrected), "--version", "TA 2025")
    text = said(result)
    assert result.exit_code == 0 and "varoitus [import.plan_places_dropped]" in text, text
    assert "tiedoston budget.csv aiemmassa tuonnissa oli lukuja 1 kohdalle" in text  # how many places it had
    assert plan_total("TA 2025") == -1_600_00  # the corrected division file replaced its own earlier import only
    monthly = write(tmp_path / "kk.csv", "yksikkö;rivi;kuukausi;summa\n" + "".join(
        f"PESOVA-LS;palvelujen_ostot;{m};-10\n" for m in range(1, 13)))
    result = run("import", "budget", str(monthly), "--version", "TA 2025")  # beside the yearly figure: twice
    text = said(result)
    assert result.exit_code == 1 and "[store.version_places_held]" in text and "on jo luvut 12 näistä kohteista" in text, text


def test_a_plan_file_never_replaces_figures_of_the_forecast_round(loaded, tmp_path):
    assert run("forecast", "set", "--version", "TPE 6/2025", "--period", "2025-06", "--unit", "PESOVA-PK", "--line",
               "palkat_ja_palkkiot", "--value", "-1", "--reason", "arvio").exit_code == 0
    named_like_the_write = write(tmp_path / "katsaus forecast set", "yksikkö;rivi;summa\nPESOVA-LS;palvelujen_ostot;-2400\n")
    result = run("import", "forecast", str(named_like_the_write), "--version", "TPE 6/2025")
    text = said(result)
    assert result.exit_code == 1 and "[store.version_holds_round_figures]" in text and "versiossa TPE 6/2025" in text, text
    assert plan_total("TPE 6/2025") == -1_00


def test_a_report_file_that_cannot_be_written_is_reported(loaded, tmp_path):
    assert run("import", "ledger", str(write(tmp_path / "l.csv", LEDGER))).exit_code == 0
    for name, version, extra in (("b.csv", "TA 2025", ("--effective-date", "2024-12-10")), ("b24.csv", "TA 2024", ()),
                                 ("f.csv", "TPE 2025", ())):
        assert run("import", "budget" if version.startswith("TA") else "forecast", str(write(tmp_path / name, BUDGET)),
                   "--version", version, *extra).exit_code == 0
    (tmp_path / "out" / "tuloslaskelma.csv").mkdir(parents=True)  # a folder where the table should go
    result = run("report", "--period", "2025-02", "--unit", "PESOVA", "--out", str(tmp_path / "out"), "--format", "csv")
    text = said(result)
    assert result.exit_code == 1 and "[report.file_unwritable] kohta '--out'" in text and "Is a directory" in text, text
    assert f"'{tmp_path / 'out' / 'tuloslaskelma.csv'}'" in text and "raportti jäi kesken" in text  # which file; not done


def test_user_add_and_list(loaded):
    result = runner.invoke(app, ["--user", "admin", "user", "add", "anna", "--role", "unit_manager", "--unit",
                                 "PESOVA-PK", "--role", "reader", "--password-stdin"], input="salasana-123\n")
    assert result.exit_code == 0, result.output
    assert "anna: lukija, yksikön esihenkilö PESOVA-PK" in result.output  # reader, unit_manager of PESOVA-PK
    listed = run("user", "list")
    assert listed.exit_code == 0 and "anna: lukija, yksikön esihenkilö PESOVA-PK" in listed.output
    refused = runner.invoke(app, ["user", "add", "bertta", "--role", "director", "--password-stdin"], input="salasana-123\n")
    assert refused.exit_code == 1 and "[user.role_needs_unit] kohta '--unit'" in said(refused), refused.output
    assert "bertta" not in run("user", "list").output
    short = runner.invoke(app, ["user", "add", "bertta", "--role", "reader", "--password-stdin"], input="lyhyt\n")
    assert short.exit_code == 1 and "[user.password_length]" in said(short), short.output
    assert "odotettiin 8–200 merkkiä" in said(short)  # the length wanted


def test_publish_prints_the_key_version_and_checksums(loaded, tmp_path):
    import hashlib

    from katsaus.store.models import PublishedFile

    assert run("import", "ledger", str(write(tmp_path / "l.csv", LEDGER))).exit_code == 0
    for version in ("TA 2024", "MTA I 2025", "TPE 2025"):
        kind = "forecast" if version.startswith("TPE") else "budget"
        assert run("import", kind, str(write(tmp_path / "b.csv", BUDGET)), "--version", version).exit_code == 0
    result = run("--user", "kontrolleri", "publish", "--period", "2025-06", "--public")
    assert result.exit_code == 0, result.output
    assert "julkaistiin omahame/osavuosikatsaus/2025-06 versio 1 (julkinen)" in result.output  # key, version, public
    for stored in PublishedFile.objects.all():
        assert f"sha256 {hashlib.sha256(bytes(stored.content)).hexdigest()}" in result.output
    again = run("publish", "--period", "2025-06")
    text = said(again)
    assert again.exit_code == 1 and "[publish.nothing_to_correct]" in text, text
    assert "raportin omahame/osavuosikatsaus/2025-06 versio 1 sanoo jo täsmälleen tämän" in text
