"""Build the Kauhava 2024 example's input files from the printed tables.

    python examples/kauhava-2024/build_inputs.py [reference/public]

Reads the transcriptions of two tables of the City of Kauhava's financial statements 2024 — 2.3, the income
statement part (€ with cents), and 2.5, the operating budget by council committee (whole €) — and writes,
without any Katsaus code, one ledger and one budget that both tables come from:

* input/kirjanpito-2023.csv, input/kirjanpito-2024.csv — the actuals. 2024: each committee's operating
  revenues and costs, spread over 2.3's lines (below), plus the city's own items (Valmistus omaan käyttöön,
  taxes, state aid, financial items, depreciation, extraordinary items, appropriations) on the city's own cost
  centre KAUPUNKI. 2023: 2.5 gives only each committee's totals, booked on Muut toimintatuotot / Muut
  toimintakulut; the committees of 2024 add up to less than the city's 2023 total (the structure changed:
  Kaupunginhallitus prints 0 for 2023), and the rest is booked on KAUPUNKI.
* input/talousarvio-TA-2024.csv — the budget (TA 2024) the same way, by committee and line.
* printed/*.csv — the five printed tables in the layout of `katsaus report --format csv`, for
  `katsaus check --printed` (run.sh).

The committees' figures are printed in whole euros, while the city's are known to the cent (2.3): the
committees' actual costs add up to 46 216 719 while the city's are 46 216 718,06, and the printed changes from
2023 were computed from cents. So each committee's actual gets cents that round to its printed euros, add up
to the city's exact figure, and give every printed change and percentage (a small search below).

A committee's total is spread over the lines so that each line adds up to 2.3's figure: committees in the
printed order fill the lines in the printed order (the "north-west corner" rule), so every figure is a sum of
printed figures and the split is reproducible. 2.3 does not print the committees' lines, so no table shows it.
"""

from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from printed import euros, finnish, rounded, transcription, write_csv, write_printed  # noqa: E402

SOURCE = HERE.parents[1] / "reference" / "public"  # the repository's copy of ../shared/reference
COMMITTEES = {  # printed name -> unit and cost-centre code (organisation.toml)
    "Keskusvaalilautakunta": "KVLTK",
    "Tarkastuslautakunta": "TARLTK",
    "Kaupunginvaltuusto": "KV",
    "Kaupunginhallitus": "KH",
    "Kasvatus- ja opetuslautakunta": "KASLTK",
    "Elämänlaatulautakunta": "ELLTK",
    "Tekninen lautakunta": "TEKLTK",
    "Ympäristölautakunta": "YMPLTK",
}
CITY = "Kauhavan kaupunki"
CITY_CENTRE = "KAUPUNKI"
# 2.3's rows: line code (scheme.toml) and account of each leaf line
LEAVES = {
    "Myyntituotot": ("myyntituotot", "3000"), "Maksutuotot": ("maksutuotot", "3100"),
    "Tuet ja avustukset": ("tuet_ja_avustukset", "3200"), "Muut toimintatuotot": ("muut_toimintatuotot", "3300"),
    "Valmistus omaan käyttöön": ("valmistus", "3400"), "Henkilöstökulut": ("henkilostokulut", "4000"),
    "Palvelujen ostot": ("palvelujen_ostot", "4300"), "Aineet, tarvikkeet ja tavarat": ("aineet", "4500"),
    "Avustukset": ("avustukset", "4700"), "Muut toimintakulut": ("muut_toimintakulut", "4900"),
    "Verotulot": ("verotulot", "5000"), "Valtionosuudet": ("valtionosuudet", "5100"),
    "Korkotuotot": ("korkotuotot", "5200"), "Muut rahoitustuotot": ("muut_rahoitustuotot", "5300"),
    "Korkokulut": ("korkokulut", "5400"), "Muut rahoituskulut": ("muut_rahoituskulut", "5500"),
    "Suunnitelman mukaiset poistot": ("suunnitelman_mukaiset_poistot", "6000"),
    "Kertaluonteiset poistot": ("kertaluonteiset_poistot", "6100"), "Satunnaiset tuotot": ("satunnaiset_tuotot", "7000"),
    "Satunnaiset kulut": ("satunnaiset_kulut", "7100"), "Poistoeron muutos": ("poistoero", "8000"),
    "Varausten muutos": ("varaukset", "8100"), "Rahastojen muutos": ("rahastot", "8200"),
}
BLOCKS = {  # 2.5's blocks: their lines in 2.3, and the line a committee's 2023 total is booked on
    "Toimintatuotot": (["Myyntituotot", "Maksutuotot", "Tuet ja avustukset", "Muut toimintatuotot"], "Muut toimintatuotot"),
    "Toimintakulut": (["Henkilöstökulut", "Palvelujen ostot", "Aineet, tarvikkeet ja tavarat", "Avustukset", "Muut toimintakulut"], "Muut toimintakulut"),
}
LEDGER_HEADER = ("pvm", "kustannuspaikka", "tili", "summa", "tosite", "selite")
PLAN_HEADER = ("yksikkö", "rivi", "kuukausi", "summa")


