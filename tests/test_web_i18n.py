"""The web interface in Finnish and Swedish (src/katsaus/web/locale): every string the templates and the Python
code mark for translation has both translations, and the compiled catalogues say what messages.tsv says."""

from __future__ import annotations

import ast
import csv
import gettext
import re
from pathlib import Path

import pytest

WEB = Path(__file__).parents[1] / "src" / "katsaus" / "web"
TAG = re.compile(r"""\{%\s*translate\s+(?:"([^"]+)"|'([^']+)')""")
MARKERS = {"_", "gettext", "gettext_lazy"}


def template_strings() -> set[str]:
    found = set()
    for path in (WEB / "templates").rglob("*.html"):
        found |= {a or b for a, b in TAG.findall(path.read_text(encoding="utf-8"))}
    return found


def python_strings() -> set[str]:
    found = set()
    for path in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def table() -> dict[str, dict[str, str]]:
    with (WEB / "locale" / "messages.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["msgid"]: row for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


def test_every_marked_string_has_a_finnish_and_a_swedish_translation():
    rows = table()
    wanted = template_strings() | python_strings()
    assert len(wanted) > 100
    missing = sorted(s for s in wanted if not (s in rows and rows[s]["fi"].strip() and rows[s]["sv"].strip()))
    assert missing == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_compiled_catalogue_is_the_table(language):
    path = WEB / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    differ = {msgid: row[language] for msgid, row in table().items() if catalogue.gettext(msgid) != row[language]}
    assert differ == {}, "run scripts/web_messages.py after editing messages.tsv"


def test_placeholders_survive_translation():
    for msgid, row in table().items():
        names = sorted(re.findall(r"%\((\w+)\)s", msgid))
        assert sorted(re.findall(r"%\((\w+)\)s", row["fi"])) == names, msgid
        assert sorted(re.findall(r"%\((\w+)\)s", row["sv"])) == names, msgid
