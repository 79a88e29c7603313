"""Periods: parsing and the stored key, labels, refusals with codes, and the newest entry up to a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from katsaus.core.errors import Refused
from katsaus.core.periods import Period, newest_up_to


def test_parse_and_label():
    period = Period.parse("2025-06")
    assert (period.year, period.month, period.label(), period.end) == (2025, 6, "1-6/2025", date(2025, 6, 30))
    assert Period.parse("2024-2").end == date(2024, 2, 29)


def test_the_key_is_the_stored_form_and_parse_reads_it_back():
    assert Period(2025, 6).key == "2025-06" and Period(987, 12).key == "0987-12"
    assert Period.parse(Period(2025, 6).key) == Period(2025, 6)
    assert Period.parse(" 2025-6 ") == Period(2025, 6)


@pytest.mark.parametrize("text", ["6/2025", "2025-13", "2025-00", "", "2025-06-01"])
def test_bad_periods_are_refused(text):
    with pytest.raises(Refused) as refused:
        Period.parse(text)
    (problem,) = refused.value.problems
    assert (problem.code, problem.found, problem.params) == ("period.invalid", text, {"example": "2025-06"})


def test_a_period_of_another_month_cannot_be_made():
    with pytest.raises(Refused) as refused:
        Period(2025, 13)
    assert refused.value.codes == ("period.month_invalid",)
    assert refused.value.problems[0].params == {"year": 2025, "month": 13}


@dataclass(frozen=True)
class Entry:
    period: Period
    value: int


def test_newest_up_to_takes_the_last_entry_of_the_newest_period_not_after():
    entries = [Entry(Period(2025, 3), 1), Entry(Period(2025, 6), 2), Entry(Period(2025, 6), 3), Entry(Period(2025, 9), 4)]
    assert newest_up_to(entries, Period(2025, 6)).value == 3
    assert newest_up_to(entries, Period(2025, 5)).value == 1
    assert newest_up_to(entries, Period(2025, 2)) is None
