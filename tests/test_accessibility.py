"""The web page in Debian's Chromium through Playwright, checked by axe-core: no serious or critical violation, at
a desktop width and a phone width, in Finnish and in Swedish. The page must load nothing from other hosts."""

from __future__ import annotations

import pytest
from doc_tools import DOCUMENT, axe_violations, demo_documents, swedish_documents

pytestmark = pytest.mark.slow

BLOCKING = {"serious", "critical"}


def describe(violations: list[dict]) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_the_finnish_page_has_no_serious_or_critical_violations(tmp_path_factory, width, height):
    page = demo_documents(tmp_path_factory) / f"{DOCUMENT}.html"
    assert describe(axe_violations(page, width, height)) == []


def test_the_swedish_page_has_no_serious_or_critical_violations(tmp_path_factory):
    page = swedish_documents(tmp_path_factory) / f"{DOCUMENT}-sv.html"
    assert describe(axe_violations(page)) == []
