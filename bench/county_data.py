"""A generated county of a hundred units, as the product's own input files (bench/county.py measures it).

    .venv/bin/python bench/county_data.py [--out /tmp/katsaus-county] [--rows-per-year 20000000] [--seed 2025]

Deterministic (seeded): the same options give the same files. Written to OUT/<rows>-<seed>/:

    config/organisation.toml   the county (one root unit) → 4 divisions → 100 reporting units (25 each);
                               2 000 cost centres spread unevenly over the units (some units have 5, some 50),
                               20 of them moved to another unit of the same division from 2025-01-01
    config/scheme.toml         the demo's statement scheme (configs/demo), copied
    config/template.toml       the demo's template plus two tables for the units: each unit's operating statement
                               (units = "descendants") and the county's table with a row per unit (rows_by = "unit"),
                               printed in the county's section
    kirjanpito-YYYY.csv        the ledger of 2023, 2024, 2025 (every month), N rows each, the default Finnish
                               format (pvm;kustannuspaikka;tili;summa;tosite;selite, d.m.yyyy, decimal comma, ledger
                               sign), written by DuckDB from hash-based draws (no Python loop per row): each cost
                               centre books to 18–30 of ~100 accounts chosen by its unit's kind (own staff,
                               purchased services, mixed, support), months with the demo's seasons (June holiday
                               pay, July substitutes, December accruals; revenue lagging in January), internal items
    talousarvio-*.csv          TA 2023, TA 2024, TA 2025 and MTA I 2025 per unit × leaf line (yksikkö;rivi;summa),
    ennuste-TPE-2025.csv       the year-end forecast: each unit × line's actual of the year ± a few per cent, so that
                               realisation percentages look like a real half-year (some units over budget)
    versions.toml              the plan versions, their dates and files
    content/*.toml             goals (2 per reporting unit, 1 per division), strategic goals with a unit goal and
                               a key result per unit, the balancing programme (3 measures per division, 1 per
                               every fifth unit), metrics
    narratives/*.md            a text for every unit (county: 4 sections, division: 2, unit: 1) with placeholders
    county.json                what was generated: options, counts, sizes, seconds (a re-run with the same
                               options finds it and generates nothing)
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "configs" / "demo"
YEARS = (2023, 2024, 2025)
PERIOD = "2025-06"
FORMAT_VERSION = 1  # bump when the files' content changes, so that a cached county is made again

ORGANISATION = ("KJHVA", "Keski-Järvenmaan hyvinvointialue", "Mellersta Järvenmaas välfärdsområde")
ROOT_UNIT = ("KJHVA", "Keski-Järvenmaan hyvinvointialue", "Mellersta Järvenmaas välfärdsområde")
DIVISIONS = (
    ("PS", "Perhe- ja sosiaalipalvelujen toimiala", "Familje- och socialtjänster"),
    ("TE", "Terveyspalvelujen toimiala", "Hälsotjänster"),
    ("IP", "Ikääntyneiden palvelujen toimiala", "Äldreomsorg"),
    ("ST", "Strategia- ja tukipalvelujen toimiala", "Strategi- och stödtjänster"),
)
# Each division's 25 reporting units: a service × an area (5 services × 5 areas), with the unit's kind.
SERVICES = {
    "PS": (("Lapsiperheiden sosiaalityö", "mixed"), ("Lastensuojelu", "purchase"), ("Vammaispalvelut", "purchase"),
           ("Aikuissosiaalityö", "mixed"), ("Perhekeskus", "staff")),
    "TE": (("Terveysasemat", "staff"), ("Suun terveydenhuolto", "staff"), ("Sairaalan vuodeosastot", "staff"),
           ("Mielenterveys- ja päihdepalvelut", "mixed"), ("Erikoissairaanhoidon ostot", "purchase")),
    "IP": (("Kotihoito", "staff"), ("Ympärivuorokautinen asumispalvelu", "mixed"), ("Omaishoito", "purchase"),
           ("Kotiin annettavat palvelut", "mixed"), ("Ikääntyneiden asiakasohjaus", "staff")),
    "ST": (("Talous- ja henkilöstöpalvelut", "support"), ("Tietohallinto", "support"), ("Tilapalvelut", "support"),
           ("Ravitsemus- ja puhtauspalvelut", "staff"), ("Valmiussuunnittelu ja hallinto", "support")),
}
AREAS = ("Pohjoinen", "Eteläinen", "Itäinen", "Läntinen", "Keskinen")
COST_CENTRES = 2000
MOVED = 20  # cost centres that move to another unit of their division on 2025-01-01

# Accounts: (code, leaf line, category, name). Sub-accounts of the demo's chart (profile.py), ~100 in all.
BASE_ACCOUNTS = (
    ("30", "myyntituotot", "revenue", "Myyntituotot", 6), ("31", "myyntituotot", "revenue", "Muut myyntituotot", 3),
    ("32", "maksutuotot", "revenue", "Asiakasmaksut", 6), ("33", "tuet_ja_avustukset", "revenue", "Valtionavustukset", 3),
    ("34", "muut_toimintatuotot", "revenue", "Vuokratuotot", 2), ("36", "muut_toimintatuotot", "revenue", "Muut tuotot", 2),
    ("40", "palkat_ja_palkkiot", "personnel", "Palkat", 10), ("41", "henkilosivukulut", "personnel", "Henkilösivukulut", 6),
    ("43", "palvelujen_ostot", "services", "Asiakaspalvelujen ostot", 10),
    ("44", "palvelujen_ostot", "services", "Muiden palvelujen ostot", 10),
    ("45", "aineet_tarvikkeet_ja_tavarat", "materials", "Hoitotarvikkeet", 6),
    ("46", "aineet_tarvikkeet_ja_tavarat", "materials", "Elintarvikkeet ja muut aineet", 4),
    ("47", "avustukset", "flat", "Avustukset", 4), ("49", "muut_toimintakulut", "flat", "Vuokrat ja muut kulut", 8),
    ("62", "korkokulut", "flat", "Korkokulut", 1), ("63", "muut_rahoituskulut", "flat", "Muut rahoituskulut", 1),
    ("70", "poistot", "flat", "Suunnitelman mukaiset poistot", 2),
    ("90", "myyntituotot", "internal", "Sisäiset myyntituotot", 1),
    ("95", "palvelujen_ostot", "internal", "Sisäiset palvelujen ostot", 1),
    ("97", "muut_toimintakulut", "internal", "Sisäiset vuokrat", 1),
)
# Mean euros of a row by category at 20 million rows a year (scaled for other sizes, so that the county's
# yearly totals stay those of a county of ~300 000 inhabitants: costs ~1,9 bn €); the sign is the ledger's.
MEAN_EUROS = {"revenue": -55.0, "personnel": 95.0, "services": 160.0, "materials": 30.0, "flat": 90.0,
              "internal": 40.0}
SEASON = {  # Jan..Dec (bench's simplification of src/katsaus/demo/profile.py SEASON)
    "personnel": (1.0, 0.97, 1.0, 1.0, 1.0, 1.45, 1.15, 0.88, 1.0, 1.0, 1.0, 1.06),
    "revenue": (0.55, 0.90, 1.0, 1.0, 1.0, 1.0, 0.90, 0.95, 1.05, 1.05, 1.05, 1.30),
    "services": (0.96, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.08),
    "materials": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.70, 0.90, 1.0, 1.0, 1.0, 1.20),
    "flat": (1.0,) * 12,
    "internal": (1.0,) * 12,
}
DOCUMENT_TYPE = {"revenue": "ML", "personnel": "PA", "services": "OL", "materials": "OL", "flat": "MU",
                 "internal": "SI"}
# Which categories a unit's cost centres book to, and how many accounts of each (min, max), by unit kind.
KIND_ACCOUNTS = {
    "staff": {"personnel": (8, 12), "services": (2, 5), "materials": (3, 6), "flat": (2, 4), "revenue": (1, 4)},
    "purchase": {"personnel": (4, 7), "services": (8, 13), "materials": (1, 3), "flat": (2, 5), "revenue": (1, 3)},
    "mixed": {"personnel": (6, 10), "services": (4, 8), "materials": (2, 4), "flat": (2, 4), "revenue": (2, 4)},
    "support": {"personnel": (6, 9), "services": (4, 8), "materials": (1, 3), "flat": (3, 6), "revenue": (1, 2)},
}
LEAF_LINES = ("myyntituotot", "maksutuotot", "tuet_ja_avustukset", "muut_toimintatuotot", "valmistus_omaan_kayttoon",
              "palkat_ja_palkkiot", "henkilosivukulut", "palvelujen_ostot", "aineet_tarvikkeet_ja_tavarat",
              "avustukset", "muut_toimintakulut", "valtion_rahoitus", "korkotuotot", "muut_rahoitustuotot",
              "korkokulut", "muut_rahoituskulut", "poistot")
VERSIONS = (  # name, kind, year, date, decision or author, file
    ("TA 2023", "budget", 2023, "2022-12-14", "Aluevaltuusto 14.12.2022 § 101", "talousarvio-TA-2023.csv"),
    ("TA 2024", "budget", 2024, "2023-12-13", "Aluevaltuusto 13.12.2023 § 95", "talousarvio-TA-2024.csv"),
    ("TA 2025", "budget", 2025, "2024-12-11", "Aluevaltuusto 11.12.2024 § 112", "talousarvio-TA-2025.csv"),
    ("MTA I 2025", "budget", 2025, "2025-06-16", "Aluevaltuusto 16.6.2025 § 48", "talousarvio-MTA-I-2025.csv"),
    ("TPE 2025", "forecast", 2025, "2025-07-10", "Talousyksikkö (county bench)", "ennuste-TPE-2025.csv"),
)


@dataclass(frozen=True)
class Unit:
    code: str
    name_fi: str
    name_sv: str
    parent: str | None
    kind: str = ""


@dataclass(frozen=True)
class County:
    units: tuple[Unit, ...]
    reporting: tuple[Unit, ...]  # the 100 units that own cost centres
    centres: tuple[tuple[str, str, str | None], ...]  # (code, unit of 2023–2024, unit from 2025 or None)
    accounts: tuple[tuple[str, str, str, str], ...]  # (code, line, category, name)
    pairs: np.ndarray  # (cost centre index, account index, weight)


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# --- the organisation, accounts and each cost centre's accounts ----------------------------------------------


def build_county(seed: int) -> County:
    rng = np.random.default_rng([seed, 1])
    units = [Unit(ROOT_UNIT[0], ROOT_UNIT[1], ROOT_UNIT[2], None)]
    reporting = []
    for code, name_fi, name_sv in DIVISIONS:
        units.append(Unit(code, name_fi, name_sv, ROOT_UNIT[0]))
        for i, ((service, kind), area) in enumerate(
                ((s, a) for s in SERVICES[code] for a in AREAS), start=1):
            unit = Unit(f"{code}-{i:02d}", f"{service}, {area} alue", f"{service} ({area})", code, kind)
            units.append(unit)
            reporting.append(unit)
    # cost centres per unit: lognormal sizes, at least 5, summing to COST_CENTRES
    sizes = rng.lognormal(0.0, 0.6, len(reporting))
    counts = np.maximum(5, np.floor(sizes / sizes.sum() * COST_CENTRES)).astype(int)
    while counts.sum() > COST_CENTRES:
        counts[np.argmax(counts)] -= 1
    while counts.sum() < COST_CENTRES:
        counts[np.argmin(counts)] += 1
    centres: list[tuple[str, str, str | None]] = []
    for unit, count in zip(reporting, counts):
        division = DIVISIONS.index(next(d for d in DIVISIONS if d[0] == unit.parent)) + 1
        number = int(unit.code.split("-")[1])
        centres += [(f"{division}{number:02d}{k:03d}", unit.code, None) for k in range(1, count + 1)]
    for index in rng.choice(len(centres), MOVED, replace=False):
        code, old, _ = centres[index]
        siblings = [u.code for u in reporting if u.parent == old.split("-")[0] and u.code != old]
        centres[index] = (code, old, siblings[int(rng.integers(len(siblings)))])
    accounts = []
    for prefix, line, category, name, count in BASE_ACCOUNTS:
        for k in range(count):
            accounts.append((f"{prefix}{k}{rng.integers(0, 10)}000"[:6], line, category,
                             f"{name} {k + 1}" if count > 1 else name))
    accounts = sorted(set(accounts))
    by_category: dict[str, list[int]] = {}
    for i, (_, _, category, _) in enumerate(accounts):
        by_category.setdefault(category, []).append(i)
    kinds = {u.code: u.kind for u in reporting}
    size = rng.lognormal(0.0, 0.8, len(centres))
    pairs = []
    for c, (_, unit, _) in enumerate(centres):
        chosen = []
        for category, (lo, hi) in KIND_ACCOUNTS[kinds[unit]].items():
            pool = by_category[category]
            chosen += list(rng.choice(pool, min(len(pool), int(rng.integers(lo, hi + 1))), replace=False))
        chosen += by_category["internal"]
        chosen = list(dict.fromkeys(int(i) for i in chosen))
        if rng.random() < 0.3:
            chosen = list(dict.fromkeys(chosen + [i for i, a in enumerate(accounts) if a[1] == "poistot"][:1]))
        weights = rng.lognormal(0.0, 1.0, len(chosen))
        for account, weight in zip(chosen, weights / weights.sum()):
            pairs.append((c, account, size[c] * weight))
    return County(tuple(units), tuple(reporting), tuple(centres), tuple(accounts), np.array(pairs))


def write_config(county: County, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO / "scheme.toml", folder / "scheme.toml")
    lines = ["# A generated county of a hundred units (bench/county_data.py).", "",
             "[organisation]", f"code = {toml_str(ORGANISATION[0])}", f"name_fi = {toml_str(ORGANISATION[1])}",
             f"name_sv = {toml_str(ORGANISATION[2])}", ""]
    for unit in county.units:
        lines += ["[[units]]", f"code = {toml_str(unit.code)}", f"name_fi = {toml_str(unit.name_fi)}",
                  f"name_sv = {toml_str(unit.name_sv)}"]
        lines += [f"parent = {toml_str(unit.parent)}"] if unit.parent else []
        lines.append("")
    for code, unit, moved_to in county.centres:
        name = f"Kustannuspaikka {code}"
        if moved_to is None:
            lines += ["[[cost_centres]]", f"code = {toml_str(code)}", f"name = {toml_str(name)}",
                      f"unit = {toml_str(unit)}", ""]
        else:
            lines += ["[[cost_centres]]", f"code = {toml_str(code)}", f"name = {toml_str(name)}",
                      f"unit = {toml_str(unit)}", "valid_to = 2024-12-31", "",
                      "[[cost_centres]]", f"code = {toml_str(code)}", f"name = {toml_str(name)}",
                      f"unit = {toml_str(moved_to)}", "valid_from = 2025-01-01", ""]
    (folder / "organisation.toml").write_text("\n".join(lines), encoding="utf-8")
    (folder / "template.toml").write_text(TEMPLATE, encoding="utf-8")


COLUMNS = '["mta", "tot", "tot_pct", "tpe", "tpe_pct", "mta_minus_tpe"]'
TEMPLATE = f"""# The demo's template (configs/demo/template.toml) for a county of three levels: the county's income
# statement, a table per division, a table per reporting unit (units = "descendants": in the figures, CSV,
# Excel and open data) and the county's table with a row per unit, printed in the county's section.

