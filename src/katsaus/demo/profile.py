"""Domain knowledge of the demo county that the published report does not print.

The model report prints the result areas' totals but not their sub-lines, cost centres, accounts or months.
Everything here is an invented but plausible profile used only to choose *among* the solutions the printed
figures allow: cost composition per result area (the prior of the solver), the accounts each line is booked
on, the seasonality of each line, and the 2024 and TA 2025 scaling. Change these and the generated data stays
exact (the constraints guarantee that); only its texture changes.
"""

from __future__ import annotations

from dataclasses import dataclass

# Natural statement sign of the operating lines: revenues +, costs −. Financial items and state funding may
# take either sign (the division's "Muut rahoitustuotot" is printed −5), so they are left free.
NATURAL_SIGN: dict[str, int] = {
    "myyntituotot": 1,
    "maksutuotot": 1,
    "tuet_ja_avustukset": 1,
    "muut_toimintatuotot": 1,
    "valmistus_omaan_kayttoon": 1,
    "palkat_ja_palkkiot": -1,
    "henkilosivukulut": -1,
    "palvelujen_ostot": -1,
    "aineet_tarvikkeet_ja_tavarat": -1,
    "avustukset": -1,
    "muut_toimintakulut": -1,
    "poistot": -1,
}

_REVENUE = ("myyntituotot", "maksutuotot", "tuet_ja_avustukset", "muut_toimintatuotot")

# Composition of each result area (shares of its revenues and of its costs). Child welfare and disability
# services buy most of their services (placements, housing services); family centres (maternity clinics,
# school health care) and administration are mostly own staff; social services pay supplementary social
# assistance (avustukset). Pay is ~81 % of personnel costs, pension and other social costs ~19 %.
_COSTS: dict[str, dict[str, float]] = {
    "PESOVA-HALL": {"henk": 0.74, "palvelujen_ostot": 0.16, "aineet_tarvikkeet_ja_tavarat": 0.03,
                    "avustukset": 0.01, "muut_toimintakulut": 0.06},
    "PESOVA-PK": {"henk": 0.68, "palvelujen_ostot": 0.22, "aineet_tarvikkeet_ja_tavarat": 0.03,
                  "avustukset": 0.01, "muut_toimintakulut": 0.06},
    "PESOVA-LS": {"henk": 0.30, "palvelujen_ostot": 0.58, "aineet_tarvikkeet_ja_tavarat": 0.01,
                  "avustukset": 0.07, "muut_toimintakulut": 0.04},
    "PESOVA-VP": {"henk": 0.34, "palvelujen_ostot": 0.56, "aineet_tarvikkeet_ja_tavarat": 0.01,
                  "avustukset": 0.05, "muut_toimintakulut": 0.04},
    "PESOVA-SP": {"henk": 0.42, "palvelujen_ostot": 0.28, "aineet_tarvikkeet_ja_tavarat": 0.01,
                  "avustukset": 0.25, "muut_toimintakulut": 0.04},
}
_REVENUES: dict[str, tuple[float, float, float, float]] = {
    "PESOVA-HALL": (0.25, 0.25, 0.25, 0.25),
    "PESOVA-PK": (0.30, 0.15, 0.40, 0.15),
    "PESOVA-LS": (0.50, 0.15, 0.20, 0.15),
    "PESOVA-VP": (0.40, 0.40, 0.05, 0.15),
    "PESOVA-SP": (0.35, 0.15, 0.20, 0.30),
}
PAY_SHARE = 0.81


def composition(unit: str) -> dict[str, float]:
    """Seed shares of a result area's leaf lines (revenue shares sum to 1, cost shares sum to 1)."""
    costs = _COSTS.get(unit, {"henk": 0.5, "palvelujen_ostot": 0.3, "aineet_tarvikkeet_ja_tavarat": 0.05,
                              "avustukset": 0.05, "muut_toimintakulut": 0.1})
    shares = dict(zip(_REVENUE, _REVENUES.get(unit, (0.25, 0.25, 0.25, 0.25))))
    shares.update({k: v for k, v in costs.items() if k != "henk"})
    shares["palkat_ja_palkkiot"] = costs["henk"] * PAY_SHARE
    shares["henkilosivukulut"] = costs["henk"] * (1 - PAY_SHARE)
    shares["poistot"] = 1.0
    return shares


# ---------------------------------------------------------------- accounts
@dataclass(frozen=True)
class Account:
    code: str
    name: str
    weight: float
    months: tuple[int, ...] = ()  # only these months (e.g. holiday bonus in June); () = every month
    july_boost: float = 1.0  # summer substitutes: this account's weight multiplier in July