def cents_of(text: str) -> int:
    whole, _, part = text.partition(".")
    value = abs(int(whole)) * 100 + int((part + "00")[:2])
    return -value if text.startswith("-") else value


def tenths(numerator: int, denominator: int) -> int:
    """A percentage to one decimal, in tenths, half away from zero; 0 for a zero base (printed 0,0 %)."""
    if denominator == 0:
        return 0
    value = Fraction(numerator * 1000, denominator)
    whole = int(abs(value))
    if abs(value) - whole >= Fraction(1, 2):
        whole += 1
    return whole if value >= 0 else -whole


def solve_block(rows: list[dict[str, str]], city_exact: int, seed: int = 2024) -> tuple[dict[str, int], dict[str, int], int]:
    """Cents of each committee's 2024 and 2023 actual: each rounds to its printed euros, 2024 adds up to the
    city's exact cents, and every printed change and percentage follows. Also the city's 2023 total: the
    committees of 2024 do not add up to it (the committee structure changed: Kaupunginhallitus prints 0 for
    2023), so what is left is the city's own 2023 figure."""
    rng = random.Random(seed)
    units = [r for r in rows if r["toimielin"] != CITY]
    city = next(r for r in rows if r["toimielin"] == CITY)
    names = [r["toimielin"] for r in units]
    base24 = {r["toimielin"]: 100 * int(r["tp2024"]) for r in units}
    base23 = {r["toimielin"]: 100 * int(r["tp2023"]) for r in units}
    movable24 = [n for n in names if base24[n]]  # a printed 0 is no entries
    movable23 = [n for n in names if base23[n]]
    slack = max(movable24, key=lambda n: abs(base24[n]))  # takes what the others leave to the city's exact sum

    def values(off24: dict[str, int], off23: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
        a24 = {n: base24[n] + off24.get(n, 0) for n in names}
        a24[slack] = city_exact - sum(v for n, v in a24.items() if n != slack)
        return a24, {n: base23[n] + off23.get(n, 0) for n in names}

    def violations(a24: dict[str, int], a23: dict[str, int]) -> int:
        wrong = 0
        for r in units:
            n = r["toimielin"]
            wrong += rounded(a24[n]) != int(r["tp2024"])
            wrong += rounded(a24[n] - a23[n]) != int(r["muutos_eur"])
            wrong += tenths(a24[n] - a23[n], a23[n]) != round(float(r["muutos_pct"]) * 10)
            wrong += tenths(a24[n], 100 * int(r["ta2024"])) != round(float(r["pct"]) * 10)
        return wrong

    off24: dict[str, int] = {}
    off23: dict[str, int] = {}
    score = violations(*values(off24, off23))
    for _ in range(100_000):
        if score == 0:
            break
        trial24, trial23 = dict(off24), dict(off23)
        if rng.random() < 0.5:
            trial24[rng.choice([n for n in movable24 if n != slack])] = rng.randint(-49, 49)
        else:
            trial23[rng.choice(movable23)] = rng.randint(-49, 49)
        trial_score = violations(*values(trial24, trial23))
        if trial_score <= score:
            off24, off23, score = trial24, trial23, trial_score
    if score:
        raise ValueError(f"no cents found for {names}: {score} printed figures unmet")
    a24, a23 = values(off24, off23)
    return a24, a23, city_2023(city, sum(a24.values()))


def city_2023(city: dict[str, str], total_2024: int) -> int:
    """The city's 2023 total in cents: rounds to its printed euros and gives the printed change and percentage."""
    printed = 100 * int(city["tp2023"])
    for cents in sorted(range(printed - 49, printed + 50), key=lambda c: abs(c - printed)):
        if (rounded(total_2024 - cents) == int(city["muutos_eur"])
                and tenths(total_2024 - cents, cents) == round(float(city["muutos_pct"]) * 10)):
            return cents
    raise ValueError(f"no 2023 total of {city['lohko']} gives the printed change")


def spread(totals: dict[str, int], lines: dict[str, int]) -> list[tuple[str, str, int]]:
    """(committee, line, cents): committees fill the lines in order (north-west corner); all of one sign."""
    out, remaining = [], dict(lines)
    order = list(lines)
    at = 0
    for unit, total in totals.items():
        left = total
        while left:
            line = order[at]
            take = left if abs(left) <= abs(remaining[line]) else remaining[line]
            out.append((unit, line, take))
            left -= take
            remaining[line] -= take
            if remaining[line] == 0 and at < len(order) - 1:
                at += 1
    assert not any(remaining.values()), remaining  # the committees add up to the city's lines
    return out


def main(source: Path = SOURCE) -> None:
    statement = {r["rivi"]: r for r in transcription(source / "kauhava-tp2024-tuloslaskelmaosa.csv")}
    committees = transcription(source / "kauhava-tp2024-kayttotalous-toimielimittain.csv")
    ledger24, ledger23, budget = [], [], []
    for block, (block_lines, line_2023) in BLOCKS.items():
        rows = [r for r in committees if r["lohko"] == block]
        city_exact = sum(cents_of(statement[line]["toteutuma"]) for line in block_lines)
        a24, a23, total_2023 = solve_block(rows, city_exact)
        actual_lines = {line: cents_of(statement[line]["toteutuma"]) for line in block_lines}
        budget_lines = {line: cents_of(statement[line]["alkuperainen_ta"]) for line in block_lines}
        ta = {r["toimielin"]: 100 * int(r["ta2024"]) for r in rows if r["toimielin"] != CITY}
        for unit, line, cents in spread({n: v for n, v in a24.items() if v}, actual_lines):
            ledger24.append(("31.12.2024", COMMITTEES[unit], LEAVES[line][1], euros(-cents), f"{COMMITTEES[unit]}-{LEAVES[line][1]}", block))
        for unit, cents in a23.items():
            if cents:
                ledger23.append(("31.12.2023", COMMITTEES[unit], LEAVES[line_2023][1], euros(-cents), f"{COMMITTEES[unit]}-2023", block))
        others = total_2023 - sum(a23.values())  # units of 2023 that the 2024 table does not have
        ledger23.append(("31.12.2023", CITY_CENTRE, LEAVES[line_2023][1], euros(-others), f"{CITY_CENTRE}-2023", f"{block}: muut yksiköt"))
        for unit, line, cents in spread({n: v for n, v in ta.items() if v}, budget_lines):
            budget.append((COMMITTEES[unit], LEAVES[line][0], "", euros(cents)))
    in_blocks = {line for lines, _ in BLOCKS.values() for line in lines}
    for line, (code, account) in LEAVES.items():
        if line in in_blocks:
            continue
        actual, planned = cents_of(statement[line]["toteutuma"]), cents_of(statement[line]["alkuperainen_ta"])
        if actual:
            ledger24.append(("31.12.2024", CITY_CENTRE, account, euros(-actual), f"{CITY_CENTRE}-{account}", line))
        if planned:
            budget.append(("KAUHAVA", code, "", euros(planned)))
    write_csv(HERE / "input" / "kirjanpito-2024.csv", LEDGER_HEADER, ledger24)
    write_csv(HERE / "input" / "kirjanpito-2023.csv", LEDGER_HEADER, ledger23)
    write_csv(HERE / "input" / "talousarvio-TA-2024.csv", PLAN_HEADER, budget)
    printed_tables(statement, committees)


STATEMENT_KEYS = ["alkuperainen_ta", "ta_muutokset", "ta_muutosten_jalkeen", "toteutuma", "poikkeama"]


def printed_tables(statement: dict[str, dict[str, str]], committees: list[dict[str, str]]) -> None:
    """The printed tables as `katsaus check --printed` reads them, formatted as printed (Finnish numbers)."""
    rows = [(line, [finnish(cents_of(r[k]), 2) for k in STATEMENT_KEYS]) for line, r in statement.items()]
    write_printed(HERE / "printed" / "tuloslaskelmaosa.csv", CITY, STATEMENT_KEYS, rows)
    for block, suffix, pct in (("Toimintatuotot", "tuotot", "tot_pct"), ("Toimintakulut", "kulut", "kaytto_pct")):
        block_rows = [r for r in committees if r["lohko"] == block]
        write_printed(HERE / "printed" / f"toteutuminen_{suffix}.csv", CITY, ["ta", "tp", pct],
                      [(r["toimielin"], [finnish(int(r["ta2024"])), finnish(int(r["tp2024"])), percent(r["pct"])]) for r in block_rows])
        write_printed(HERE / "printed" / f"vuosimuutos_{suffix}.csv", CITY, ["tp", "tp_edellinen", "muutos", "muutos_pct"],
                      [(r["toimielin"], [finnish(int(r["tp2024"])), finnish(int(r["tp2023"])), finnish(int(r["muutos_eur"])),
                                         percent(r["muutos_pct"])]) for r in block_rows])


def percent(text: str) -> str:
    """'-2.5' -> '-2,5 %' as printed."""
    return text.replace(".", ",") + " %"


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
