"""Narratives as HTML: placeholders filled with the report model's figures, Markdown rendered, the result sanitised.

Markdown is rendered by markdown-it-py (CommonMark, raw HTML switched off) and the HTML is then cleaned by nh3
(the Ammonia sanitiser), so nothing a writer types can inject markup or script. Placeholders are swapped for
opaque tokens before the Markdown is parsed and for the formatted figures after, so a figure such as "-76,1"
can never be read as Markdown (a list item, emphasis).

A narrative whose placeholders do not resolve (core.narrative's problems) is not rendered: `Refused` with every
problem located at the narrative (its unit and section) and the outcome "the narratives were not written".
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

import nh3
from markdown_it import MarkdownIt

from katsaus.core.errors import Problem, Refused
from katsaus.core.model import Conventions, Report
from katsaus.core.narrative import Narrative, NarrativeResult, ResolvedRef
from katsaus.render.numbers import format_amount, format_cell, format_millions, format_ratio

TOKEN = "KATSAUSLUKU{}X"
NARRATIVE_TABLE = "narrative"  # the `table` of a narrative's problems, as the consistency checks locate them


def format_figure(ref: ResolvedRef, conv: Conventions) -> str:
    cell, fmt, decimals = ref.cell, ref.ref.format, ref.ref.decimals
    assert cell is not None
    if fmt == "milj":
        return format_millions(cell, conv, 1 if decimals is None else decimals)
    if fmt in ("tuhat", "euro"):
        return format_amount(cell, replace(conv, amount_unit=1000 if fmt == "tuhat" else 1))
    if fmt == "pct":
        return format_ratio(cell, conv if decimals is None else replace(conv, percent_decimals=decimals))
    return format_cell(cell, conv)


def located(problem: Problem, narrative: Narrative) -> Problem:
    """A placeholder's problem where a reader finds it: the narrative's unit and section, unless it says more."""
    return replace(problem, unit=problem.unit or narrative.unit_code, table=problem.table or NARRATIVE_TABLE,
                   row=problem.row or narrative.section)


def check_resolved(result: NarrativeResult) -> None:
    """Refused (nothing rendered) when a placeholder is malformed or names a figure the report does not have."""
    if result.problems:
        raise Refused([located(p, result.narrative) for p in result.problems],
                      outcome="outcome.narratives_not_written")


def filled_markdown(result: NarrativeResult, conv: Conventions) -> str:
    """The Markdown with every placeholder replaced by its figure as the report prints it."""
    check_resolved(result)
    text = result.narrative.markdown
    for ref in sorted(result.refs, key=lambda r: r.ref.start, reverse=True):
        text = text[: ref.ref.start] + format_figure(ref, conv) + text[ref.ref.end :]
    return text


def narrative_html(result: NarrativeResult, conv: Conventions) -> str:
    """A sanitised HTML fragment of one narrative."""
    check_resolved(result)
    text = result.narrative.markdown
    refs = sorted(result.refs, key=lambda r: r.ref.start, reverse=True)
    for i, ref in enumerate(refs):
        text = text[: ref.ref.start] + TOKEN.format(i) + text[ref.ref.end :]
    rendered = MarkdownIt("commonmark", {"html": False}).render(text)
    for i, ref in enumerate(refs):
        rendered = rendered.replace(TOKEN.format(i), html.escape(format_figure(ref, conv)))
    return nh3.clean(rendered)


def narratives_document(report: Report) -> str:
    """Every narrative of the report in order, each under its title, as one accessible HTML page."""
    lang = report.conventions.locale[:2]
    title = f"{report.unit_name} – {report.period.label()}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        f'<head><meta charset="utf-8"><title>{html.escape(title)}</title></head>',
        f"<body><main><h1>{html.escape(title)}</h1>",
    ]
    for result in report.narratives:
        heading = result.narrative.title or result.unit_name
        parts.append(f"<section><h2>{html.escape(heading)}</h2>\n{narrative_html(result, report.conventions)}</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def write_narratives(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(narratives_document(report), encoding="utf-8")
    return path