ACCOUNTS: dict[str, tuple[Account, ...]] = {
    "myyntituotot": (Account("300000", "Myyntituotot muilta hyvinvointialueilta", 0.5),
                     Account("301000", "Myyntituotot kunnilta", 0.2),
                     Account("310000", "Muut myyntituotot", 0.3)),
    "maksutuotot": (Account("320000", "Sosiaalitoimen asiakasmaksut", 0.6),
                    Account("321000", "Asumispalvelujen maksut", 0.4)),
    "tuet_ja_avustukset": (Account("330000", "Valtion korvaukset", 0.6),
                           Account("331000", "Hankeavustukset", 0.4)),
    "muut_toimintatuotot": (Account("340000", "Vuokratuotot", 0.7),
                            Account("360000", "Muut toimintatuotot", 0.3)),
    "palkat_ja_palkkiot": (Account("400000", "Kuukausipalkat", 0.84),
                           Account("401000", "Lomarahat", 0.45, months=(6,)),
                           Account("402000", "Sijaisten ja tuntipalkat", 0.10, july_boost=3.0),
                           Account("405000", "Palkkiot", 0.06)),
    "henkilosivukulut": (Account("410000", "Eläkekulut", 0.84),
                         Account("411000", "Muut henkilösivukulut", 0.16)),
    "palvelujen_ostot": (Account("430000", "Asiakaspalvelujen ostot", 0.55),
                         Account("431000", "Asumispalvelujen ostot", 0.30),
                         Account("440000", "Muiden palvelujen ostot", 0.15)),
    "aineet_tarvikkeet_ja_tavarat": (Account("450000", "Toimisto- ja hoitotarvikkeet", 0.6),
                                     Account("460000", "Elintarvikkeet", 0.4)),
    "avustukset": (Account("470000", "Avustukset kotitalouksille", 0.8),
                   Account("471000", "Avustukset yhteisöille", 0.2)),
    "muut_toimintakulut": (Account("490000", "Vuokrat", 0.8),
                           Account("491000", "Muut toimintakulut", 0.2)),
    "valmistus_omaan_kayttoon": (Account("370000", "Valmistus omaan käyttöön", 1.0),),
    "valtion_rahoitus": (Account("500000", "Valtion rahoitus", 1.0),),
    "korkotuotot": (Account("600000", "Korkotuotot", 1.0),),
    "muut_rahoitustuotot": (Account("610000", "Muut rahoitustuotot", 1.0),),
    "korkokulut": (Account("620000", "Korkokulut", 1.0),),
    "muut_rahoituskulut": (Account("630000", "Viivästyskorot ja muut rahoituskulut", 1.0),),
    "poistot": (Account("700000", "Suunnitelman mukaiset poistot", 1.0),),
}

# Internal items (scheme internal_accounts 90–99): bought from and sold to other divisions of the county.
# Yearly amount per result area as a share of its external costs; ledger sign (revenues negative).
INTERNAL: tuple[tuple[str, str, float], ...] = (
    ("900000", "Sisäiset myyntituotot", -0.015),
    ("950000", "Sisäiset palvelujen ostot", 0.020),
    ("970000", "Sisäiset vuokrat", 0.045),
)

# ---------------------------------------------------------------- seasonality
# Relative monthly weights (Jan..Dec) of a line's yearly total before noise. Why:
#  * personnel: holiday bonus (lomaraha) paid in June (+45 %), summer substitutes in July (+15 %),
#    August lower (holidays taken, substitutes gone), December accrual of holiday pay liability;
#  * revenues: invoicing lags a month, so January is low; December carries accrued revenue;
#  * purchased services: fairly flat, slightly lower in January, December accruals;
#  * materials: lower in July; subsidies flat; rents flat; depreciation exactly even.
SEASON: dict[str, tuple[float, ...]] = {
    "personnel": (1.0, 0.97, 1.0, 1.0, 1.0, 1.45, 1.15, 0.88, 1.0, 1.0, 1.0, 1.06),
    "revenue": (0.55, 0.90, 1.0, 1.0, 1.0, 1.0, 0.90, 0.95, 1.05, 1.05, 1.05, 1.30),
    "services": (0.96, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.08),
    "materials": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.70, 0.90, 1.0, 1.0, 1.0, 1.20),
    "flat": (1.0,) * 12,
    "financial": (1.0,) * 12,
}
NOISE = {"personnel": 0.015, "revenue": 0.08, "services": 0.04, "materials": 0.08, "flat": 0.02,
         "financial": 0.5}
# Costs drift up during a year (pay rises of the sector agreements, index clauses of service contracts):
# each month's weight is multiplied by 1 + TREND·(month − 1). This is also why the first half-year holds
# somewhat less than half of a year's costs despite the June holiday bonus.
TREND = {"personnel": 0.006, "services": 0.006, "materials": 0.003}
SEASON_OF_LINE: dict[str, str] = {
    "myyntituotot": "revenue", "maksutuotot": "revenue", "tuet_ja_avustukset": "revenue",
    "muut_toimintatuotot": "revenue", "palkat_ja_palkkiot": "personnel", "henkilosivukulut": "personnel",
    "palvelujen_ostot": "services", "aineet_tarvikkeet_ja_tavarat": "materials", "avustukset": "flat",
    "muut_toimintakulut": "flat", "poistot": "flat",
}