[template]
code = "osavuosikatsaus"
name_fi = "Osavuosikatsaus"
name_sv = "Delårsrapport"
scheme = "hva-tuloslaskelma"
amount_unit = 1000
percent_decimals = 1
zero_base = "zero"
empty = "blank"
internal = "exclude"
rounding = "half_up"
deviation_threshold_percent = 3
deviation_threshold_euros = 500000

[[template.columns]]
key = "mta"
kind = "budget"
version = "in_force"
label = "{{version}}"

[[template.columns]]
key = "tot"
kind = "actual"
label = "TOT {{period}}"
label_sv = "UTF {{period}}"

[[template.columns]]
key = "tot_pct"
kind = "ratio"
numerator = "tot"
denominator = "mta"
label = "TOT-%"
label_sv = "UTF-%"

[[template.columns]]
key = "tpe"
kind = "forecast"
version = "latest"
label = "{{version}}"

[[template.columns]]
key = "tpe_pct"
kind = "ratio"
numerator = "tpe"
denominator = "mta"
label = "TPE TOT-%"
label_sv = "BSP UTF-%"

[[template.columns]]
key = "mta_minus_tpe"
kind = "difference"
minuend = "mta"
subtrahend = "tpe"
label = "{{mta.version_short}} - {{tpe.version_short}} {{year}}"

