"""Load and validate configuration documents into core objects, collecting every problem.

Every problem is a coded `Problem` naming the file and the key (katsaus.core.errors); a configuration with any
problem is refused as a whole (`Refused`)."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..core.errors import NotFound, Problem, Refused
from ..core.model import Conventions
from ..core.org import CostCentre, OrgTree, Unit
from ..core.scheme import AccountRange, Line, Scheme, Term
from ..core.template import ColumnSpec, DocumentSpec, PartSpec, RowSpec, SectionSpec, TableSpec, Template
from .files import read_toml
from .schema import OrganisationFile, SchemeFile, SectionEntry, TemplateFile
from .validation import validation_problems

KINDS: dict[str, type[BaseModel]] = {
    "organisation": OrganisationFile,
    "scheme": SchemeFile,
    "template": TemplateFile,
}

T = TypeVar("T")


@dataclass(frozen=True)
class Document:
    """One configuration file: its name, its kind and its parsed content."""

    name: str
    kind: str
    content: dict[str, Any]


@dataclass
class Config:
    organisation: OrgTree | None = None
    schemes: dict[str, Scheme] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)

    @property
    def org(self) -> OrgTree:
        """The organisation of a loaded configuration (one stored in the database always has one)."""
        if self.organisation is None:
            raise NotFound(Problem("configuration.not_loaded"), outcome="outcome.nothing_done")
        return self.organisation

    def scheme(self, code: str | None = None) -> Scheme:
        return pick(self.schemes, code, ("config.scheme_not_named", "config.scheme_not_loaded"))

    def template(self, code: str | None = None) -> Template:
        return pick(self.templates, code, ("config.template_not_named", "config.template_not_loaded"))


def pick(items: dict[str, T], code: str | None, codes: tuple[str, str]) -> T:
    """The one of `items` named `code` (or the only one when none is named). Refused (codes[0]) when several are
    loaded and none is named; NotFound (a LookupError; codes[1]) when no such one is loaded."""
    if code is None and len(items) == 1:
        return next(iter(items.values()))
    if code is not None and code in items:
        return items[code]
    loaded = tuple(sorted(items))
    if code is None:
        raise Refused(Problem(codes[0], {"loaded": loaded}), outcome="outcome.nothing_done")
    raise NotFound(Problem(codes[1], {"name": code, "loaded": loaded}), outcome="outcome.nothing_done")


def read_documents(paths: Iterable[Path]) -> tuple[list[Document], list[Problem]]:
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        content, problem = read_toml(path)
        if problem is not None:
            problems.append(problem)
            continue
        kinds = [k for k in KINDS if k in content]
        if len(kinds) != 1:
            problems.append(Problem("config.kind_unknown", {"tables": tuple(KINDS)}, file=str(path),
                                    found=", ".join(content) or None))
            continue
        documents.append(Document(str(path), kinds[0], content))
    return documents, problems


def load_config_dir(directory: Path) -> Config:
    paths = sorted(Path(directory).glob("*.toml"))
    if not paths:
        raise Refused(Problem("config.folder_empty", file=str(directory)), outcome="outcome.nothing_done")
    return load_config_files(paths)


def load_config_files(paths: Iterable[Path]) -> Config:
    """The configuration of these files; Refused naming every problem of every file."""
    documents, problems = read_documents(paths)
    config, more = build_config(documents)
    problems.extend(more)
    if problems:
        raise Refused(problems, outcome="outcome.nothing_done")
    return config


def build_config(documents: list[Document]) -> tuple[Config, list[Problem]]:
    config = Config(documents=list(documents))
    problems: list[Problem] = []
    for doc in documents:
        parsed = validate(doc, problems)
        if parsed is None:
            continue
        if isinstance(parsed, OrganisationFile):
            if config.organisation is not None:
                problems.append(Problem("config.organisation_twice", file=doc.name, key="organisation"))
                continue
            config.organisation = build_org(doc.name, parsed, problems)
        elif isinstance(parsed, SchemeFile):
            scheme = build_scheme(doc.name, parsed, problems)
            config.schemes[scheme.code] = scheme
        elif isinstance(parsed, TemplateFile):
            config.templates[parsed.template.code] = build_template(doc.name, parsed, problems)
    for doc in documents:
        template = config.templates.get(str(doc.content.get("template", {}).get("code")))
        if doc.kind == "template" and template is not None:
            check_template(doc.name, template, config, problems)
    return config, problems


def validate(doc: Document, problems: list[Problem]) -> BaseModel | None:
    model = KINDS[doc.kind]
    try:
        return model.model_validate(doc.content)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc.name, model))
        return None


# --- organisation -----------------------------------------------------------------------------------


def build_org(name: str, parsed: OrganisationFile, problems: list[Problem]) -> OrgTree:
    codes: dict[str, int] = {}
    for i, unit in enumerate(parsed.units):
        if unit.code in codes:
            problems.append(Problem("config.unit_repeated", {"code": unit.code, "other": f"units[{codes[unit.code]}]"},
                                    file=name, key=f"units[{i}].code", found=unit.code))
        codes.setdefault(unit.code, i)
    for i, unit in enumerate(parsed.units):
        if unit.parent is not None and unit.parent not in codes:
            problems.append(Problem("config.parent_unknown", file=name, key=f"units[{i}].parent", found=unit.parent))
    check_unit_cycles(name, parsed, problems)
    for i, centre in enumerate(parsed.cost_centres):
        key = f"cost_centres[{i}]"
        if centre.unit not in codes:
            problems.append(Problem("config.cost_centre_unit_unknown", file=name, key=f"{key}.unit", found=centre.unit))
        if centre.valid_from and centre.valid_to and centre.valid_to < centre.valid_from:
            problems.append(Problem("config.validity_backwards", {"valid_from": centre.valid_from}, file=name,
                                    key=f"{key}.valid_to", found=str(centre.valid_to)))
    check_centre_overlaps(name, parsed, problems)
    return OrgTree(
        code=parsed.organisation.code,
        name_fi=parsed.organisation.name_fi,
        name_sv=parsed.organisation.name_sv,
        units=tuple(Unit(u.code, u.name_fi, u.parent, u.name_sv) for u in parsed.units),
        cost_centres=tuple(CostCentre(c.code, c.name, c.unit, c.valid_from, c.valid_to) for c in parsed.cost_centres),
    )


def check_unit_cycles(name: str, parsed: OrganisationFile, problems: list[Problem]) -> None:
    parent = {u.code: u.parent for u in parsed.units}
    for i, unit in enumerate(parsed.units):
        seen, code = [unit.code], unit.parent
        while code is not None and code in parent:
            if code in seen:
                problems.append(Problem("config.unit_cycle", {"cycle": " → ".join((*seen, code))}, file=name,
                                        key=f"units[{i}].parent", found=unit.parent))
                break
            seen.append(code)
            code = parent[code]


def check_centre_overlaps(name: str, parsed: OrganisationFile, problems: list[Problem]) -> None:
    """A cost centre may appear several times, but its validity periods must not overlap."""
    by_code: dict[str, list[tuple[int, date, date]]] = {}
    for i, c in enumerate(parsed.cost_centres):
        by_code.setdefault(c.code, []).append((i, c.valid_from or date.min, c.valid_to or date.max))
    for code, spans in by_code.items():
        spans.sort(key=lambda s: s[1])
        for (i, _, end), (j, start, _) in zip(spans, spans[1:]):
            if start <= end:
                problems.append(Problem("config.cost_centre_overlap", {"code": code, "other": f"cost_centres[{i}]"},
                                        file=name, key=f"cost_centres[{j}].valid_from", found=str(start)))


# --- scheme -----------------------------------------------------------------------------------------


def parse_ranges(name: str, key: str, texts: list[str], problems: list[Problem]) -> tuple[AccountRange, ...]:
    ranges = []
    for k, text in enumerate(texts):
        try:
            ranges.append(AccountRange.parse(text))
        except Refused as exc:  # core's problem, placed in the file
            problems += [replace(p, file=name, key=f"{key}[{k}]") for p in exc.problems]
    return tuple(ranges)


def parse_terms(texts: list[str]) -> tuple[Term, ...]:
    return tuple(Term(t[1:].strip(), -1) if t.startswith("-") else Term(t.lstrip("+").strip(), 1) for t in texts)


def build_scheme(name: str, parsed: SchemeFile, problems: list[Problem]) -> Scheme:
    lines = []
    for i, entry in enumerate(parsed.lines):
        key = f"lines[{i}]"
        if entry.accounts and entry.sum_of:
            problems.append(Problem("config.line_accounts_and_sum", file=name, key=key))
        elif not entry.accounts and not entry.sum_of:
            problems.append(Problem("config.line_accounts_or_sum_missing", file=name, key=key))
        lines.append(
            Line(entry.code, entry.name_fi, entry.name_sv, parse_ranges(name, f"{key}.accounts", entry.accounts, problems),
                 parse_terms(entry.sum_of))
        )
    scheme = Scheme(
        code=parsed.scheme.code,
        name_fi=parsed.scheme.name_fi,
        name_sv=parsed.scheme.name_sv,
        lines=tuple(lines),
        ledger_sign=parsed.scheme.ledger_sign,
        internal_accounts=parse_ranges(name, "scheme.internal_accounts", parsed.scheme.internal_accounts, problems),
    )
    check_scheme(name, scheme, problems)
    return scheme


def check_scheme(name: str, scheme: Scheme, problems: list[Problem]) -> None:
    codes = [line.code for line in scheme.lines]
    unknown_terms = False
    for i, line in enumerate(scheme.lines):
        if codes.index(line.code) != i:
            problems.append(Problem("config.line_repeated", {"code": line.code}, file=name, key=f"lines[{i}].code",
                                    found=line.code))
        terms = [term.line for term in line.sum_of]
        for term in line.sum_of:
            if term.line not in codes:
                unknown_terms = True
                problems.append(Problem("config.sum_line_unknown", file=name, key=f"lines[{i}].sum_of",
                                        found=term.line))
        for repeated in sorted({t for t in terms if terms.count(t) > 1}):
            problems.append(Problem("config.sum_line_repeated", {"line": repeated, "count": terms.count(repeated)},
                                    file=name, key=f"lines[{i}].sum_of", found=repeated))
    leaves = [(i, line) for i, line in enumerate(scheme.lines) if not line.is_derived]
    for a, (_, first) in enumerate(leaves):
        for j, second in leaves[a + 1 :]:
            for r1 in first.accounts:
                for r2 in second.accounts:
                    if r1.overlaps(r2):
                        problems.append(Problem("config.accounts_overlap", {
                            "accounts": str(r2), "line": second.code, "other_accounts": str(r1),
                            "other_line": first.code}, file=name, key=f"lines[{j}].accounts", found=str(r2)))
    if unknown_terms:
        return  # the lines cannot be ordered, and each unknown line is named above
    cycle = derived_cycle(scheme)
    if cycle:
        problems.append(Problem("config.line_cycle", {"cycle": " → ".join(cycle)}, file=name, key="lines"))
        return
    check_leaves_counted_once(name, scheme, problems)


def derived_cycle(scheme: Scheme) -> tuple[str, ...]:
    """The first cycle of derived lines (each summing the next, the last summing the first), or ()."""
    sums = {line.code: [t.line for t in line.sum_of] for line in scheme.lines}
    done: set[str] = set()

    def visit(code: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if code in path:
            return (*path[path.index(code):], code)
        if code in done:
            return ()
        for term in sums.get(code, []):
            found = visit(term, (*path, code))
            if found:
                return found
        done.add(code)
        return ()

    for line in scheme.lines:
        cycle = visit(line.code, ())
        if cycle:
            return cycle
    return ()


def check_leaves_counted_once(name: str, scheme: Scheme, problems: list[Problem]) -> None:
    """A derived line counts each leaf line at most once, also through the lines it sums (toimintakate summing
    toimintatuotot and myyntituotot would count sales twice): the coefficient of every leaf is -1, 0 or 1."""
    leaves = [line.code for line in scheme.leaf_lines()]
    codes = [line.code for line in scheme.lines]
    for leaf in leaves:
        values = scheme.evaluate({code: int(code == leaf) for code in leaves})
        for line in scheme.lines:
            times = abs(values.get(line.code) or 0)
            if line.is_derived and times > 1:
                problems.append(Problem("config.leaf_counted_twice", {"line": line.code, "leaf": leaf, "count": times},
                                        file=name, key=f"lines[{codes.index(line.code)}].sum_of",
                                        found=", ".join(t.line for t in line.sum_of)))


# --- template ---------------------------------------------------------------------------------------


def build_template(name: str, parsed: TemplateFile, problems: list[Problem]) -> Template:
    head = parsed.template
    columns = tuple(
        ColumnSpec(c.key, c.kind, c.label, c.version, c.year_offset, c.numerator, c.denominator, c.minuend, c.subtrahend,
                   c.label_sv, c.line, c.sign, c.empty, c.zero, c.text)
        for c in head.columns
    )
    tables = tuple(
        TableSpec(
            key=t.key,
            output=t.output or t.key,
            title=t.title,
            units=t.units,
            rows=tuple(RowSpec(r.line, r.level, r.label, r.label_sv, r.heading) for r in t.rows),
            columns=tuple(t.columns),
            footnotes=tuple(t.footnotes),
            title_sv=t.title_sv,
            footnotes_sv=tuple(t.footnotes_sv),
            rows_by=t.rows_by,
            line=t.line,
            label_header=t.label_header,
        )
        for t in head.tables
    )
    conventions = Conventions(
        amount_unit=head.amount_unit,
        percent_decimals=head.percent_decimals,
        zero_base=head.zero_base,
        empty=head.empty,
        rounding=head.rounding,
        internal=head.internal,
        locale=head.locale,
        style=head.style,
        amount_decimals=head.amount_decimals,
        zero=head.zero,
    )
    return Template(
        head.code, head.name_fi, head.scheme, columns, tables, conventions, head.name_sv,
        document=DocumentSpec(**head.document.model_dump()),
        sections=tuple(build_section(s) for s in head.sections),
        narratives=head.narratives,
        deviation_threshold_percent=head.deviation_threshold_percent,
        deviation_threshold_cents=int(head.deviation_threshold_euros * 100)
        if head.deviation_threshold_euros is not None else None,
    )


def build_section(entry: SectionEntry) -> SectionSpec:
    parts = tuple(PartSpec(**p.model_dump()) for p in entry.parts)
    return SectionSpec(entry.title, parts, entry.units, entry.level, entry.title_sv)


AMOUNT_KINDS = ("budget", "forecast", "actual")
NEEDS = {"ratio": ("numerator", "denominator"), "difference": ("minuend", "subtrahend")}
# A ratio may divide a difference (a change) by an amount column: Muutos % = (TP 2024 − TP 2023) / TP 2023.
OPERAND_KINDS = {"ratio": (*AMOUNT_KINDS, "difference"), "difference": AMOUNT_KINDS}
TEXT_NAMES = ("unit_code", "unit", "line_code", "line")  # core.statement.text_cell


LABEL_NAMES = ("version", "version_short", "year", "months", "period")  # core.statement.column_label
TITLE_NAMES = ("unit", "period", "year", "months", "organisation")  # core.document fill
COLUMN_ATTRIBUTES = ("version", "version_short")


def placeholder_problem(name: str, key: str, text: str, allowed: Sequence[str],
                        columns: Sequence[str] = ()) -> Problem | None:
    """What is wrong with the {placeholders} of a template text, or None: each is one of `allowed`, or a
    column key with .version or .version_short; no other attribute, index or format, and braces balanced."""
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return Problem("config.placeholder_braces", file=name, key=key, found=text)
    for field_name, spec, conversion in fields:
        head, _, attribute = field_name.partition(".")
        ok = (field_name in allowed) or (head in columns and attribute in COLUMN_ATTRIBUTES)
        if spec or conversion:
            written = ("!" + conversion if conversion else "") + (":" + spec if spec else "")
            return Problem("config.placeholder_format", {"placeholder": field_name, "format": written}, file=name,
                           key=key, found=text)
        if not ok:
            known: tuple[str, ...] = tuple(f"{{{n}}}" for n in allowed)
            if columns:
                known += ("{KEY.version}", "{KEY.version_short}")
            return Problem("config.placeholder_unknown", {"placeholder": field_name, "allowed": known}, file=name,
                           key=key, found=text)
    return None


def check_template(name: str, template: Template, config: Config, problems: list[Problem]) -> None:
    kinds = {c.key: c.kind for c in template.columns}
    keys = [c.key for c in template.columns]

    def add(problem: Problem | None) -> None:
        if problem is not None:
            problems.append(problem)

    for i, column in enumerate(template.columns):
        key = f"template.columns[{i}]"
        if keys.count(column.key) > 1:
            problems.append(Problem("config.column_repeated", {"key": column.key, "count": keys.count(column.key)},
                                    file=name, key=f"{key}.key", found=column.key))
        for field_name in ("label", "label_sv"):
            text = getattr(column, field_name)
            if text:
                add(placeholder_problem(name, f"{key}.{field_name}", text, LABEL_NAMES, keys))
        if column.version:
            add(placeholder_problem(name, f"{key}.version", column.version, ("year",)))
        for field_name in NEEDS.get(column.kind, ()):
            ref = getattr(column, field_name)
            allowed = OPERAND_KINDS[column.kind]
            if ref is None:
                problems.append(Problem("config.column_operand_missing",
                                        {"kind": column.kind, "name": field_name, "kinds": allowed},
                                        file=name, key=f"{key}.{field_name}"))
            elif kinds.get(ref) not in allowed:
                candidates = tuple(k for k, v in kinds.items() if v in allowed)
                problems.append(Problem("config.column_operand_kind",
                                        {"name": field_name, "kinds": allowed, "columns": candidates},
                                        file=name, key=f"{key}.{field_name}", found=ref))
        check_column_settings(name, key, column, problems)
        if column.kind == "forecast" and column.version == "in_force":
            problems.append(Problem("config.forecast_version_in_force", file=name, key=f"{key}.version",
                                    found="in_force"))
        if column.kind == "budget" and column.version == "latest":
            problems.append(Problem("config.budget_version_latest", file=name, key=f"{key}.version", found="latest"))
    scheme = config.schemes.get(template.scheme)
    if scheme is None:
        problems.append(Problem("config.template_scheme_not_loaded", {"loaded": tuple(sorted(config.schemes))},
                                file=name, key="template.scheme", found=template.scheme))
    for i, column in enumerate(template.columns):
        if column.line and scheme is not None and not scheme.has_line(column.line):
            problems.append(Problem("config.column_line_unknown", {"scheme": scheme.code}, file=name,
                                    key=f"template.columns[{i}].line", found=column.line))
    for t, table in enumerate(template.tables):
        for c, ref in enumerate(table.columns):
            if ref not in kinds:
                problems.append(Problem("config.table_column_unknown", {"columns": tuple(kinds)}, file=name,
                                        key=f"template.tables[{t}].columns[{c}]", found=ref))
        for r, row in enumerate(table.rows):
            check_row(name, f"template.tables[{t}].rows[{r}]", row, scheme, problems)
        check_table_layout(name, f"template.tables[{t}]", table, template, scheme, problems)
    check_sections(name, template, scheme, problems)


def check_column_settings(name: str, key: str, column: ColumnSpec, problems: list[Problem]) -> None:
    """A text column has its words and nothing else; only amount columns take a sign or a line of their own."""
    if column.kind == "text":
        if column.text is None:
            problems.append(Problem("config.text_column_needs_text",
                                    {"placeholders": tuple(f"{{{n}}}" for n in TEXT_NAMES)},
                                    file=name, key=f"{key}.text"))
        elif wrong := placeholder_problem(name, f"{key}.text", column.text, TEXT_NAMES):
            problems.append(wrong)
    elif column.text is not None:
        problems.append(Problem("config.text_only_in_text_columns", file=name, key=f"{key}.text", found=column.kind))
    if column.sign != "as_statement" and column.kind not in AMOUNT_KINDS:
        problems.append(Problem("config.sign_only_in_amount_columns", {"kind": column.kind, "sign": column.sign},
                                file=name, key=f"{key}.sign", found=column.sign))
    if column.line is not None and column.kind not in AMOUNT_KINDS:
        problems.append(Problem("config.line_only_in_amount_columns", {"kind": column.kind}, file=name,
                                key=f"{key}.line", found=column.line))


def check_row(name: str, key: str, row: RowSpec, scheme: Scheme | None, problems: list[Problem]) -> None:
    if row.heading:
        if not row.label:
            problems.append(Problem("config.heading_needs_label", file=name, key=f"{key}.label"))
        if row.line:
            problems.append(Problem("config.heading_takes_no_line", file=name, key=f"{key}.line", found=row.line))
    elif not row.line:
        problems.append(Problem("config.row_needs_line", file=name, key=f"{key}.line"))
    elif scheme is not None and not scheme.has_line(row.line):
        problems.append(Problem("config.row_line_unknown", {"scheme": scheme.code}, file=name, key=f"{key}.line",
                                found=row.line))


def check_table_layout(name: str, key: str, table: TableSpec, template: Template, scheme: Scheme | None,
                       problems: list[Problem]) -> None:
    """A table of lines needs rows; a table of units has none, and each of its amount columns needs a line."""
    if table.rows_by == "line":
        if not table.rows:
            problems.append(Problem("config.table_needs_rows", file=name, key=f"{key}.rows"))
        if table.line:
            problems.append(Problem("config.table_line_only_by_unit", file=name, key=f"{key}.line", found=table.line))
        return
    if table.rows:
        problems.append(Problem("config.table_by_unit_takes_no_rows", {"count": len(table.rows)}, file=name,
                                key=f"{key}.rows"))
    if table.line and scheme is not None and not scheme.has_line(table.line):
        problems.append(Problem("config.table_line_unknown", {"scheme": scheme.code}, file=name, key=f"{key}.line",
                                found=table.line))
    shown = [c for c in template.columns if not table.columns or c.key in table.columns]
    for column in shown:
        if column.kind in AMOUNT_KINDS and not (column.line or table.line):
            problems.append(Problem("config.table_column_needs_line", {"column": column.key}, file=name,
                                    key=f"{key}.line"))
    lines = {c.key: c.line or table.line for c in template.columns}
    for column in shown:  # a difference subtracts line from line: both of its columns must show the same one
        minuend_line, subtrahend_line = lines.get(column.minuend or ""), lines.get(column.subtrahend or "")
        if column.kind == "difference" and minuend_line != subtrahend_line:
            problems.append(Problem("config.difference_lines_differ", {
                "column": column.key, "minuend": column.minuend, "subtrahend": column.subtrahend,
                "minuend_line": minuend_line, "subtrahend_line": subtrahend_line}, file=name, key=f"{key}.columns"))


# What each part kind needs: a narrative its section key, a table a template table, a chart its kind.
PART_NEEDS = {"narrative": "section", "table": "table", "chart": "chart"}


def check_sections(name: str, template: Template, scheme: Scheme | None, problems: list[Problem]) -> None:
    """The document structure names tables and lines that exist, and a level-2 section follows a level-1 one."""
    tables = tuple(t.key for t in template.tables)
    titles = [("template.document.title", template.document.title),
              ("template.document.title_sv", template.document.title_sv)]
    titles += [(f"template.sections[{s}].{f}", getattr(section, f)) for s, section in enumerate(template.sections)
               for f in ("title", "title_sv")]
    titles += [(f"template.sections[{s}].parts[{p}].{f}", getattr(part, f))
               for s, section in enumerate(template.sections)
               for p, part in enumerate(section.parts) for f in ("heading", "heading_sv")]
    for where, text in titles:
        if text and (wrong := placeholder_problem(name, where, text, TITLE_NAMES)):
            problems.append(wrong)
    for s, section in enumerate(template.sections):
        key = f"template.sections[{s}]"
        if section.level == 2 and not any(x.level == 1 for x in template.sections[:s]):
            problems.append(Problem("config.section_level_2_first", file=name, key=f"{key}.level", found="2"))
        for p, part in enumerate(section.parts):
            pkey = f"{key}.parts[{p}]"
            needed = PART_NEEDS.get(part.kind)
            if needed and not getattr(part, needed):
                problems.append(Problem("config.part_needs", {"kind": part.kind, "name": needed}, file=name,
                                        key=f"{pkey}.{needed}"))
            if part.kind == "table" and part.table and part.table not in tables:
                problems.append(Problem("config.part_table_unknown", {"tables": tables}, file=name,
                                        key=f"{pkey}.table", found=part.table))
            if part.kind == "chart" and part.chart in ("cumulative", "realisation") and scheme is not None \
                    and not scheme.has_line(part.line):
                problems.append(Problem("config.part_line_unknown", {"scheme": scheme.code}, file=name,
                                        key=f"{pkey}.line", found=part.line))
