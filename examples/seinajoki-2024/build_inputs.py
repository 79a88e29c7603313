"""Build the Seinäjoki 2024 example's organisation and input files from the printed tables.

    python examples/seinajoki-2024/build_inputs.py [reference/public]

Reads the transcriptions of two tables of the City of Seinäjoki's financial statements 2024 and writes, without
any Katsaus code:

* config/organisation.toml — the city and its 28 binding units (8.5), each unit one cost centre of its code;
* input/sitovat-erat/ — table 8.5 (1000 €): a ledger (each unit's actual costs and revenues, in whole
  thousands, booked on Muut toimintakulut / Muut toimintatulot: the table gives no line detail) and two budget
  versions, the original (TA 2024) and the one after the council's amendments (MTA 2024, the budget after the amendments);
* input/tuloslaskelmaosa/ — table 8.2 (€): a ledger of the city's actual by line and the same two budget
  versions by line, all on the city's own cost centre KAUPUNKI;
* printed/ — both tables as printed, in the layout of `katsaus report --format csv`, which run.sh gives to
  `katsaus check --printed`: a printed cell that its own figures contradict is reported as an error.

The two tables are of different scope (the units of 8.5 add up to 263 078 thousand € of costs, 8.2's
statement to 262 833 thousand), so each has its own input files and its own database (run.sh).

8.2 prints whole euros, but its totals were computed from cents (its revenue lines add up to 84 083 126 while
the total prints 84 083 125), so the actual lines get cents that round to their printed euros and add up to
every printed total (examples/printed.py). The budgets are whole euros and add up exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from printed import euros, finnish, solve_cents, transcription, write_csv, write_printed  # noqa: E402

SOURCE = HERE.parents[1] / "reference" / "public"  # the repository's copy of ../shared/reference
BINDING = "seinajoki-tp2024-sitovat-erat-kayttotalous.csv"
STATEMENT = "seinajoki-tp2024-tuloslaskelmaosa.csv"
CITY_CENTRE = "KAUPUNKI"
LEDGER_HEADER = ("pvm", "kustannuspaikka", "tili", "summa", "tosite", "selite")
PLAN_HEADER = ("yksikkö", "rivi", "kuukausi", "summa")
YEAR_END = "31.12.2024"

# table 8.2's printed rows: line code (scheme.toml) and its account; derived rows as sums of leaf lines
LEAVES = {
    "Myyntitulot": ("myyntitulot", "3000"),
    "Maksutuotot": ("maksutuotot", "3100"),
    "Tuet ja avustukset": ("tuet_ja_avustukset", "3200"),
    "Muut toimintatulot": ("muut_toimintatulot", "3300"),
    "Palkat ja palkkiot": ("palkat", "4000"),
    "Henkilösivukulut": ("henkilosivukulut", "4100"),
    "Palvelujen ostot": ("palvelujen_ostot", "4300"),
    "Aineet, tarvikkeet ja tavarat": ("aineet", "4500"),
    "Avustukset": ("avustukset", "4700"),
    "Muut toimintakulut": ("muut_toimintakulut", "4900"),
    "Verotulot": ("verotulot", "5000"),
    "Valtionosuudet": ("valtionosuudet", "5100"),
    "Korkotuotot muilta": ("korkotuotot", "5200"),
    "Muut rahoitustuotot muilta": ("muut_rahoitustuotot", "5300"),
    "Korkokulut muille": ("korkokulut", "5400"),
    "Muut rahoituskulut": ("muut_rahoituskulut", "5500"),
    "Suunnitelman mukaiset poistot": ("poistot", "6000"),
    "Arvonalentumiset": ("arvonalentumiset", "6100"),
    "Poistoeron muutos": ("poistoero", "7000"),
    "Varausten muutos": ("varaukset", "7100"),
    "Rahastojen vähennys+/lisäys -": ("rahastot", "7200"),
}
REVENUES = ["Myyntitulot", "Maksutuotot", "Tuet ja avustukset", "Muut toimintatulot"]
COSTS = ["Palkat ja palkkiot", "Henkilösivukulut", "Palvelujen ostot", "Aineet, tarvikkeet ja tavarat", "Avustukset", "Muut toimintakulut"]
FINANCE = ["Korkotuotot muilta", "Muut rahoitustuotot muilta", "Korkokulut muille", "Muut rahoituskulut"]
MARGIN = REVENUES + COSTS
ANNUAL = MARGIN + ["Verotulot", "Valtionosuudet"] + FINANCE
RESULT = ANNUAL + ["Suunnitelman mukaiset poistot", "Arvonalentumiset"]
TOTALS = {
    "Toimintatulot yhteensä": REVENUES,
    "Toimintamenot yhteensä": COSTS,
    "TOIMINTAKATE": MARGIN,
    "Rahoitustulot ja -menot": FINANCE,
    "VUOSIKATE": ANNUAL,
    "TILIKAUDEN TULOS": RESULT,
    "Tilikauden ali/ylijäämä": RESULT + ["Poistoeron muutos", "Varausten muutos", "Rahastojen vähennys+/lisäys -"],
}


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def organisation(binding: list[dict[str, str]]) -> str:
    out = [
        "# Written by build_inputs.py from table 8.5 of the financial statements 2024: the binding units.",
        "",
        "[organisation]",
        'code = "SEINAJOKI"',
        'name_fi = "Seinäjoen kaupunki"',
        "",
        "[[units]]",
        'code = "SEINAJOKI"',
        'name_fi = "Seinäjoen kaupunki"',
    ]
    for row in binding:
        out += ["", "[[units]]", f"code = {quoted(row['koodi'])}", f"name_fi = {quoted(row['yksikko'])}", 'parent = "SEINAJOKI"']
    out += ["", "[[cost_centres]]", f"code = {quoted(CITY_CENTRE)}", 'name = "Kaupunki (tuloslaskelmaosa)"', 'unit = "SEINAJOKI"']
    for row in binding:
        out += ["", "[[cost_centres]]", f"code = {quoted(row['koodi'])}", f"name = {quoted(row['yksikko'])}", f"unit = {quoted(row['koodi'])}"]
    return "\n".join(out) + "\n"


def thousands(text: str) -> int | None:
    return None if text == "" else int(text) * 1000


def binding_inputs(binding: list[dict[str, str]], out: Path) -> None:
    """Table 8.5: costs are printed as positive appropriations; the ledger books them as costs (+) and the
    revenues as revenues (−); budgets are in statement sign (revenues +, costs −)."""
    ledger, original, amended = [], [], []
    for row in binding:
        unit = row["koodi"]
        for block, line, account, sign in (("maararaha", "muut_toimintakulut", "4900", -1), ("tuloarvio", "muut_toimintatulot", "3300", 1)):
            actual = thousands(row[f"{block}_toteuma"])
            if actual:  # a printed 0 is no entries: the template prints an empty actual as 0
                ledger.append((YEAR_END, unit, account, euros(-sign * actual * 100), f"{unit}-{block}", "8.5 toteuma"))
            for version, key in ((original, "alkup_ta"), (amended, "ta_jalkeen")):
                value = thousands(row[f"{block}_{key}"])
                if value is not None:  # a printed 0 is a budget of 0; a blank is no budget
                    version.append((unit, line, "", euros(sign * value * 100)))
    write_csv(out / "kirjanpito-2024.csv", LEDGER_HEADER, ledger)
    write_csv(out / "talousarvio-TA-2024.csv", PLAN_HEADER, original)
    write_csv(out / "talousarvio-TA-2024-muutettu.csv", PLAN_HEADER, amended)


def statement_inputs(statement: list[dict[str, str]], out: Path) -> None:
    rows = {r["rivi"]: r for r in statement if r.get("rivi")}
    printed = {name: int(r["toteutuma"]) for name, r in rows.items() if r["toteutuma"]}
    sums = {total: [(leaf, 1) for leaf in parts if leaf in printed] for total, parts in TOTALS.items()}
    cents = solve_cents(printed, sums, free=[leaf for leaf in LEAVES if leaf in printed])
    ledger = []
    for name, (_line, account) in LEAVES.items():
        if name in cents:
            ledger.append((YEAR_END, CITY_CENTRE, account, euros(-cents[name]), f"tulos-{account}", name))
    write_csv(out / "kirjanpito-2024.csv", LEDGER_HEADER, ledger)
    for file, column in (("talousarvio-TA-2024.csv", "alkuperainen_ta"), ("talousarvio-TA-2024-muutettu.csv", "ta_muutosten_jalkeen")):
        plan = [("SEINAJOKI", line, "", euros(int(rows[name][column]) * 100))
                for name, (line, _account) in LEAVES.items() if rows[name][column]]
        write_csv(out / file, PLAN_HEADER, plan)


BINDING_KEYS = ["koodi", "sitovuus"] + [f"{block}_{k}" for block in ("maararaha", "tuloarvio")
                                        for k in ("alkup_ta", "ta_muutokset", "ta_jalkeen", "toteuma", "poikkeama")]
STATEMENT_KEYS = ["alkuperainen_ta", "ta_muutokset", "ta_muutosten_jalkeen", "toteutuma", "poikkeama"]
HEADINGS = {"Myyntitulot": ["Toimintatulot"], "Palkat ja palkkiot": ["Toimintamenot", "Henkilöstökulut"],
            "Korkotuotot muilta": ["Rahoitustulot- ja menot"], "Suunnitelman mukaiset poistot": ["Poistot ja arvonalentumiset"],
            "TILIKAUDEN TULOS": ["Satunnaiset erät"]}  # 8.2's heading rows (raw text, page 142) above these rows


def printed_tables(binding: list[dict[str, str]], statement: list[dict[str, str]]) -> None:
    """Both tables as printed, for `katsaus check --printed` (run.sh): every cell as the transcription has it."""
    def cell(text: str) -> str:
        return finnish(int(text)) if text and text.lstrip("-").isdigit() else text

    write_printed(HERE / "printed" / "sitovat_erat.csv", "Seinäjoen kaupunki", BINDING_KEYS,
                  [(r["yksikko"], [cell(r[k]) for k in BINDING_KEYS]) for r in binding])
    rows: list[tuple[str, list[str]]] = []
    for r in statement:
        rows += [(heading, [""] * len(STATEMENT_KEYS)) for heading in HEADINGS.get(r["rivi"], [])]
        rows.append((r["rivi"], [cell(r[k]) for k in STATEMENT_KEYS]))
    write_printed(HERE / "printed" / "tuloslaskelmaosa.csv", "Seinäjoen kaupunki", STATEMENT_KEYS, rows)


def main(source: Path = SOURCE) -> None:
    binding = transcription(source / BINDING)
    statement = transcription(source / STATEMENT)
    statement = statement[: next(i for i, r in enumerate(statement) if r["rivi"] == "erittely")]  # 8.2's first table
    (HERE / "config" / "organisation.toml").write_text(organisation(binding), encoding="utf-8")
    binding_inputs(binding, HERE / "input" / "sitovat-erat")
    statement_inputs(statement, HERE / "input" / "tuloslaskelmaosa")
    printed_tables(binding, statement)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