[[template.columns]]
key = "ta_edv"
kind = "budget"
version = "in_force"
year_offset = -1
label = "{{version}}"

[[template.columns]]
key = "tot_edv"
kind = "actual"
year_offset = -1
label = "TOT {{period}}"

[[template.columns]]
key = "tot_edv_pct"
kind = "ratio"
numerator = "tot_edv"
denominator = "ta_edv"
label = "TOT-%"

[[template.tables]]
key = "tuloslaskelma_toimiala"
output = "tuloslaskelma"
title = "Tuloslaskelma (1000 €)"
title_sv = "Resultaträkning (1 000 €)"
units = "self"
columns = {COLUMNS}
footnotes = ["*) Tuloslaskelma ei sisällä sisäisiä eriä."]
footnotes_sv = ["*) Resultaträkningen innehåller inte interna poster."]
rows = [
  {{ line = "toimintatuotot" }},
  {{ line = "myyntituotot", level = 1 }},
  {{ line = "maksutuotot", level = 1 }},
  {{ line = "tuet_ja_avustukset", level = 1 }},
  {{ line = "muut_toimintatuotot", level = 1 }},
  {{ line = "toimintakulut" }},
  {{ line = "henkilostokulut", level = 1 }},
  {{ line = "palvelujen_ostot", level = 1 }},
  {{ line = "aineet_tarvikkeet_ja_tavarat", level = 1 }},
  {{ line = "avustukset", level = 1 }},
  {{ line = "muut_toimintakulut", level = 1 }},
  {{ line = "toimintakate" }},
  {{ line = "valtion_rahoitus" }},
  {{ line = "rahoitustuotot_ja_kulut" }},
  {{ line = "korkotuotot", level = 1 }},
  {{ line = "muut_rahoitustuotot", level = 1 }},
  {{ line = "korkokulut", level = 1 }},
  {{ line = "muut_rahoituskulut", level = 1 }},
  {{ line = "vuosikate" }},
  {{ line = "poistot" }},
  {{ line = "tilikauden_tulos" }},
]

