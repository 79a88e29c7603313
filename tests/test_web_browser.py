"""The web application in Debian's Chromium through Playwright (no browser download), against pytest-django's
live server: the whole reporting round as its people do it, every page checked by axe-core, and the editing flow
with the keyboard alone. Runs on SQLite and, marked `db`, on the throwaway PostgreSQL (tests/katsaus_pg.py)."""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from doc_tools import AXE, CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT, pdf_text, spaces
from service_fixtures import PASSWORD, add_people
from web_fixtures import load_demo_county

from katsaus.services.actors import Operator

pytestmark = [pytest.mark.db, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PERIOD = "2025-06"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def county(tmp_path, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are synchronous
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: {INSTALL_HINT}")
    load_demo_county(tmp_path / "data")
    return add_people()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def logged_in(browser, server: str, name: str, bypass_csp: bool = False):
    """A page of a new browser context (its own cookies) with `name` logged in through the login form."""
    page = browser.new_context(bypass_csp=bypass_csp, accept_downloads=True).new_page()
    page.goto(f"{server}/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:text('Kirjaudu sisään')")
    page.wait_for_url(f"{server}/")
    return page


def round_id(page) -> str:
    return re.search(r"/rounds/(\d+)/", page.url).group(1)


def write_and_submit(page, server: str, rid: str, unit: str, text: str) -> None:
    page.goto(f"{server}/rounds/{rid}/units/{unit}/")
    editor = page.locator("#id_n-katsaus-markdown")
    editor.fill(text)
    page.locator("#preview-katsaus .preview").filter(has_text="Toimintakate").wait_for()  # the live preview
    page.click("form[action$='/texts/katsaus/'] button[type=submit]")
    page.wait_for_url(f"{server}/rounds/{rid}/units/{unit}/")
    page.click("form[action$='/submit/'] button")
    page.locator("#unit-status.status-submitted").wait_for()


def open_round(page, server: str, units: list[str]) -> str:
    page.click("text=Avaa raportointikierros")
    page.fill("#id_period", PERIOD)
    page.fill("#id_deadline", "2025-08-15")
    for box in page.locator("input[name=units]").all():
        box.set_checked(box.get_attribute("value") in units)
    page.click("button[type=submit]:text('Avaa kierros')")
    page.wait_for_url(re.compile(r".*/rounds/\d+/$"))
    return round_id(page)


TEXT = "Toimintakate oli {{ luku: . / toimintakate / tot }} tuhatta euroa."


def test_a_whole_round_in_the_browser(county, live_server, tmp_path):
    server = live_server.url
    with chromium() as browser:
        controller = logged_in(browser, server, "kontrolleri")
        rid = open_round(controller, server, ["PESOVA-LS", "PESOVA-PK"])

        ls, pk = logged_in(browser, server, "ls-paallikko"), logged_in(browser, server, "pk-paallikko")
        write_and_submit(ls, server, rid, "PESOVA-LS", "Lastensuojelu. " + TEXT)
        write_and_submit(pk, server, rid, "PESOVA-PK", "Perhekeskus. " + TEXT)

        director = logged_in(browser, server, "johtaja")
        director.goto(f"{server}/rounds/{rid}/units/PESOVA-LS/")
        director.fill("#id_comment", "Lisää sijaishuollon kustannukset.")
        director.click("form[action$='/return/'] button")
        director.locator("#unit-status.status-returned").wait_for()

        ls.goto(f"{server}/rounds/{rid}/units/PESOVA-LS/")
        assert ls.locator("#director-comment").inner_text() == "Lisää sijaishuollon kustannukset."
        write_and_submit(ls, server, rid, "PESOVA-LS", "Lastensuojelu, sijaishuollon kustannukset. " + TEXT)

        for unit in ("PESOVA-LS", "PESOVA-PK"):
            director.goto(f"{server}/rounds/{rid}/units/{unit}/")
            director.click("form[action$='/approve/'] button")
            director.locator("#unit-status.status-approved").wait_for()

        controller.goto(f"{server}/rounds/{rid}/")
        # publishing renders every document inside the request: the click waits for it as long as the message below
        controller.click("button:text('Julkaise katsaus')", timeout=120_000)
        controller.locator(".messages li.success").wait_for(timeout=120_000)

        reader = logged_in(browser, server, "lukija", bypass_csp=True)  # bypass: to add axe-core to the page
        reader.click("nav >> text=Julkaistut katsaukset")
        reader.click("main a[href^='/r/']")
        assert axe_problems(reader) == []  # the published report's page: its files and their SHA-256
        pdf = download(reader, "osavuosikatsaus-1-6-2025.pdf", tmp_path)
        figures = download(reader, "tuloslaskelma-luvut.csv", tmp_path)

    cli = cli_report(tmp_path / "cli")
    assert_same_figures(figures, cli / "tuloslaskelma.csv")
    text = pdf_text(pdf)
    assert "Lastensuojelu, sijaishuollon kustannukset." in text
    for line in printed_lines(cli / "tuloslaskelma.csv", "Perhe-, sosiaali- ja vammaispalveluiden toimiala"):
        assert line in text


def download(page, name: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"a:text('{name}')")
    target = folder / name
    info.value.save_as(target)
    return target


def cli_report(out: Path) -> Path:
    from typer.testing import CliRunner

    from katsaus.cli import app

    result = CliRunner().invoke(app, ["report", "--period", PERIOD, "--unit", "PESOVA", "--format", "csv",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def thousands(printed: str) -> Decimal | None:
    cleaned = spaces(printed).replace(" ", "").replace("−", "-")
    return Decimal(cleaned) if cleaned and "%" not in cleaned else None


def assert_same_figures(published: Path, printed: Path) -> None:
    """Every amount the CLI prints (in thousands) is the published exact euros rounded to thousands."""
    exact = {(r["unit"], r["line"]): r for r in csv.DictReader(io.StringIO(published.read_text(encoding="utf-8")))}
    compared = 0
    for row in csv.DictReader(io.StringIO(printed.read_text(encoding="utf-8"))):
        euros = exact[(row["unit"], row["line"])]
        for key in ("mta", "tot", "tpe"):
            shown = thousands(row[key])
            if shown is None:
                continue
            assert abs(Decimal(euros[key]) / 1000 - shown) <= Decimal("0.5"), (row, euros)
            compared += 1
    assert compared > 30


def printed_lines(path: Path, unit: str) -> list[str]:
    """The CLI's printed rows of the unit as the PDF prints them: the line, then its non-empty cells."""
    keys = ("mta", "tot", "tot_pct", "tpe", "tpe_pct", "mta_minus_tpe")
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return [" ".join([r["line"], *(spaces(r[k]) for k in keys if r[k])]) for r in rows if r["unit"] == unit]


# --- accessibility: axe-core on every page, and the editing flow with the keyboard alone -----------------------


def axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url} {v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in BLOCKING]


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the focus is on `selector`: the element is reachable with the keyboard alone."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab on {page.url}")


def test_every_page_passes_axe_and_a_unit_is_edited_with_the_keyboard_alone(county, live_server):
    from katsaus.services import content, forecasts, rounds

    server = live_server.url
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: {INSTALL_HINT}")
    the_round = rounds.open_round(PERIOD, __import__("datetime").date(2025, 8, 15), Operator("web-test"), ["PESOVA-LS", "PESOVA-PK"])
    rid = the_round.pk
    forecasts.suggest("2025-06", "TPE 6/2025 ehdotus", Operator("web-test"))  # the forecast round's side-by-side table
    problems: list[str] = []
    with chromium() as browser:
        visitor = browser.new_context(bypass_csp=True).new_page()
        for address in ("/reports/", "/login/"):
            visitor.goto(server + address)
            problems += axe_problems(visitor)
        visitor.fill("#id_username", "kontrolleri")
        visitor.click("button[type=submit]:text('Kirjaudu sisään')")  # a wrong login: errors tied to the fields
        problems += axe_problems(visitor)

        controller = logged_in(browser, server, "kontrolleri", bypass_csp=True)
        for address in ("/", "/rounds/new/", f"/rounds/{rid}/", f"/rounds/{rid}/units/PESOVA-LS/", "/users/", "/upload/",
                        "/forecast/", "/forecast/?suggestion=TPE+6%2F2025+ehdotus"):
            controller.goto(server + address)
            if "suggestion=" in address:  # the table is there to be checked, not an invalid form
                assert controller.locator("table tbody tr").count() > 0
            problems += axe_problems(controller)
        controller.goto(f"{server}/rounds/{rid}/units/PESOVA-PK/")  # lines needing a deviation explanation
        controller.click("form[action$='/deviations/toimintakulut/'] button[type=submit]")  # empty: its error
        controller.locator("#id_d-toimintakulut-text_errors").wait_for()
        problems += axe_problems(controller)
        controller.goto(server + "/rounds/new/")
        controller.click("button[type=submit]:text('Avaa kierros')")  # an empty form: every error shown
        problems += axe_problems(controller)
        controller.goto(server + "/upload/")
        controller.set_input_files("#id_files", files=[{"name": "kirjanpito.csv", "mimeType": "text/csv",
                                                        "buffer": b"pvm;kustannuspaikka\n31.2.2025;1\n"}])
        controller.click("button[type=submit]:text('Tarkista ja tuo')")  # refused: the problems' table
        controller.locator("#upload-refused").wait_for()
        problems += axe_problems(controller)

        manager = logged_in(browser, server, "ls-paallikko", bypass_csp=True)
        manager.set_viewport_size({"width": 390, "height": 844})
        manager.goto(f"{server}/rounds/{rid}/units/PESOVA-LS/")
        began = content.current_narrative("PESOVA-LS", PERIOD, "katsaus").version
        content.save_narrative("PESOVA-LS", PERIOD, "katsaus", "Toisen teksti.", began, Operator("kontrolleri"))
        manager.fill("#id_n-katsaus-markdown", "Oma teksti.")
        manager.click("form[action$='/texts/katsaus/'] button[type=submit]")  # refused: both texts shown
        manager.locator("#n-katsaus-conflict").wait_for()
        problems += axe_problems(manager)
        manager.goto(server + "/")
        manager.click("form[action='/i18n/setlang/'] button")  # nothing chosen yet: Finnish kept
        manager.select_option("#language", "sv")
        manager.click("form[action='/i18n/setlang/'] button")
        manager.goto(f"{server}/rounds/{rid}/units/PESOVA-LS/")
        assert manager.locator("html").get_attribute("lang") == "sv"
        problems += axe_problems(manager)

        keyboard_edit(browser, server, rid)
    assert problems == []


def keyboard_edit(browser, server: str, rid: int) -> None:
    """The unit manager logs in, opens the unit, writes, saves and submits with the keyboard alone."""
    from katsaus.services.content import current_narrative

    page = browser.new_context().new_page()
    page.goto(f"{server}/login/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # the skip link comes first
    tab_to(page, "#id_username")
    page.keyboard.type("pk-paallikko")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/")
    tab_to(page, f"a[href='/rounds/{rid}/units/PESOVA-PK/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/rounds/{rid}/units/PESOVA-PK/")
    tab_to(page, "#id_n-katsaus-markdown")
    page.keyboard.press("Control+A")
    page.keyboard.type("Näppäimistöllä kirjoitettu teksti.")
    tab_to(page, "form[action$='/texts/katsaus/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(".messages li.success").wait_for()
    tab_to(page, "form[action$='/submit/'] button")
    page.keyboard.press("Enter")
    page.locator("#unit-status.status-submitted").wait_for()
    assert current_narrative("PESOVA-PK", PERIOD, "katsaus").markdown == "Näppäimistöllä kirjoitettu teksti."
