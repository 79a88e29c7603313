"""Load and validate configuration documents into core objects, collecting every problem."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from pydantic import BaseModel, ValidationError

from ..core.errors import Problem, ProblemsError
from ..core.model import Conventions
from ..core.org import CostCentre, OrgTree, Unit
from ..core.scheme import AccountRange, Line, Scheme, Term
from ..core.template import ColumnSpec, DocumentSpec, PartSpec, RowSpec, SectionSpec, TableSpec, Template
from .schema import OrganisationFile, SchemeFile, TemplateFile

KINDS: dict[str, type[BaseModel]] = {
    "organisation": OrganisationFile,
    "scheme": SchemeFile,
    "template": TemplateFile,
}


class ConfigError(ProblemsError):
    """Configuration that cannot be used; `problems` says where and why."""


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

    def scheme(self, code: str | None = None) -> Scheme:
        return pick(self.schemes, code, "scheme")

    def template(self, code: str | None = None) -> Template:
        return pick(self.templates, code, "template")


def pick(items: dict, code: str | None, what: str):
    if code is None and len(items) == 1:
        return next(iter(items.values()))
    if code in items:
        return items[code]
    raise KeyError(f"{what} {code!r} is not loaded; loaded are {sorted(items)}" if code else f"name the {what}: loaded are {sorted(items)}")


def read_documents(paths: Iterable[Path]) -> tuple[list[Document], list[Problem]]:
    documents, problems = [], []
    for path in paths:
        try:
            content = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            problems.append(Problem(str(path), f"not readable TOML: {exc}"))
            continue
        kinds = [k for k in KINDS if k in content]
        if len(kinds) != 1:
            problems.append(
                Problem(str(path), "cannot tell what this file configures", expected="exactly one of the tables [organisation], [scheme], [template]", found=", ".join(content) or "nothing")
            )
            continue
        documents.append(Document(str(path), kinds[0], content))
    return documents, problems


def load_config_dir(directory: Path) -> Config:
    paths = sorted(Path(directory).glob("*.toml"))
    if not paths:
        raise ConfigError([Problem(str(directory), "no configuration files", expected="*.toml files")])
    return load_config_files(paths)


def load_config_files(paths: Iterable[Path]) -> Config:
    documents, problems = read_documents(paths)
    config, more = build_config(documents)
    problems.extend(more)
    if problems:
        raise ConfigError(problems)
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
                problems.append(Problem(doc.name, "a second organisation; one database holds one organisation", key="organisation"))
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
    try:
        return KINDS[doc.kind].model_validate(doc.content)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(validation_problem(doc, error))
        return None


def validation_problem(doc: Document, error: Any) -> Problem:
    """One pydantic error in our words: the file, the key, what is allowed and what was found."""
    loc, kind = tuple(error["loc"]), error["type"]
    found = repr(error.get("input"))[:80] if kind != "missing" else None
    if kind == "extra_forbidden":
        allowed = model_at(KINDS[doc.kind], loc[:-1])
        keys = ", ".join(allowed.model_fields) if allowed else "see docs/configuration.md"
        return Problem(doc.name, f"unknown key {loc[-1]!r}", key=dotted(loc), expected=f"one of: {keys}", found=found)
    if kind == "missing":
        return Problem(doc.name, "a required key is missing", key=dotted(loc), expected=f"the key {loc[-1]!r}")
    expected = (error.get("ctx") or {}).get("expected")
    return Problem(doc.name, error["msg"], key=dotted(loc), expected=str(expected) if expected else None, found=found)


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that holds the keys at `loc` (list indexes skipped), or None if it is not a model."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field_info is None:
            return None
        current = inner_model(field_info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def inner_model(annotation: Any) -> Any:
    """list[X], X | None and X -> X when X is a model."""
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# --- organisation -----------------------------------------------------------------------------------


def build_org(name: str, parsed: OrganisationFile, problems: list[Problem]) -> OrgTree:
    codes: dict[str, int] = {}
    for i, unit in enumerate(parsed.units):
        if unit.code in codes:
            problems.append(Problem(name, f"unit code {unit.code!r} appears twice (also units[{codes[unit.code]}])", key=f"units[{i}].code",
                                    expected="each unit code once", found=unit.code))
        codes.setdefault(unit.code, i)
    for i, unit in enumerate(parsed.units):
        if unit.parent is not None and unit.parent not in codes:
            problems.append(Problem(name, "parent is not a unit of this file", key=f"units[{i}].parent", expected="one of the unit codes", found=unit.parent))
    check_unit_cycles(name, parsed, problems)
    for i, centre in enumerate(parsed.cost_centres):
        key = f"cost_centres[{i}]"
        if centre.unit not in codes:
            problems.append(Problem(name, "cost centre's unit is not a unit of this file", key=f"{key}.unit", expected="one of the unit codes", found=centre.unit))
        if centre.valid_from and centre.valid_to and centre.valid_to < centre.valid_from:
            problems.append(Problem(name, "valid_to is before valid_from", key=f"{key}.valid_to",
                                    expected=f"{centre.valid_from} or later", found=str(centre.valid_to)))
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
                problems.append(Problem(name, f"units form a cycle: {' -> '.join(seen + [code])}", key=f"units[{i}].parent",
                                        expected="a parent that is not below the unit", found=unit.parent))
                break
            seen.append(code)
            code = parent[code]


def check_centre_overlaps(name: str, parsed: OrganisationFile, problems: list[Problem]) -> None:
    """A cost centre may appear several times, but its validity periods must not overlap."""
    from datetime import date

    by_code: dict[str, list[tuple[int, date, date]]] = {}
    for i, c in enumerate(parsed.cost_centres):
        by_code.setdefault(c.code, []).append((i, c.valid_from or date.min, c.valid_to or date.max))
    for code, spans in by_code.items():
        spans.sort(key=lambda s: s[1])
        for (i, _, end), (j, start, _) in zip(spans, spans[1:]):
            if start <= end:
                problems.append(Problem(name, f"cost centre {code!r} is valid twice at once (also cost_centres[{i}])", key=f"cost_centres[{j}].valid_from",
                                        expected="validity periods that do not overlap", found=str(start)))


# --- scheme -----------------------------------------------------------------------------------------


def parse_ranges(name: str, key: str, texts: list[str], problems: list[Problem]) -> tuple[AccountRange, ...]:
    ranges = []
    for k, text in enumerate(texts):
        try:
            ranges.append(AccountRange.parse(text))
        except ValueError as exc:
            problems.append(Problem(name, str(exc), key=f"{key}[{k}]", expected='a prefix or a range of prefixes, e.g. "30" or "30-31"', found=text))
    return tuple(ranges)


def parse_terms(name: str, key: str, texts: list[str]) -> tuple[Term, ...]:
    return tuple(Term(t[1:].strip(), -1) if t.startswith("-") else Term(t.lstrip("+").strip(), 1) for t in texts)


def build_scheme(name: str, parsed: SchemeFile, problems: list[Problem]) -> Scheme:
    lines = []
    for i, entry in enumerate(parsed.lines):
        key = f"lines[{i}]"
        if bool(entry.accounts) == bool(entry.sum_of):
            problems.append(Problem(name, "a line needs either accounts (a leaf line) or sum_of (a derived line), not both or neither", key=key,
                                    expected="accounts or sum_of", found="both" if entry.accounts else "neither"))
        lines.append(
            Line(entry.code, entry.name_fi, entry.name_sv, parse_ranges(name, f"{key}.accounts", entry.accounts, problems), parse_terms(name, key, entry.sum_of))
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
    for i, line in enumerate(scheme.lines):
        if codes.index(line.code) != i:
            problems.append(Problem(name, f"line code {line.code!r} appears twice", key=f"lines[{i}].code",
                                    expected="each line code once", found=line.code))
        terms = [term.line for term in line.sum_of]
        for term in line.sum_of:
            if term.line not in codes:
                problems.append(Problem(name, "sum_of names a line that does not exist", key=f"lines[{i}].sum_of", expected="one of the line codes", found=term.line))
        for repeated in sorted({t for t in terms if terms.count(t) > 1}):
            problems.append(Problem(name, f"sum_of names line {repeated!r} {terms.count(repeated)} times; it would be "
                                    "counted that many times", key=f"lines[{i}].sum_of", expected="each line once",
                                    found=repeated))
    leaves = [(i, line) for i, line in enumerate(scheme.lines) if not line.is_derived]
    for a, (i, first) in enumerate(leaves):
        for j, second in leaves[a + 1 :]:
            for r1 in first.accounts:
                for r2 in second.accounts:
                    if r1.overlaps(r2):
                        problems.append(Problem(name, f"accounts {r2} of line {second.code!r} overlap accounts {r1} of line {first.code!r}; an account may feed only one line", key=f"lines[{j}].accounts",
                                                                expected=f"accounts outside {r1}", found=str(r2)))
    try:
        scheme.evaluation_order
    except (ValueError, KeyError) as exc:
        problems.append(Problem(name, str(exc), key="lines"))
        return
    check_leaves_counted_once(name, scheme, problems)


def check_leaves_counted_once(name: str, scheme: Scheme, problems: list[Problem]) -> None:
    """A derived line counts each leaf line at most once, also through the lines it sums (toimintakate summing
    toimintatuotot and myyntituotot would count sales twice): the coefficient of every leaf is -1, 0 or 1."""
    leaves = [line.code for line in scheme.leaf_lines()]
    codes = [line.code for line in scheme.lines]
    for leaf in leaves:
        values = scheme.evaluate({code: int(code == leaf) for code in leaves})
        for line in scheme.lines:
            if line.is_derived and abs(values.get(line.code) or 0) > 1:
                problems.append(Problem(name, f"line {line.code!r} counts line {leaf!r} {abs(values[line.code])} times "
                                        "through the lines it sums", key=f"lines[{codes.index(line.code)}].sum_of",
                                        expected="each leaf line at most once", found=", ".join(t.line for t in line.sum_of)))


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


def build_section(entry) -> SectionSpec:
    parts = tuple(PartSpec(**p.model_dump()) for p in entry.parts)
    return SectionSpec(entry.title, parts, entry.units, entry.level, entry.title_sv)


AMOUNT_KINDS = ("budget", "forecast", "actual")
NEEDS = {"ratio": ("numerator", "denominator"), "difference": ("minuend", "subtrahend")}
# A ratio may divide a difference (a change) by an amount column: Muutos % = (TP 2024 − TP 2023) / TP 2023.
OPERAND_KINDS = {"ratio": (*AMOUNT_KINDS, "difference"), "difference": AMOUNT_KINDS}
TEXT_NAMES = ("unit_code", "unit", "line_code", "line")  # core.statement.text_cell


LABEL_NAMES = ("version", "version_short", "year", "months", "period")  # core.statement.column_label
TITLE_NAMES = ("unit", "period", "year", "months", "organisation")  # core.document fill


def placeholder_problems(text: str, allowed: Sequence[str], columns: Sequence[str] = ()) -> str | None:
    """What is wrong with the {placeholders} of a template text, or None: each is one of `allowed`, or a
    column key with .version or .version_short; no other attribute, index or format, and braces balanced."""
    import string

    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return f"the braces do not match ({exc}); write a literal brace as {{{{ or }}}}"
    for field_name, spec, conversion in fields:
        head, _, attribute = field_name.partition(".")
        ok = (field_name in allowed) or (head in columns and attribute in ("version", "version_short"))
        if spec or conversion:
            return f"placeholder {{{field_name}}} has a format or conversion ({'!' + conversion if conversion else ''}" \
                   f"{':' + spec if spec else ''}); write it plain"
        if not ok:
            known = ", ".join([f"{{{n}}}" for n in allowed] + ["{KEY.version}, {KEY.version_short}"] * bool(columns))
            return f"unknown placeholder {{{field_name}}}; placeholders are {known}"
    return None


def check_template(name: str, template: Template, config: Config, problems: list[Problem]) -> None:
    kinds = {c.key: c.kind for c in template.columns}
    keys = [c.key for c in template.columns]
    for i, column in enumerate(template.columns):
        key = f"template.columns[{i}]"
        if keys.count(column.key) > 1:
            problems.append(Problem(name, f"column key {column.key!r} appears {keys.count(column.key)} times",
                                    key=f"{key}.key", expected="each key once", found=column.key))
        for field_name in ("label", "label_sv"):
            text = getattr(column, field_name)
            if text and (wrong := placeholder_problems(text, LABEL_NAMES, keys)):
                problems.append(Problem(name, wrong, key=f"{key}.{field_name}", found=text))
        if column.version and (wrong := placeholder_problems(column.version, ("year",))):
            problems.append(Problem(name, wrong, key=f"{key}.version", found=column.version))
        for field_name in NEEDS.get(column.kind, ()):
            ref = getattr(column, field_name)
            allowed = OPERAND_KINDS[column.kind]
            if ref is None:
                problems.append(Problem(name, f"a {column.kind} column needs {field_name}", key=f"{key}.{field_name}",
                                        expected=f"the key of a {' or '.join(allowed)} column"))
            elif kinds.get(ref) not in allowed:
                problems.append(Problem(name, f"{field_name} must name a {', '.join(allowed)} column", key=f"{key}.{field_name}", expected=str([k for k, v in kinds.items() if v in allowed]), found=ref))
        check_column_settings(name, key, column, problems)
        if column.kind == "forecast" and column.version == "in_force":
            problems.append(Problem(name, "a forecast column takes version 'latest' or a version name", key=f"{key}.version",
                                    expected="'latest' or a version name", found="in_force"))
        if column.kind == "budget" and column.version == "latest":
            problems.append(Problem(name, "a budget column takes version 'in_force' or a version name", key=f"{key}.version",
                                    expected="'in_force' or a version name", found="latest"))
    scheme = config.schemes.get(template.scheme)
    if scheme is None:
        problems.append(Problem(name, "the template's scheme is not loaded", key="template.scheme", expected=str(sorted(config.schemes)), found=template.scheme))
    for i, column in enumerate(template.columns):
        if column.line and scheme is not None and not scheme.has_line(column.line):
            problems.append(Problem(name, "column names a line that is not in the scheme", key=f"template.columns[{i}].line",
                                    expected=f"a line of scheme {scheme.code!r}", found=column.line))
    for t, table in enumerate(template.tables):
        for c, ref in enumerate(table.columns):
            if ref not in kinds:
                problems.append(Problem(name, "table column is not a column of the template", key=f"template.tables[{t}].columns[{c}]", expected=str(list(kinds)), found=ref))
        for r, row in enumerate(table.rows):
            check_row(name, f"template.tables[{t}].rows[{r}]", row, scheme, problems)
        check_table_layout(name, f"template.tables[{t}]", table, template, scheme, problems)
    check_sections(name, template, scheme, problems)


def check_column_settings(name: str, key: str, column: ColumnSpec, problems: list[Problem]) -> None:
    """A text column has its words and nothing else; only amount columns take a sign or a line of their own."""
    if column.kind == "text":
        if column.text is None:
            problems.append(Problem(name, "a text column needs text", key=f"{key}.text",
                                    expected="words, with placeholders " + ", ".join(f"{{{n}}}" for n in TEXT_NAMES)))
        elif wrong := placeholder_problems(column.text, TEXT_NAMES):
            problems.append(Problem(name, wrong, key=f"{key}.text", found=column.text))
    elif column.text is not None:
        problems.append(Problem(name, "only a text column takes text", key=f"{key}.text", expected="kind = \"text\"", found=column.kind))
    if column.sign != "as_statement" and column.kind not in AMOUNT_KINDS:
        problems.append(Problem(name, "a ratio, difference or text column has no sign of its own: it is computed from its "
                                "columns as they print", key=f"{key}.sign", expected="sign on its budget, forecast or actual columns",
                                found=f"{column.kind} with sign {column.sign!r}"))
    if column.line is not None and column.kind not in AMOUNT_KINDS:
        problems.append(Problem(name, "only a budget, forecast or actual column takes a line; a ratio or difference "
                                "follows its columns' lines", key=f"{key}.line", expected="no line", found=column.line))


def check_row(name: str, key: str, row: RowSpec, scheme: Scheme | None, problems: list[Problem]) -> None:
    if row.heading:
        if not row.label:
            problems.append(Problem(name, "a heading row needs its label", key=f"{key}.label", expected="the printed words"))
        if row.line:
            problems.append(Problem(name, "a heading row shows no figures, so it names no line", key=f"{key}.line",
                                    expected="no line (or heading = false)", found=row.line))
    elif not row.line:
        problems.append(Problem(name, "a row needs the line it shows", key=f"{key}.line",
                                expected="a line of the scheme, or heading = true for a row without figures"))
    elif scheme is not None and not scheme.has_line(row.line):
        problems.append(Problem(name, "row names a line that is not in the scheme", key=f"{key}.line", expected=f"a line of scheme {scheme.code!r}", found=row.line))


def check_table_layout(name: str, key: str, table: TableSpec, template: Template, scheme: Scheme | None, problems: list[Problem]) -> None:
    """A table of lines needs rows; a table of units has none, and each of its amount columns needs a line."""
    if table.rows_by == "line":
        if not table.rows:
            problems.append(Problem(name, "a table of lines needs rows", key=f"{key}.rows", expected="[[...rows]] with a line each, or rows_by = \"unit\""))
        if table.line:
            problems.append(Problem(name, "only a table with rows_by = \"unit\" takes a line", key=f"{key}.line", expected="no line", found=table.line))
        return
    if table.rows:
        problems.append(Problem(name, "a table with rows_by = \"unit\" has a row per unit, so it takes no rows", key=f"{key}.rows",
                                expected="no rows", found=f"{len(table.rows)} rows"))
    if table.line and scheme is not None and not scheme.has_line(table.line):
        problems.append(Problem(name, "table names a line that is not in the scheme", key=f"{key}.line", expected=f"a line of scheme {scheme.code!r}", found=table.line))
    shown = [c for c in template.columns if not table.columns or c.key in table.columns]
    for column in shown:
        if column.kind in AMOUNT_KINDS and not (column.line or table.line):
            problems.append(Problem(name, f"column {column.key!r} needs a line in a table with a row per unit", key=f"{key}.line",
                                    expected=f"line on the table or on column {column.key!r}", found="no line"))
    lines = {c.key: c.line or table.line for c in template.columns}
    for column in shown:  # a difference subtracts line from line: both of its columns must show the same one
        if column.kind == "difference" and lines.get(column.minuend or "") != lines.get(column.subtrahend or ""):
            problems.append(Problem(name, f"difference {column.key!r} subtracts a column of another line", key=f"{key}.columns",
                                    expected=f"{column.minuend!r} and {column.subtrahend!r} on the same line",
                                    found=f"{lines.get(column.minuend or '')} and {lines.get(column.subtrahend or '')}"))


# What each part kind needs: a narrative its section key, a table a template table, a chart its kind.
PART_NEEDS = {"narrative": "section", "table": "table", "chart": "chart"}


def check_sections(name: str, template: Template, scheme: Scheme | None, problems: list[Problem]) -> None:
    """The document structure names tables and lines that exist, and a level-2 section follows a level-1 one."""
    tables = [t.key for t in template.tables]
    titles = [("template.document.title", template.document.title), ("template.document.title_sv", template.document.title_sv)]
    titles += [(f"template.sections[{s}].{f}", getattr(section, f)) for s, section in enumerate(template.sections)
               for f in ("title", "title_sv")]
    titles += [(f"template.sections[{s}].parts[{p}].{f}", getattr(part, f)) for s, section in enumerate(template.sections)
               for p, part in enumerate(section.parts) for f in ("heading", "heading_sv")]
    for where, text in titles:
        if text and (wrong := placeholder_problems(text, TITLE_NAMES)):
            problems.append(Problem(name, wrong, key=where, found=text))
    for s, section in enumerate(template.sections):
        key = f"template.sections[{s}]"
        if section.level == 2 and not any(x.level == 1 for x in template.sections[:s]):
            problems.append(Problem(name, "a level-2 section needs a level-1 section before it", key=f"{key}.level",
                                    expected="level = 1 for the first section", found="2"))
        for p, part in enumerate(section.parts):
            pkey = f"{key}.parts[{p}]"
            needed = PART_NEEDS.get(part.kind)
            if needed and not getattr(part, needed):
                problems.append(Problem(name, f"a {part.kind} part needs {needed}", key=f"{pkey}.{needed}",
                                        expected=f"{needed} = …", found="none"))
            if part.kind == "table" and part.table and part.table not in tables:
                problems.append(Problem(name, "table part names a table that is not in the template", key=f"{pkey}.table", expected=str(tables), found=part.table))
            if part.kind == "chart" and part.chart in ("cumulative", "realisation") and scheme is not None and not scheme.has_line(part.line):
                problems.append(Problem(name, "chart part names a line that is not in the scheme", key=f"{pkey}.line", expected=f"a line of scheme {scheme.code!r}", found=part.line))
