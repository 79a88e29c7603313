"""The words of every refusal, warning, finding and note, in the reader's language.

One catalogue (the TOML files of `render/catalogue/`, one per area so that each reads as a whole; a code is in
exactly one of them) keyed by the stable codes of `katsaus.core.errors`: each entry
has its Finnish and Swedish text (`fi`, `sv`) and, where the reader needs to know what would be right, what was
expected (`expected_fi`, `expected_sv`). Texts name parameters in braces (`{name}`); parameters are formatted
here, in the reader's form: numbers and dates by Babel, `Money` as euros, `Percent` as a percentage, `Term` by its
own catalogue entry, sequences joined with commas.

A code that is not in the catalogue is a bug (tests/test_messages.py looks for every code the source can make);
in production it is shown as its code and parameters rather than failing the page that shows it.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

from ..core.errors import Money, Note, Param, Percent, Problem, Refused, Term

LANGUAGES = ("fi", "sv")
# A code missing from the catalogue raises KeyError instead of being shown as its code: the tests set it (and a
# process they start inherits KATSAUS_STRICT_MESSAGES=1), so that no missing text passes unseen.
STRICT = os.environ.get("KATSAUS_STRICT_MESSAGES") == "1"
CATALOGUE_DIR = Path(__file__).with_name("catalogue")
LOCATION_WORDS = ("file", "sheet", "row", "column", "key", "unit", "table")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every code's texts: {code: {"fi": …, "sv": …, "expected_fi": …, "expected_sv": …}}."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        for code, entry in raw.items():
            if code in entries:
                raise ValueError(f"{path.name}: code {code!r} is also in another catalogue file")
            entries[code] = {k: str(v) for k, v in entry.items()}
    return entries


def language_of(language: str | None) -> str:
    return language if language in LANGUAGES else "fi"


def placeholders(text: str) -> set[str]:
    """The parameter names a catalogue text uses."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


# --- parameters ---------------------------------------------------------------------------------------------


def param_text(value: Param | object, language: str) -> str:
    """A parameter in the reader's form."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return term_text("yes" if value else "no", language)
    if isinstance(value, Term):
        return term_text(value.code, language)
    if isinstance(value, Note):
        return note_text(value, language)
    if isinstance(value, Money):
        return money_text(value.cents, language)
    if isinstance(value, Percent):
        return number_text(value.ratio * 100, language, 1) + "\u00a0%"
    if isinstance(value, int):
        return str(value)  # a count, a row, a year: never grouped (2025, not 2 025)
    if isinstance(value, Decimal | Fraction):
        return number_text(value, language)
    if isinstance(value, date):
        return format_date(value, format="d.M.yyyy", locale=language)
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(param_text(item, language) for item in value)
    return str(value)


def number_text(value: Decimal | Fraction, language: str, places: int = 4) -> str:
    """An exact number with up to `places` decimals, in the reader's form ("-1 234,5")."""
    from ..core.rounding import round_to

    shown = round_to(Fraction(value), places, "half_up") if isinstance(value, Fraction) else value
    text = format_decimal(shown, format="#,##0." + "#" * places, locale=language, decimal_quantization=False)
    return text.replace("\u2212", "-")


def money_text(cents: int, language: str) -> str:
    from ..core.rounding import round_to

    euros = round_to(Fraction(cents, 100), 2, "half_up")
    return format_decimal(euros, format="#,##0.00", locale=language).replace("\u2212", "-") + "\u00a0€"


def term_text(code: str, language: str) -> str:
    """A term's words: `term.<code>` of the catalogue; a forecast method's (`method.<name>`) are the documents'."""
    if code.startswith("method."):
        from .presented import method_label

        return method_label(code.removeprefix("method."), language_of(language))
    entry = catalogue().get(f"term.{code}")
    if entry is None and STRICT:
        raise KeyError(f"term.{code}")
    return entry[language_of(language)] if entry else code


# --- texts --------------------------------------------------------------------------------------------------


def fill(code: str, part: str, params: Mapping[str, Param], language: str) -> str | None:
    """The catalogue's `part` ("" for the text, "expected_") of a code, its parameters filled in; None if the
    catalogue has no such part. A code missing from the catalogue gives its code and parameters."""
    language = language_of(language)
    entry = catalogue().get(code)
    if entry is None:
        if STRICT:
            raise KeyError(code)
        if part:
            return None
        shown = ", ".join(f"{k}={param_text(v, language)}" for k, v in params.items())
        return f"{code}({shown})" if shown else code
    text = entry.get(f"{part}{language}")
    if text is None:
        return None
    values = {name: param_text(value, language) for name, value in params.items()}
    return text.format_map(_Missing(values))


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def note_text(note: Note | str, language: str) -> str:
    note = note if isinstance(note, Note) else Note(note)
    return fill(note.code, "", note.params, language) or note.code


@dataclass(frozen=True)
class Shown:
    """A problem as a reader sees it: each part in their language (empty where the problem has none)."""

    code: str
    severity: str
    severity_text: str
    text: str
    expected: str
    found: str
    file: str
    sheet: str
    row: str
    column: str
    key: str
    unit: str
    table: str
    passage: str
    where: str  # the located parts as one phrase: "kirjanpito.csv, rivi 12, sarake 'summa'"
    line: str   # all of it as one line: where, what, expected, found


def shown(problem: Problem, language: str, strip_prefix: str = "") -> Shown:
    """A problem's parts in the reader's language; `strip_prefix` is taken out of file names (a temporary
    folder an upload was written to)."""
    language = language_of(language)

    def plain(value: object) -> str:
        return "" if value is None else str(value).replace(strip_prefix, "") if strip_prefix else str(value)

    location = problem.location()
    where = ", ".join(location_part(name, plain(value), language) for name, value in location.items())
    text = fill(problem.code, "", problem.params, language) or problem.code
    expected = fill(problem.code, "expected_", problem.params, language) or ""
    found = plain(problem.found)
    line = f"{where}: {text}" if where else text
    if expected:
        line += f"; {term_text('expected', language)} {expected}"
    if found:
        line += f", {term_text('found', language)} '{found}'"
    return Shown(problem.code, problem.severity, term_text(f"severity.{problem.severity}", language), text, expected,
                 found, plain(problem.file), plain(problem.sheet), plain(problem.row), plain(problem.column),
                 plain(problem.key), plain(problem.unit), plain(problem.table), plain(problem.passage), where, line)


def location_part(name: str, value: str, language: str) -> str:
    if name == "file":
        return value
    word = term_text(f"where.{name}", language)
    return f"{word} {value}" if name == "row" else f"{word} '{value}'"


def problem_line(problem: Problem, language: str, strip_prefix: str = "") -> str:
    """A problem as one line in the reader's language: where, what, expected, found."""
    return shown(problem, language, strip_prefix).line


def refusal_lines(refused: Refused, language: str, strip_prefix: str = "") -> list[str]:
    """Every problem of a refusal as a line, then how many more were left out and what was (not) done."""
    lines = [problem_line(p, language, strip_prefix) for p in refused.problems]
    if refused.omitted:
        lines.append(fill("outcome.more_problems", "", {"count": refused.omitted}, language) or "")
    return lines


def outcome_text(refused: Refused, language: str) -> str:
    """What was (not) done, after how many problems: "2 ongelmaa; mitään ei tallennettu."."""
    count = len(refused.problems) + refused.omitted
    return fill("outcome.summary", "", {"count": count, "outcome": note_text(refused.outcome, language)},
                language) or ""


def codes_of(problems: Iterable[Problem]) -> list[str]:
    return [p.code for p in problems]
