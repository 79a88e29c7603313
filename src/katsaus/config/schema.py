"""Pydantic models of the configuration files. Field names are the TOML keys (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from katsaus.core.licences import DEFAULT_LICENCE, LICENCES


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Code = str


class OrganisationHead(Strict):
    code: Code = Field(min_length=1)
    name_fi: str = Field(min_length=1)
    name_sv: str | None = None


class UnitEntry(Strict):
    code: Code = Field(min_length=1)
    name_fi: str = Field(min_length=1)
    name_sv: str | None = None
    parent: Code | None = None


class CostCentreEntry(Strict):
    code: Code = Field(min_length=1)
    name: str = ""
    unit: Code = Field(min_length=1)
    valid_from: date | None = None
    valid_to: date | None = None


class OrganisationFile(Strict):
    organisation: OrganisationHead
    units: list[UnitEntry] = Field(min_length=1)
    cost_centres: list[CostCentreEntry] = []


class SchemeHead(Strict):
    code: Code = Field(min_length=1)
    name_fi: str = Field(min_length=1)
    name_sv: str | None = None
    ledger_sign: Literal["costs_positive", "as_statement"] = "costs_positive"
    internal_accounts: list[str] = []


class LineEntry(Strict):
    code: Code = Field(min_length=1)
    name_fi: str = Field(min_length=1)
    name_sv: str | None = None
    accounts: list[str] = []
    sum_of: list[str] = []


class SchemeFile(Strict):
    scheme: SchemeHead
    lines: list[LineEntry] = Field(min_length=1)


Show = Literal["blank", "zero", "dash"]


class ColumnEntry(Strict):
    key: Code = Field(min_length=1)
    kind: Literal["budget", "forecast", "actual", "ratio", "difference", "text"]
    label: str
    version: str | None = None
    year_offset: int = 0
    numerator: str | None = None
    denominator: str | None = None
    minuend: str | None = None
    subtrahend: str | None = None
    label_sv: str | None = None
    line: Code | None = None
    sign: Literal["as_statement", "reversed"] = "as_statement"
    empty: Show | None = None
    zero: Show | None = None
    text: str | None = None


class RowEntry(Strict):
    line: Code = ""
    level: int = Field(default=0, ge=0, le=5)
    label: str | None = None
    label_sv: str | None = None
    heading: bool = False


class TableEntry(Strict):
    key: Code = Field(min_length=1)
    output: str | None = None
    title: str = ""
    units: Literal["self", "children", "self_and_children", "descendants"] = "self"
    columns: list[str] = []
    footnotes: list[str] = []
    title_sv: str | None = None
    footnotes_sv: list[str] = []
    rows: list[RowEntry] = []
    rows_by: Literal["line", "unit"] = "line"
    line: Code | None = None
    label_header: str | None = None


class PartEntry(Strict):
    """One part of a document section (docs/documents.md)."""

    kind: Literal["narrative", "table", "chart", "goals", "key_results", "balancing", "forecast_basis"]
    section: str | None = None
    table: str | None = None
    chart: Literal["cumulative", "realisation", "balancing"] | None = None
    line: Code = "toimintakate"
    heading: str | None = None
    heading_sv: str | None = None
    style: Literal["normal", "footnote"] = "normal"


class SectionEntry(Strict):
    title: str = Field(min_length=1)
    title_sv: str | None = None
    units: Literal["self", "children"] = "self"
    level: int = Field(default=1, ge=1, le=2)
    parts: list[PartEntry] = Field(min_length=1)


class DocumentEntry(Strict):
    title: str | None = None
    title_sv: str | None = None
    number_prefix: str = "1"
    toc: bool = True
    profile: Literal["last_year", "time"] = "last_year"
    licence: str = DEFAULT_LICENCE  # the open-data package's licence, an identifier of core.licences

    @field_validator("licence")
    @classmethod
    def known_licence(cls, value: str) -> str:
        if value not in LICENCES:  # the code is the error's type (config.validation)
            raise PydanticCustomError("licence.unknown", "licence.unknown",  # core.licences' code
                                      {"licence": value, "known": tuple(LICENCES)})
        return value


class TemplateHead(Strict):
    code: Code = Field(min_length=1)
    name_fi: str = Field(min_length=1)
    name_sv: str | None = None
    scheme: Code
    amount_unit: Literal[1, 1000] = 1000
    amount_decimals: int = Field(default=0, ge=0, le=2)
    zero: Show = "zero"
    narratives: bool = True
    deviation_threshold_percent: Decimal | None = Field(default=None, gt=0, le=1000)
    deviation_threshold_euros: Decimal | None = Field(default=None, ge=0, decimal_places=2)
    percent_decimals: int = Field(default=1, ge=0, le=4)
    zero_base: Literal["zero", "blank", "dash"] = "zero"
    empty: Literal["blank", "zero", "dash"] = "blank"
    internal: Literal["exclude", "include", "only"] = "exclude"
    rounding: Literal["half_up", "half_even"] = "half_up"
    locale: str = "fi"
    style: Literal["print", "plain"] = "print"
    columns: list[ColumnEntry] = Field(min_length=1)
    tables: list[TableEntry] = Field(min_length=1)
    document: DocumentEntry = DocumentEntry()
    sections: list[SectionEntry] = []


class TemplateFile(Strict):
    template: TemplateHead