[[template.tables]]
key = "kayttotalous_tulosalue"
output = "tuloslaskelma"
title = "Käyttötalous (1000 €)"
title_sv = "Driftsekonomi (1 000 €)"
units = "children"
columns = {COLUMNS}
rows = [
  {{ line = "toimintatuotot" }},
  {{ line = "toimintakulut" }},
  {{ line = "toimintakate" }},
  {{ line = "rahoitustuotot_ja_kulut" }},
  {{ line = "poistot" }},
  {{ line = "tilikauden_tulos", label = "Tilikauden tulos (ennen sisäisiä eriä)", label_sv = "Räkenskapsperiodens resultat (före interna poster)" }},
]

[[template.tables]]
key = "kayttotalous_yksikko"
output = "kayttotalous_yksikot"
title = "Yksikön käyttötalous (1000 €)"
title_sv = "Enhetens driftsekonomi (1 000 €)"
units = "descendants"
columns = {COLUMNS}
rows = [
  {{ line = "toimintatuotot" }},
  {{ line = "toimintakulut" }},
  {{ line = "henkilostokulut", level = 1 }},
  {{ line = "palvelujen_ostot", level = 1 }},
  {{ line = "toimintakate" }},
  {{ line = "poistot" }},
  {{ line = "tilikauden_tulos", label = "Tilikauden tulos (ennen sisäisiä eriä)", label_sv = "Räkenskapsperiodens resultat (före interna poster)" }},
]

