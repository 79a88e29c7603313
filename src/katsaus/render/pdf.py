"""The document as a tagged PDF (PDF/UA-1) through WeasyPrint, from the same HTML as the web page.

WeasyPrint's `pdf/ua-1` variant writes the structure tree, MarkInfo, the document title (from <title>, shown by
viewers) and /Lang (from the page's `lang`: fi-FI, sv-FI), and tags each chart image as a Figure with its alt text.
It links table data cells to their header cells by /Headers and /ID; we add each header cell's /Scope (Column in the
table head, Row in the body) as well, which PDF/UA checkers (Matterhorn 15-003) look for first. Page numbers and
running headers (the document, the current section) come from templates/print.css.j2.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from katsaus.core.document import Document
from katsaus.render.charts import RenderedChart, render_charts
from katsaus.render.html import render_html


def pdf_bytes(document: Document, charts: dict[int, RenderedChart] | None = None) -> bytes:
    import weasyprint

    charts = charts if charts is not None else render_charts(document, ("svg",))
    html = render_html(document, charts, pdf=True)
    # WeasyPrint logs every CSS property it ignores (the web page's screen rules) as a warning: not ours to show.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    raw = weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    return add_header_scopes(raw)


def add_header_scopes(raw: bytes) -> bytes:
    """Every TH structure element gets /Scope: /Column under THead, /Row elsewhere."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            mark_headers(root.get("/K"), in_head=False)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def mark_headers(node: pikepdf.Object | None, in_head: bool) -> None:
    if isinstance(node, Array):
        for kid in node:
            mark_headers(kid, in_head)
        return
    if not isinstance(node, Dictionary):
        return
    tag = node.get("/S")
    if tag == Name.TH:
        attributes = node.get("/A")
        if isinstance(attributes, Array):  # several attribute owners: use (or add) the Table one
            tables = [a for a in attributes if isinstance(a, Dictionary) and a.get("/O") == Name.Table]
            if tables:
                attributes = tables[0]
            else:
                attributes.append(Dictionary(O=Name.Table))
                attributes = attributes[len(attributes) - 1]
        if not isinstance(attributes, Dictionary):
            attributes = Dictionary(O=Name.Table)
            node.A = attributes
        attributes.Scope = Name.Column if in_head else Name.Row
    kids = node.get("/K")
    if kids is not None:
        mark_headers(kids, in_head or tag == Name.THead)


def write_pdf(document: Document, path: Path, charts: dict[int, RenderedChart] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(document, charts))
    return path
