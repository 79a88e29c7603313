"""Write the web application's Finnish and Swedish catalogues from src/katsaus/web/locale/messages.tsv.

The TSV (msgid, fi, sv; tab-separated; UTF-8) keeps the two languages side by side, so a string translated into one
and not the other shows. This writes locale/{fi,sv}/LC_MESSAGES/django.po and compiles django.mo with Babel (no
gettext tools needed). Run: `.venv/bin/python scripts/web_messages.py` after editing the TSV.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "katsaus" / "web" / "locale"
LANGUAGES = ("fi", "sv")


def read_messages(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = [row["msgid"] for row in rows if not all(row.get(lang) for lang in LANGUAGES)]
    if missing:
        sys.exit(f"untranslated in messages.tsv: {missing}")
    return rows


def write_catalogue(rows: list[dict[str, str]], language: str) -> None:
    catalog = Catalog(locale=language, domain="django", project="katsaus-web", charset="utf-8")
    for row in rows:
        catalog.add(row["msgid"], row[language])
    folder = LOCALE / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "django.po").open("wb") as handle:
        write_po(handle, catalog, omit_header=False, width=0)
    with (folder / "django.mo").open("wb") as handle:
        write_mo(handle, catalog)


def main() -> None:
    rows = read_messages(LOCALE / "messages.tsv")
    for language in LANGUAGES:
        write_catalogue(rows, language)
    print(f"wrote {len(rows)} messages for {', '.join(LANGUAGES)}")


if __name__ == "__main__":
    main()