# How many document rows one (cost centre, account, month) total is split into: (min, max).
DOCUMENTS: dict[str, tuple[int, int]] = {
    "personnel": (1, 2), "revenue": (2, 5), "services": (2, 7), "materials": (1, 4), "flat": (1, 3),
    "financial": (1, 2),
}
DEPRECIATION_LINES = frozenset({"poistot"})

# ---------------------------------------------------------------- other years and versions
# TA 2024 = MTA I 2025 scaled: revenues a little lower, disability services' costs 3 % higher (the 2025
# budget had ~5 M€ less than the 2024 outcome, as the report says); the other areas' cost factor is solved
# so that the division's TA 2024 toimintakate matches the prior-year sentence.
TA2024_REVENUE_FACTOR = 0.97
TA2024_COST_FACTOR = {"PESOVA-VP": 1.03}
TA2024_DEPRECIATION_FACTOR = 0.95
# 2024 outcome relative to TA 2024: costs overran a little, revenues came in slightly above budget.
ACTUAL2024_COST_FACTOR = {"PESOVA-VP": 1.035}
ACTUAL2024_DEFAULT_COST_FACTOR = 1.012
ACTUAL2024_REVENUE_FACTOR = 1.02
# Earlier years (2021–2023), the history the forecasts learn from: generated backwards from the 2024
# outcome, each year's total being the next year's divided by 1 + the yearly growth of its line kind (pay
# agreements, service prices and volumes, fees) + noise per unit × line. 2021–2022 stand for the predecessor
# organisations' figures restated to the county's cost centres, as counties received them in 2023.
HISTORY_GROWTH = {"personnel": 0.045, "services": 0.065, "materials": 0.04, "flat": 0.03, "revenue": 0.03,
                  "financial": 0.0}
HISTORY_GROWTH_NOISE = 0.02
# TA 2025 (the original budget) vs MTA I 2025: MTA I added appropriation for purchased services in
# disability services (the new disability services act) and child welfare placements. Euros, statement sign.
TA2025_CHANGES: dict[tuple[str, str], int] = {
    ("PESOVA-VP", "palvelujen_ostot"): 1_500_000,
    ("PESOVA-LS", "palvelujen_ostot"): 400_000,
}

# ---------------------------------------------------------------- documents
@dataclass(frozen=True)
class Booking:
    """How a line's rows look in the ledger."""

    doc_type: str  # PA payroll, OL purchase invoice, ML sales invoice, MA payment, MU memo, SI internal
    text: str  # str.format with {account} {month} {year} {partner}
    day: str  # "payday" (15th), "random", "first", "last"
    shared: bool = False  # one document per month for all rows (a payroll run, the depreciation run)


BOOKING: dict[str, Booking] = {
    "revenue": Booking("ML", "Myyntilasku {partner}: {account} {month}/{year}", "random"),
    "personnel": Booking("PA", "Palkka-ajo {month}/{year}: {account}", "payday", shared=True),
    "services": Booking("OL", "Ostolasku {partner}: {account}", "random"),
    "materials": Booking("OL", "Ostolasku {partner}: {account}", "random"),
    "avustukset": Booking("MA", "Maksatus: {account} {month}/{year}", "random"),
    "muut_toimintakulut": Booking("OL", "{account} {month}/{year}", "first"),
    "poistot": Booking("MU", "Suunnitelman mukaiset poistot {month}/{year}", "last", shared=True),
    "financial": Booking("MU", "{account} {month}/{year}", "random"),
}
SUPPLIERS = (
    "Hoivakoti Aurinkoranta Oy", "Perhekoti Tuulikello Oy", "Asumispalvelut Kotipesä Oy",
    "Henkilöapu Häme Oy", "Tukipalvelu Linna Oy", "Terapiakeskus Ilo Oy", "Taksipalvelu Vanaja Oy",
    "Tarviketukku Häme Oy", "Ruokapalvelu Kanta Oy", "Kuntoutuskoti Koivula Oy",
)
CUSTOMERS = (
    "Pirkanmaan hyvinvointialue", "Päijät-Hämeen hyvinvointialue", "Hämeenlinnan kaupunki", "Kela",
    "asiakasmaksujen laskutusajo", "Valtiokonttori",
)
PAYDAY = 15
# Required entries that net to zero (a printed 0 over lines the solution left at 0): a booking and its
# reversal, e.g. state funding first posted to the division's cost centre and then corrected.
CORRECTION_TEXTS = ("Virheellinen kirjaus", "Virheellisen kirjauksen oikaisu")
