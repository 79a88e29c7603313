"""The documents' fixed texts in Finnish and Swedish: headings, column labels, statuses, chart legends, alt texts.

One catalogue per language, as plain dicts: a translator edits one block and a missing key is a test failure
(tests/test_render_html.py checks that every language has every Finnish key). Texts the organisation writes
(narratives, goal wordings, table titles) are not here: they come from the content and the template, Swedish ones
from their `*_sv` keys and the configuration's `name_sv`. Month names and number formats come from Babel (CLDR).
"""

from __future__ import annotations

from babel.dates import get_month_names

LANGUAGES = ("fi", "sv")

CATALOGUE: dict[str, dict[str, str]] = {
    "fi": {
        "toc": "Sisällys",
        "skip": "Siirry sisältöön",
        "status": "Tila",
        "draft": "Luonnos",
        "draft_on": "Luonnos {date}",
        "approved": "Hyväksytty",
        "approved_on": "Hyväksytty {date}",
        "organisation": "Organisaatio",
        "unit": "Yksikkö",
        "unit_code": "Yksikön tunnus",
        "period": "Kausi",
        "amount_unit": "Rahayksikkö",
        "template": "Raporttipohja",
        "language": "Kieli",
        "table_n": "Taulukko {n}.",
        "figure_n": "Kuvio {n}.",
        "charts": "Kuviot",
        "about": "Tietoja raportista",
        "sources": "Lähteet",
        "versions": "Versiot",
        "software": "Ohjelmisto",
        "source_kind": "Laji",
        "source_name": "Tiedosto",
        "source_rows": "Rivejä",
        "source_imported": "Tuotu",
        "version_name": "Nimi",
        "version_kind": "Laji",
        "version_year": "Vuosi",
        "version_effective": "Voimaan",
        "version_decision": "Päätös",
        "version_author": "Laatija",
        "kind_ledger": "kirjanpito",
        "kind_budget": "talousarvio",
        "kind_forecast": "ennuste",
        "page": "Sivu",
        "goals": "Toiminnalliset tavoitteet",
        "goal_plan": "Suunnitelma {year}",
        "goal_actual": "Toteuma {year}",
        "key_results": "Strategiset tavoitteet ja avaintulokset",
        "kr_division": "Toimiala",
        "kr_unit": "Tulosalue",
        "kr_goal": "Tavoite",
        "kr_key_result": "Avaintulos",
        "kr_confidence": "Luottavaisuus\u00adarvio",  # a soft hyphen: the narrow column may break it there
        "balancing": "Tasapainottamistoimenpiteet",
        "bal_measure": "Toimenpide",
        "bal_target": "Tavoite {year}",
        "bal_actual": "Toteuma {period}",
        "bal_actual_pct": "Toteuma %",
        "bal_forecast": "Ennuste {year}",
        "bal_forecast_pct": "Ennuste %",
        "million": "milj. €",
        "thousand": "1000 €",
        "chart_cumulative": "{line} kuukausittain kertyvänä {year}: {unit}",
        "chart_realisation": "{line}: toteutumaprosentti {period} yksiköittäin",
        "chart_balancing": "Tasapainottamistoimenpiteiden toteutuminen {period}",
        "legend_actual": "Toteuma {period}",
        "legend_budget": "Talousarvio {version}",
        "legend_forecast": "Ennuste {version}",
        "profile_last_year": "kertymä vuoden {year} kuukausiprofiililla",
        "profile_time": "aikaan suhteutettu kertymä",
        "legend_benchmark": "Aikaan suhteutettu {pct}",
        "legend_target": "Tavoite",
        "legend_bal_actual": "Toteuma {period}",
        "legend_bal_forecast": "Ennuste",
        "axis_months": "Kuukausi",
        "axis_million": "milj. €",
        "axis_thousand": "1000 €",
        "axis_percent": "% talousarviosta",
        "alt_cumulative": "{line} {period} {actual} milj. €, {pct} talousarviosta; aikaan suhteutettu {bench}.",
        "alt_cumulative_plans": " Talousarvio {budget_name} {budget} milj. €{budget_shape}; ennuste {forecast_name} {forecast} milj. €.",
        "alt_budget_to_date": ", kertymäprofiilin mukaan {to_date} milj. € kauden lopussa",
        "alt_realisation": "{line}, toteutumaprosentti {period}: {items}; aikaan suhteutettu {bench}.",
        "alt_balancing": "Tasapainottamistoimenpiteet {period}: tavoite yhteensä {target} milj. €, toteuma {actual} milj. € ({actual_pct}), ennuste {forecast} milj. € ({forecast_pct}).",
        "alt_balancing_item": "{name}: tavoite {target}, toteuma {actual}, ennuste {forecast} (1000 €)",
        "no_value": "ei tietoa",
    },
    "sv": {
        "toc": "Innehåll",
        "skip": "Hoppa till innehållet",
        "status": "Status",
        "draft": "Utkast",
        "draft_on": "Utkast {date}",
        "approved": "Godkänd",
        "approved_on": "Godkänd {date}",
        "organisation": "Organisation",
        "unit": "Enhet",
        "unit_code": "Enhetens kod",
        "period": "Period",
        "amount_unit": "Valutaenhet",
        "template": "Rapportmall",
        "language": "Språk",
        "table_n": "Tabell {n}.",
        "figure_n": "Figur {n}.",
        "charts": "Figurer",
        "about": "Om rapporten",
        "sources": "Källor",
        "versions": "Versioner",
        "software": "Programvara",
        "source_kind": "Typ",
        "source_name": "Fil",
        "source_rows": "Rader",
        "source_imported": "Importerad",
        "version_name": "Namn",
        "version_kind": "Typ",
        "version_year": "År",
        "version_effective": "I kraft",
        "version_decision": "Beslut",
        "version_author": "Upprättad av",
        "kind_ledger": "bokföring",
        "kind_budget": "budget",
        "kind_forecast": "prognos",
        "page": "Sida",
        "goals": "Verksamhetsmål",
        "goal_plan": "Plan {year}",
        "goal_actual": "Utfall {year}",
        "key_results": "Strategiska mål och nyckelresultat",
        "kr_division": "Sektor",
        "kr_unit": "Resultatområde",
        "kr_goal": "Mål",
        "kr_key_result": "Nyckelresultat",
        "kr_confidence": "Konfidens\u00adbedömning",
        "balancing": "Balanseringsåtgärder",
        "bal_measure": "Åtgärd",
        "bal_target": "Mål {year}",
        "bal_actual": "Utfall {period}",
        "bal_actual_pct": "Utfall %",
        "bal_forecast": "Prognos {year}",
        "bal_forecast_pct": "Prognos %",
        "million": "mn €",
        "thousand": "1 000 €",
        "chart_cumulative": "{line} kumulativt per månad {year}: {unit}",
        "chart_realisation": "{line}: utfallsprocent {period} per enhet",
        "chart_balancing": "Genomförandet av balanseringsåtgärderna {period}",
        "legend_actual": "Utfall {period}",
        "legend_budget": "Budget {version}",
        "legend_forecast": "Prognos {version}",
        "profile_last_year": "kumulativt enligt månadsprofilen för {year}",
        "profile_time": "tidsproportionellt kumulativt",
        "legend_benchmark": "Tidsproportionell {pct}",
        "legend_target": "Mål",
        "legend_bal_actual": "Utfall {period}",
        "legend_bal_forecast": "Prognos",
        "axis_months": "Månad",
        "axis_million": "mn €",
        "axis_thousand": "1 000 €",
        "axis_percent": "% av budgeten",
        "alt_cumulative": "{line} {period} {actual} mn €, {pct} av budgeten; tidsproportionellt {bench}.",
        "alt_cumulative_plans": " Budget {budget_name} {budget} mn €{budget_shape}; prognos {forecast_name} {forecast} mn €.",
        "alt_budget_to_date": ", enligt profilen {to_date} mn € i slutet av perioden",
        "alt_realisation": "{line}, utfallsprocent {period}: {items}; tidsproportionellt {bench}.",
        "alt_balancing": "Balanseringsåtgärder {period}: mål totalt {target} mn €, utfall {actual} mn € ({actual_pct}), prognos {forecast} mn € ({forecast_pct}).",
        "alt_balancing_item": "{name}: mål {target}, utfall {actual}, prognos {forecast} (1 000 €)",
        "no_value": "uppgift saknas",
    },
}


def language_of(language: str) -> str:
    """The catalogue's language for a language or locale code ("sv_FI" -> "sv"); Finnish when unknown."""
    short = language[:2].lower()
    return short if short in CATALOGUE else "fi"


def text(language: str, key: str, **values: object) -> str:
    """A fixed text in the language, placeholders filled; a key missing from a translation falls back to Finnish."""
    catalogue = CATALOGUE[language_of(language)]
    template = catalogue.get(key, CATALOGUE["fi"][key])
    return template.format(**values) if values else template


def month_names(language: str, width: str = "abbreviated") -> list[str]:
    """Month names 1..12 from CLDR: fi "tammi" … , sv "jan." …"""
    names = get_month_names(width, context="stand-alone", locale=language_of(language))
    return [str(names[m]) for m in range(1, 13)]


def html_lang(language: str, pdf: bool = False) -> str:
    """The `lang` of the page: "fi" on the web page; a region for the PDF's /Lang (fi-FI, sv-FI)."""
    base = language_of(language)
    return f"{base}-FI" if pdf else base
