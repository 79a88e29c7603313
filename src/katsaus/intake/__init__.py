"""Intake: ledger exports, budgets and forecasts read into aggregated plain data, every problem located."""

from katsaus.intake.context import IntakeContext, parse_range, parse_ranges
from katsaus.intake.ledger import Balance, LedgerResult, read_ledger, start_reading, stop_unused_reads
from katsaus.intake.mapping import LedgerMapping, default_mapping, load_mapping, parse_mapping
from katsaus.intake.plans import PlanAmount, PlanResult, read_plan

__all__ = [
    "Balance",
    "IntakeContext",
    "LedgerMapping",
    "LedgerResult",
    "PlanAmount",
    "PlanResult",
    "default_mapping",
    "load_mapping",
    "parse_mapping",
    "parse_range",
    "parse_ranges",
    "read_ledger",
    "read_plan",
    "start_reading",
    "stop_unused_reads",
]
