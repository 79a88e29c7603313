"""An export's own statement-line column is checked against the scheme's line of every account."""

from __future__ import annotations

from pathlib import Path

from katsaus.intake.linecheck import check_line_column
from katsaus.intake.mapping import parse_mapping
from katsaus.render.messages import problem_line

LINES = {"myyntituotot": "Myyntituotot", "palvelujen_ostot": "Palvelujen ostot"}


def line_of(account: str) -> str | None:
    return {"300000": "myyntituotot", "434000": "palvelujen_ostot"}.get(account)


MAPPING = parse_mapping(
    {
        "mapping": {
            "delimiter": ",",
            "account_pattern": r"^TILI/(\d+)$",
            "columns": {"date": "", "cost_centre": "yksikko", "account": "tili", "amount": "summa", "document": "", "text": "", "line": "rivi"},
            "fixed": {"year": 2011, "month": 12},
        }
    },
    "test mapping",
)


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("yksikko,tili,rivi,summa\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_agreeing_file_has_no_problems(tmp_path):
    path = write(tmp_path, ["A,TILI/300000,Myyntituotot,-5", "A,TILI/434000,palvelujen ostot,7", "B,TILI/999999,Mitä vain,1"])
    assert check_line_column(path, MAPPING, line_of, LINES) == ([], 0)


def test_an_account_on_another_line_is_refused_with_its_first_row(tmp_path):
    path = write(tmp_path, ["A,TILI/300000,Myyntituotot,-5", "B,TILI/434000,Myyntituotot,7", "C,TILI/434000,Myyntituotot,1"])
    (problem,), omitted = check_line_column(path, MAPPING, line_of, LINES)
    assert omitted == 0
    assert (problem.code, problem.row, problem.column, problem.found) == ("ledger.line_differs", 3, "rivi", "Myyntituotot")
    assert problem.params == {"account": "434000", "line": "palvelujen_ostot", "name": "Palvelujen ostot"}
    assert problem_line(problem, "fi") == (
        f"{path}, rivi 3, sarake 'rivi': tiedosto kirjaa tilin 434000 eri riville kuin kaava; "
        "odotettiin Palvelujen ostot (kaavan rivi palvelujen_ostot), löytyi 'Myyntituotot'")


def test_no_line_column_means_nothing_to_check(tmp_path):
    plain = parse_mapping({"mapping": {"columns": {"line": ""}}}, "plain")
    assert check_line_column(write(tmp_path, ["A,TILI/434000,Myyntituotot,7"]), plain, line_of, LINES) == ([], 0)