[[template.tables]]
key = "toimintakate_yksikoittain"
output = "toimintakate_yksikoittain"
title = "Toimintakate yksiköittäin (1000 €)"
title_sv = "Verksamhetsbidrag per enhet (1 000 €)"
units = "descendants"
rows_by = "unit"
line = "toimintakate"
columns = {COLUMNS}

[[template.tables]]
key = "vertailu_edellinen_vuosi"
output = "vertailu_edellinen_vuosi"
title = "Toimintakate edellisenä vuonna vastaavana aikana (1000 €)"
title_sv = "Verksamhetsbidrag under motsvarande period föregående år (1 000 €)"
units = "self_and_children"
columns = ["ta_edv", "tot_edv", "tot_edv_pct"]
rows = [ {{ line = "toimintakate" }} ]

[template.document]
title = "Osavuosikatsaus"
title_sv = "Delårsrapport"
number_prefix = "1"
toc = true
profile = "last_year"

[[template.sections]]
title = "{{unit}} – osavuosikatsaus"
title_sv = "{{unit}} – delårsrapport"
units = "self"
level = 1
parts = [
  {{ kind = "narrative", section = "katsaus" }},
  {{ kind = "narrative", section = "talous", heading = "Käyttötalousosa: {{unit}}", heading_sv = "Driftsekonomi: {{unit}}" }},
  {{ kind = "table", table = "tuloslaskelma_toimiala" }},
  {{ kind = "table", table = "toimintakate_yksikoittain" }},
  {{ kind = "chart", chart = "cumulative", line = "toimintakate" }},
  {{ kind = "chart", chart = "realisation", line = "toimintakate" }},
]

[[template.sections]]
title = "{{unit}}"
units = "children"
level = 2
parts = [
  {{ kind = "narrative", section = "katsaus" }},
  {{ kind = "narrative", section = "talous", heading = "Talous", heading_sv = "Ekonomi" }},
  {{ kind = "goals" }},
  {{ kind = "table", table = "kayttotalous_tulosalue", heading = "Talous", heading_sv = "Ekonomi" }},
  {{ kind = "chart", chart = "cumulative", line = "toimintakate" }},
]

[[template.sections]]
title = "Vuoden {{year}} uusien tasapainottamistoimenpiteiden toteutuminen"
title_sv = "Genomförandet av nya balanseringsåtgärder år {{year}}"
units = "self"
level = 1
parts = [
  {{ kind = "balancing" }},
  {{ kind = "chart", chart = "balancing" }},
  {{ kind = "narrative", section = "tasapainottaminen" }},
]

