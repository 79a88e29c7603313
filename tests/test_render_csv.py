"""The CSV renderers against exact file text, from a small report built by hand."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from doc_tools import REFERENCE as REFERENCE_ROOT
from model_fixtures import COLUMNS, a, r

from katsaus.core.model import Column, Conventions, Report, Row, Table
from katsaus.core.periods import Period
from katsaus.render.csv_tables import write_csv_figures, write_csv_tables
from katsaus.render.messages import problem_line

NBSP = "\u00a0"
REFERENCE = REFERENCE_ROOT / "tables" / "tuloslaskelma.csv"


DEFAULT = Conventions()


def report(tables: tuple[Table, ...], conv: Conventions = DEFAULT) -> Report:
    return Report(
        organisation="Oma Häme",
        unit_code="PESOVA",
        unit_name="Perhe-, sosiaali- ja vammaispalveluiden toimiala",
        period=Period(2025, 6),
        template_code="osavuosikatsaus",
        conventions=conv,
        tables=tables,
    )


DIVISION = Table(
    key="tuloslaskelma_toimiala",
    output="tuloslaskelma",
    title="Tuloslaskelma (1000 €)",
    unit_code="PESOVA",
    unit_name="Perhe-, sosiaali- ja vammaispalveluiden toimiala",
    columns=COLUMNS,
    rows=(
        Row("toimintatuotot", "Toimintatuotot", 0, (a(1_677_700_000), a(587_500_000), r(Fraction(5875, 16777)))),
        Row(
            "aineet",
            "Aineet, tarvikkeet ja tavarat",
            1,
            (a(-163_400_000), a(-53_600_000), r(Fraction(536, 1634))),
        ),
        Row("korkotuotot", "Korkotuotot", 1, (a(0), a(None), r(None))),
    ),
    footnotes=("*) Ei sisäisiä eriä.",),
)

AREA = Table(
    key="tuloslaskelma_tulosalue",
    output="tuloslaskelma",
    title="Tuloslaskelma (1000 €)",
    unit_code="PESOVA-PK",
    unit_name="Perhekeskuspalvelut",
    columns=COLUMNS,
    rows=(Row("toimintakulut", "Toimintakulut", 0, (a(-3_042_000_000), a(-1_360_500_000), r(Fraction(13605, 30420)))),),
)


def test_tables_csv_exact_text(tmp_path: Path) -> None:
    paths = write_csv_tables(report((DIVISION, AREA)), tmp_path)
    assert paths == [tmp_path / "tuloslaskelma.csv"]
    expected = (
        "unit,line,level,mta,tot,tot_pct\n"
        f'"Perhe-, sosiaali- ja vammaispalveluiden toimiala",Toimintatuotot,0,16{NBSP}777,5{NBSP}875,"35,0{NBSP}%"\n'
        '"Perhe-, sosiaali- ja vammaispalveluiden toimiala","Aineet, tarvikkeet ja tavarat",1,'
        f'-1{NBSP}634,-536,"32,8{NBSP}%"\n'
        f'"Perhe-, sosiaali- ja vammaispalveluiden toimiala",Korkotuotot,1,0,,"0,0{NBSP}%"\n'
        f'Perhekeskuspalvelut,Toimintakulut,0,-30{NBSP}420,-13{NBSP}605,"44,7{NBSP}%"\n'
    )
    raw = paths[0].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.decode("utf-8") == expected


def test_tables_csv_has_the_reference_shape(tmp_path: Path) -> None:
    # The reference transcription writes plain spaces where print had no-break spaces; compare modulo that.
    ours = write_csv_tables(report((DIVISION,)), tmp_path)[0].read_text("utf-8").replace(NBSP, " ").splitlines()
    reference = REFERENCE.read_text("utf-8").splitlines()
    assert reference[0].startswith("unit,line,level,mta,tot,tot_pct")
    assert ours[1] == reference[1][: len(ours[1])]  # Toimintatuotot: 16 777, 5 875, "35,0 %"
    assert ours[2] == reference[9][: len(ours[2])]  # "Aineet, tarvikkeet ja tavarat": quoted label


def test_tables_with_different_columns_share_the_union(tmp_path: Path) -> None:
    tpe = Column("tpe", "TPE 2025", "forecast", version="TPE 6/2025", year=2025)
    only_tpe = Table(
        key="ennuste",
        output="tuloslaskelma",
        title="Ennuste",
        unit_code="PESOVA-PK",
        unit_name="Perhekeskuspalvelut",
        columns=(COLUMNS[0], tpe),
        rows=(Row("toimintakulut", "Toimintakulut", 0, (a(-3_042_000_000), a(-3_152_000_000))),),
    )
    text = write_csv_tables(report((AREA, only_tpe)), tmp_path)[0].read_text("utf-8")
    assert text.splitlines() == [
        "unit,line,level,mta,tot,tot_pct,tpe",
        f'Perhekeskuspalvelut,Toimintakulut,0,-30{NBSP}420,-13{NBSP}605,"44,7{NBSP}%",',
        f"Perhekeskuspalvelut,Toimintakulut,0,-30{NBSP}420,,,-31{NBSP}520",
    ]


def test_one_file_per_output_group(tmp_path: Path) -> None:
    other = Table("muu", "tavoitteet", "Tavoitteet", "PESOVA", "Toimiala", COLUMNS, ())
    paths = write_csv_tables(report((DIVISION, other, AREA)), tmp_path / "out")
    assert [p.name for p in paths] == ["tuloslaskelma.csv", "tavoitteet.csv"]
    assert paths[1].read_text("utf-8") == "unit,line,level,mta,tot,tot_pct\n"


def test_empty_and_zero_base_conventions_reach_the_file(tmp_path: Path) -> None:
    conv = Conventions(empty="dash", zero_base="blank")
    text = write_csv_tables(report((DIVISION,), conv), tmp_path)[0].read_text("utf-8")
    assert text.splitlines()[3].endswith("Korkotuotot,1,0,\u2013,")


def test_figures_csv_plain_numbers(tmp_path: Path) -> None:
    paths = write_csv_figures(report((DIVISION, AREA)), tmp_path)
    assert paths == [tmp_path / "tuloslaskelma-luvut.csv"]
    assert paths[0].read_text("utf-8") == (
        "unit_code,unit,line_code,line,level,mta,tot,tot_pct\n"
        'PESOVA,"Perhe-, sosiaali- ja vammaispalveluiden toimiala",toimintatuotot,Toimintatuotot,0,'
        "16777000.00,5875000.00,0.350182\n"
        'PESOVA,"Perhe-, sosiaali- ja vammaispalveluiden toimiala",aineet,"Aineet, tarvikkeet ja tavarat",1,'
        "-1634000.00,-536000.00,0.328029\n"
        'PESOVA,"Perhe-, sosiaali- ja vammaispalveluiden toimiala",korkotuotot,Korkotuotot,1,0.00,,\n'
        "PESOVA-PK,Perhekeskuspalvelut,toimintakulut,Toimintakulut,0,-30420000.00,-13605000.00,0.447239\n"
    )


def test_figures_keep_cents(tmp_path: Path) -> None:
    odd = Table("t", "o", "T", "U", "Yksikkö", COLUMNS[:1], (Row("x", "X", 0, (a(-5),)),))
    text = write_csv_figures(report((odd,)), tmp_path)[0].read_text("utf-8")
    assert text.splitlines()[1] == "U,Yksikkö,x,X,0,-0.05"


# --- a printed table against the report (katsaus check --printed) ------------------------------------------------


def printed_file(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("unit,line,level,mta,tot,tot_pct\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_printed_table_that_agrees_gives_no_finding(tmp_path: Path) -> None:
    from katsaus.render.csv_tables import printed_findings

    unit = "Perhe-, sosiaali- ja vammaispalveluiden toimiala"
    path = printed_file(tmp_path, "tuloslaskelma.csv", [
        f'"{unit}",Toimintatuotot,0,16 777,5 875,"35,0 %"',  # plain spaces where the report has no-break ones
        f'"{unit}","Aineet, tarvikkeet ja tavarat",0,-1 634,-536,"32,8 %"',
    ])
    assert printed_findings(report((DIVISION, AREA)), path) == []


def test_a_printed_cell_its_figures_contradict_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    from katsaus.render.csv_tables import printed_findings

    unit = "Perhe-, sosiaali- ja vammaispalveluiden toimiala"
    path = printed_file(tmp_path, "tuloslaskelma.csv", [
        f'"{unit}",Toimintatuotot,0,16 777,5 876,"35,0 %"',
        f'"{unit}",Muut tuotot,0,1,2,"3,0 %"',
    ])
    findings = printed_findings(report((DIVISION, AREA)), path)
    assert [(f.code, f.severity, f.unit, f.row, f.column, f.params["expected"], f.found) for f in findings if f.column] == [
        ("check.printed.cell_differs", "error", unit, "Toimintatuotot", "tot", "5 875", "5 876")]
    [cell] = [f for f in findings if f.column]
    assert (cell.table, cell.params["file"], cell.params["number"]) == (DIVISION.key, "tuloslaskelma.csv", 2)
    assert problem_line(cell, "fi") == (
        f"yksikkö '{unit}', taulukko '{DIVISION.key}', rivi Toimintatuotot, sarake 'tot': tulostettu solu ei ole se, "
        "minkä raportin luvut antavat: tulostettu taulukko on ristiriidassa omien lukujensa kanssa (tiedoston "
        "tuloslaskelma.csv rivi 2); odotettiin 5 875, löytyi '5 876'")
    [row] = [f for f in findings if f.code == "check.printed.row_unknown"]
    assert (row.severity, row.unit, row.row, row.found, row.params["number"]) == ("error", unit, "Muut tuotot", "Muut tuotot", 3)
    assert "tulostettua riviä ei ole raportissa" in problem_line(row, "fi")
    [missing] = printed_findings(report((DIVISION,)), tmp_path / "nothing.csv")
    assert missing.code == "check.printed.file_unreadable" and missing.found.endswith("nothing.csv")


def test_a_text_cell_is_its_words_in_both_files(tmp_path: Path) -> None:
    from katsaus.core.model import Cell

    column = Column("koodi", "Koodi", "text")
    table = Table("t", "t", "T", "X", "Yksikkö X", (column,), (Row("X", "Yksikkö X", 0, (Cell("text", text="100"),)),))
    write_csv_tables(report((table,)), tmp_path)
    write_csv_figures(report((table,)), tmp_path)
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[1] == "Yksikkö X,Yksikkö X,0,100"
    assert (tmp_path / "t-luvut.csv").read_text(encoding="utf-8").splitlines()[1].endswith(",100")


def test_the_render_packages_names_are_its_modules_functions() -> None:
    """katsaus.render gives its names when first asked (PEP 562): each is the function of its module, and a name
    it does not have is an AttributeError, not None."""
    import pytest

    import katsaus.render as render
    from katsaus.render import csv_tables, numbers, xlsx_tables

    modules = (csv_tables, numbers, xlsx_tables)
    for name in render.__all__:
        assert any(getattr(module, name, None) is getattr(render, name) for module in modules), name
    with pytest.raises(AttributeError):
        render.nothing_of_that_name  # noqa: B018