[[template.sections]]
title = "Strategiasta johdettujen tavoitteiden toteutuminen"
title_sv = "Måluppfyllelse för de strategiska målen"
units = "self"
level = 1
parts = [
  {{ kind = "narrative", section = "strategia" }},
  {{ kind = "key_results" }},
]
"""


# --- the ledger ----------------------------------------------------------------------------------------------


def slots(weights: np.ndarray, total: int) -> np.ndarray:
    """Indices repeated in proportion to weights (each at least once), `total` slots in all."""
    counts = np.maximum(1, np.floor(weights / weights.sum() * total)).astype(np.int64)
    counts[np.argmax(counts)] += total - counts.sum()
    return np.repeat(np.arange(len(weights)), counts)


def write_ledger(county: County, year: int, rows: int, seed: int, path: Path, con) -> dict[tuple[int, int, int], int]:
    """Write one year's ledger; return its cents by (cost centre index, account index, month), from the same
    deterministic draws (for the plans)."""
    pair_slots = 1 << 20
    weights = county.pairs[:, 2]
    counts = np.maximum(1, np.floor(weights / weights.sum() * pair_slots)).astype(np.int64)
    counts[np.argmax(counts)] += pair_slots - counts.sum()
    starts = np.cumsum(counts) - counts
    pairs = county.pairs[:, :2].astype(np.int64)
    con.execute("CREATE OR REPLACE TEMP TABLE slot_pair AS SELECT unnest(range(lo, lo + n)) AS slot, c, a FROM "
                "(SELECT unnest($1) AS c, unnest($2) AS a, unnest($3) AS lo, unnest($4) AS n)",
                [pairs[:, 0].tolist(), pairs[:, 1].tolist(), starts.tolist(), counts.tolist()])
    categories = sorted(SEASON)
    month_rows = []
    for k, category in enumerate(categories):
        for slot, month in enumerate(slots(np.array(SEASON[category]), 1000)):
            month_rows.append((k, slot, int(month) + 1))
    con.execute("CREATE OR REPLACE TEMP TABLE slot_month AS SELECT * FROM (SELECT unnest($1) AS k, unnest($2) AS slot, "
                "unnest($3) AS m)", [[r[0] for r in month_rows], [r[1] for r in month_rows], [r[2] for r in month_rows]])
    acc = county.accounts
    con.execute("CREATE OR REPLACE TEMP TABLE acc AS SELECT * FROM (SELECT unnest($1) AS a, unnest($2) AS code, "
                "unnest($3) AS k, unnest($4) AS mean_cents, unnest($5) AS doc, unnest($6) AS name)", [
                    list(range(len(acc))), [a[0] for a in acc], [categories.index(a[2]) for a in acc],
                    [int(MEAN_EUROS[a[2]] * 100 * 20_000_000 / rows * 1.04 ** (year - 2023)) for a in acc],
                    [DOCUMENT_TYPE[a[2]] for a in acc], [a[3] for a in acc]])
    con.execute("CREATE OR REPLACE TEMP TABLE cc AS SELECT * FROM (SELECT unnest($1) AS c, unnest($2) AS code)",
                [list(range(len(county.centres))), [c[0] for c in county.centres]])
    u = "((hash(i, {s}, {y}, {k}) >> 11)::DOUBLE / 9007199254740992.0)"
    draws = {k: u.format(s=seed, y=year, k=k) for k in range(6)}
    con.execute(f"""CREATE OR REPLACE TEMP VIEW gen AS
        SELECT r.i, p.c, p.a, m.m,
               make_date({year}, m.m, 1) + CAST(floor({draws[2]} * day(last_day(make_date({year}, m.m, 1)))) AS INTEGER) AS d,
               CAST(greatest(1, round(acc.mean_cents * -ln(greatest({draws[3]}, 1e-12)))) AS BIGINT)
                 * CASE WHEN {draws[4]} < 0.015 THEN -1 ELSE 1 END AS cents,
               acc.code AS account, acc.doc, acc.name, cc.code AS centre
        FROM (SELECT i, CAST(hash(i, {seed}, {year}, 0) % {pair_slots} AS INTEGER) AS ps,
                     CAST(hash(i, {seed}, {year}, 1) % 1000 AS INTEGER) AS ms FROM range({rows}) t(i)) r
        JOIN slot_pair p ON p.slot = r.ps
        JOIN acc ON acc.a = p.a
        JOIN slot_month m ON m.k = acc.k AND m.slot = r.ms
        JOIN cc ON cc.c = p.c""")
    yy = str(year)[2:]
    con.execute(f"""COPY (
        SELECT strftime(d, '%-d.%-m.%Y') AS pvm, centre AS kustannuspaikka, account AS tili,
               CASE WHEN cents < 0 THEN '-' ELSE '' END || (abs(cents) // 100)::VARCHAR || ','
                   || lpad((abs(cents) % 100)::VARCHAR, 2, '0') AS summa,
               doc || '{yy}-' || lpad((i // 4)::VARCHAR, 8, '0') AS tosite,
               name || ' ' || m::VARCHAR || '/{year}' AS selite
        FROM gen ORDER BY i) TO '{path}' (FORMAT csv, DELIMITER ';', HEADER true, QUOTE '"')""")
    totals = con.execute("SELECT c, a, m, sum(cents) FROM gen GROUP BY ALL").fetchall()
    return {(int(c), int(a), int(m)): int(s) for c, a, m, s in totals}


# --- plans ---------------------------------------------------------------------------------------------------


def unit_line_totals(county: County, year: int, cents: dict, months: range) -> dict[tuple[str, str], int]:
    """Statement-sign cents by (unit, leaf line) of the months, internal items left out, each cost centre in
    the unit it belongs to that year."""
    out: dict[tuple[str, str], int] = {}
    for (c, a, m), value in cents.items():
        code, old, new = county.centres[c]
        _, line, category, _ = county.accounts[a]
        if m not in months or category == "internal":
            continue
        unit = new if (new and year >= 2025) else old
        out[(unit, line)] = out.get((unit, line), 0) - value
    return out


def write_plan(path: Path, county: County, figures: dict[tuple[str, str], int]) -> None:
    lines = ["yksikkö;rivi;summa"]
    for unit in county.reporting:
        for line in LEAF_LINES:
            euros = round(figures.get((unit.code, line), 0) / 100)
            lines.append(f"{unit.code};{line};{euros},00")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_plans(county: County, yearly: dict[int, dict], seed: int, out: Path) -> None:
    rng = np.random.default_rng([seed, 2])
    plans = {}
    for year in YEARS:
        actual = unit_line_totals(county, year, yearly[year], range(1, 13))
        # the budget was a little optimistic: costs 1–4 % under the outcome, revenues ±3 %
        plans[f"TA {year}"] = {k: round(v * (1 + (rng.normal(0.02, 0.01) if v < 0 else rng.normal(0, 0.03))))
                               for k, v in actual.items()}
    # MTA I 2025: a fifth of the units get more money for purchased services (+3–6 %)
    mta = dict(plans["TA 2025"])
    for unit in county.reporting[::5]:
        key = (unit.code, "palvelujen_ostot")
        if key in mta:
            mta[key] = round(mta[key] * (1 + rng.uniform(0.03, 0.06)))
    plans["MTA I 2025"] = mta
    # the year-end forecast: the budget in force ± 1 %, a tenth of the units 4–8 % over on their largest cost line
    tpe = {k: round(v * (1 + rng.normal(0, 0.01))) for k, v in mta.items()}
    for unit in county.reporting[3::10]:
        lines = [(v, k) for k, v in tpe.items() if k[0] == unit.code and v < 0]
        if lines:
            _, key = min(lines)
            tpe[key] = round(tpe[key] * (1 + rng.uniform(0.04, 0.08)))
    plans["TPE 2025"] = tpe
    for name, _, _, _, _, file in VERSIONS:
        write_plan(out / file, county, plans[name])
    lines = ["# Plan versions of the county bench (bench/county_data.py).", ""]
    for name, kind, year, when, who, file in VERSIONS:
        lines += ["[[versions]]", f"name = {toml_str(name)}", f"kind = {toml_str(kind)}", f"year = {year}",
                  f"date = {when}", f"{'decision' if kind == 'budget' else 'author'} = {toml_str(who)}",
                  f"file = {toml_str(file)}", ""]
    (out / "versions.toml").write_text("\n".join(lines), encoding="utf-8")


# --- content: goals, key results, balancing, narratives ------------------------------------------------------


STRATEGIC = (("S1", "Asukas saa tarvitsemansa palvelun oikeaan aikaan"),
             ("S2", "Palvelut tuotetaan vaikuttavasti ja kustannustehokkaasti"),
             ("S3", "Osaava ja hyvinvoiva henkilöstö"),
             ("S4", "Talous tasapainossa vuoteen 2026 mennessä"))


def write_content(county: County, seed: int, out: Path) -> int:
    rng = np.random.default_rng([seed, 3])
    content, narratives = out / "content", out / "narratives"
    content.mkdir(parents=True, exist_ok=True)
    narratives.mkdir(parents=True, exist_ok=True)
    lines = ["# Metrics, strategic goals, unit goals and key results of the county bench.", ""]
    lines += ["[[metrics]]", 'key = "hoitotakuu"', 'name = "Hoitotakuun toteutuminen"', 'unit = "%"',
              'mentions = ["hoitotakuu"]', ""]
    for code, name in STRATEGIC:
        lines += ["[[strategic_goals]]", f"code = {toml_str(code)}", f"name = {toml_str(name)}", ""]
    for i, unit in enumerate(county.reporting):
        goal = f"{unit.code}-S"
        lines += ["[[unit_goals]]", f"code = {toml_str(goal)}", f"strategic_goal = {toml_str(STRATEGIC[i % 4][0])}",
                  f"unit = {toml_str(unit.code)}", f"text = {toml_str(STRATEGIC[i % 4][1] + ' – ' + unit.name_fi)}", ""]
        measured = round(float(rng.uniform(55, 95)), 1)
        lines += ["[[key_results]]", f"code = {toml_str(unit.code + '-AT1')}", f"unit_goal = {toml_str(goal)}",
                  f"text = {toml_str('Asiakkaista vähintään 80 % saa palvelun tavoiteajassa')}", 'unit = "%"',
                  'target_kind = "at_least"',
                  f'entries = [{{ period = "{PERIOD}", measured = {measured}, target = 80, '
                  f'confidence = {int(rng.integers(40, 95))}, source = "Asiakastietojärjestelmä" }}]', ""]
    (content / "strategia.toml").write_text("\n".join(lines), encoding="utf-8")
    goals = ["# Operational goals of the county bench: two per reporting unit, one per division.", ""]
    for unit in county.units[1:]:
        if unit.kind == "" and unit.parent is None:
            continue
        count = 1 if unit.kind == "" else 2
        for k in range(count):
            code = f"{unit.code}-T{k + 1}"
            if k == 0:
                target = int(rng.integers(100, 5000))
                done = int(target * rng.uniform(0.3, 0.65))
                goals += ["[[goals]]", f"code = {toml_str(code)}", f"unit = {toml_str(unit.code)}", "year = 2025",
                          f"indicator = {toml_str('Asiakaskäyntien määrä')}",
                          'measures = [{ key = "kaynnit", unit = "kpl", label = "käyntiä" }]',
                          f'target = {{ kind = "full_year", value = {target}, wording = "vähintään {target} käyntiä" }}',
                          "[[goals.actuals]]", f'period = "{PERIOD}"', f"values = {{ kaynnit = {done} }}",
                          'source = "Osavuosikatsaus 1–6/2025"', ""]
            else:
                base = int(rng.integers(50, 900))
                now = int(base * rng.uniform(0.8, 1.08))
                goals += ["[[goals]]", f"code = {toml_str(code)}", f"unit = {toml_str(unit.code)}", "year = 2025",
                          f"indicator = {toml_str('Jonossa odottavien asiakkaiden määrä')}",
                          'measures = [{ key = "jono", unit = "asiakasta", label = "asiakasta" }]',
                          f'target = {{ kind = "decrease", value = 10, baseline = {base}, baseline_year = 2024, '
                          f'wording = "vähenee 10 % vuodesta 2024 ({base})" }}',
                          "[[goals.actuals]]", f'period = "{PERIOD}"', f"values = {{ jono = {now} }}",
                          'source = "Osavuosikatsaus 1–6/2025"', ""]
    (content / "toiminnalliset-tavoitteet.toml").write_text("\n".join(goals), encoding="utf-8")
    balancing = ["# The balancing programme of the county bench.", "", "[balancing]",
                 'title = "Uudet tasapainottamistoimenpiteet (1000 €)"', 'total_label = "Yhteensä"',
                 "amount_unit = 1000", "percent_decimals = 0", ""]
    owners = [u for u in county.units if u.parent == ROOT_UNIT[0] for _ in range(3)] + list(county.reporting[::5])
    for i, owner in enumerate(owners):
        target = int(rng.integers(2, 40)) * 100_000
        balancing += ["[[measures]]", f'code = "TT-{i + 1:03d}"',
                      f"name = {toml_str(f'Toimenpide {i + 1}: {owner.name_fi}')}", f"owner = {toml_str(owner.code)}",
                      "year = 2025", f"target = {target}",
                      f'entries = [{{ period = "{PERIOD}", actual = {int(target * rng.uniform(0, 0.6))}, '
                      f'forecast = {int(target * rng.uniform(0.6, 1.05))} }}]', ""]
    (content / "tasapainottaminen.toml").write_text("\n".join(balancing), encoding="utf-8")
    count = 0
    for position, unit in enumerate(county.units, start=1):
        sections = (("katsaus", "talous", "tasapainottaminen", "strategia") if unit.parent is None
                    else ("katsaus", "talous") if unit.kind == "" else ("katsaus",))
        for k, section in enumerate(sections):
            count += 1
            body = narrative_text(unit, section)
            (narratives / f"{position:03d}-{k}-{unit.code}-{section}.md").write_text(
                f'+++\nunit = {toml_str(unit.code)}\nperiod = "{PERIOD}"\nsection = "{section}"\n'
                f"title = {toml_str(unit.name_fi)}\norder = {count}\n+++\n\n{body}\n", encoding="utf-8")
    return count


def narrative_text(unit: Unit, section: str) -> str:
    if section == "katsaus":
        return (f"{unit.name_fi}: toimintakate 1–6/2025 on {{{{ luku: . / toimintakate / tot | milj }}}} miljoonaa "
                "euroa ja toteutumaprosentti {{ luku: . / toimintakate / tot_pct }}. Toimintakulujen "
                "ennuste on {{ luku: . / toimintakulut / tpe | milj }} miljoonaa euroa.\n\n"
                "Palvelujen kysyntä on kasvanut alkuvuonna, ja henkilöstön saatavuus on ollut haasteellista "
                "erityisesti kesäkuukausina. Ostopalveluja on käytetty sijaisten puutteen vuoksi.")
    if section == "talous":
        return ("Toimintatuotot 1–6/2025 ovat {{ luku: . / toimintatuotot / tot | milj }} miljoonaa euroa ja "
                "toimintakulut {{ luku: . / toimintakulut / tot | milj }} miljoonaa euroa. Kesäkuun lomarahat "
                "näkyvät henkilöstökuluissa.")
    if section == "tasapainottaminen":
        return "Tasapainottamistoimenpiteiden toteutumista seurataan kuukausittain."
    return "Strategisten tavoitteiden avaintulokset on koottu alla olevaan taulukkoon."


# --- the whole county ----------------------------------------------------------------------------------------


def generate(out: Path, rows_per_year: int, seed: int = 2025, log=print) -> Path:
    """The county's files below out/<rows>-<seed>/ (made once; found again on a re-run). Returns that folder."""
    folder = out / f"{rows_per_year}-{seed}"
    manifest = folder / "county.json"
    wanted = {"format": FORMAT_VERSION, "rows_per_year": rows_per_year, "seed": seed}
    if manifest.exists():
        found = json.loads(manifest.read_text())
        if {k: found.get(k) for k in wanted} == wanted:
            log(f"county data found in {folder} (generated in {found['seconds']:.0f} s)")
            return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    county = build_county(seed)
    write_config(county, folder / "config")
    con = duckdb.connect()
    yearly = {}
    sizes = {}
    for year in YEARS:
        t = time.perf_counter()
        path = folder / f"kirjanpito-{year}.csv"
        yearly[year] = write_ledger(county, year, rows_per_year, seed, path, con)
        sizes[year] = path.stat().st_size
        log(f"generated {path.name}: {rows_per_year:,} rows, {sizes[year] / 1e9:.2f} GB in {time.perf_counter() - t:.1f} s")
    con.close()
    write_plans(county, yearly, seed, folder)
    narratives = write_content(county, seed, folder)
    info = {**wanted, "seconds": time.perf_counter() - started, "units": len(county.units),
            "reporting_units": len(county.reporting), "cost_centres": len(county.centres),
            "accounts": len(county.accounts), "centre_account_pairs": len(county.pairs), "narratives": narratives,
            "ledger_bytes": sizes, "years": list(YEARS), "period": PERIOD,
            "root": ROOT_UNIT[0], "divisions": [d[0] for d in DIVISIONS],
            "reporting": [u.code for u in county.reporting]}
    manifest.write_text(json.dumps(info, indent=1))
    log(f"county generated in {info['seconds']:.0f} s: {folder}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/katsaus-county"))
    parser.add_argument("--rows-per-year", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(args.out, args.rows_per_year, args.seed)


if __name__ == "__main__":
    main()
