"""End to end in a real browser: Debian's Chromium driven by Playwright against `copydesk serve`
on a free localhost port, over the demo library (plus one article full of hostile markup)
with the real model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DEMO_ARTICLES
from tests.web.conftest import XSS_TEXT, XSS_TITLE, XSS_URL

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.model,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, real_embedder):
    from copydesk.ingest import document_from_text, load_document
    from copydesk.library import Library
    from copydesk.settings import Settings
    from copydesk.web import create_app, serve_in_thread

    settings = Settings.load()
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    docs = [load_document(p, settings) for p in sorted(DEMO_ARTICLES.iterdir())]
    hostile = document_from_text(XSS_TEXT, id="hostile", title=XSS_TITLE, url=XSS_URL, settings=settings)
    with Library.open(db, settings, embedder=real_embedder) as library:
        library.add([*docs, hostile])
        library.trace()
    ids = {p.stem: d.id for p, d in zip(sorted(DEMO_ARTICLES.iterdir()), docs)}
    app = create_app(db, settings=settings, embedder=real_embedder)
    with serve_in_thread(app) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def never_ran(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_library_lists_and_searches(page, server):
    base, ids = server
    page.goto(base + "/")
    rows = page.locator("#library-table tbody tr")
    assert rows.count() == 5
    page.fill("input[name=q]", "Vasland")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"q=Vasland"))
    titles = page.locator("#library-table .article-link").all_inner_texts()
    assert len(titles) == 3 and all("Kessa" not in t for t in titles)
    paraphrase_row = page.locator("#library-table tr", has_text="Flood Claims Soar")
    assert paraphrase_row.locator(".kind").count() == 1  # its worst finding is shown
    never_ran(page)


def test_article_lists_retellings_and_opens_a_pair(page, server):
    base, ids = server
    page.goto(f"{base}/articles/{ids['source_meridian_wire']}")
    assert "Flood claims in Lower Vasland" in page.inner_text("#article-title")
    assert page.locator("#article-text .bp").count() >= 1  # boilerplate greyed
    retellings = page.locator("#related-table tr.role-retelling")
    assert retellings.count() >= 2
    page.locator("#related-table tr", has_text="Flood Claims Soar").locator(".pair-link").click()
    page.wait_for_url(re.compile(rf"/pairs/{ids['source_meridian_wire']}/{ids['paraphrase_newspulse']}$"))
    assert "Same story" in page.inner_text("#summary-bar")


def open_pair(page, base, ids):
    """A pair not compared yet opens a job page, which goes on to the pair when the job is done."""
    url = f"{base}/pairs/{ids['source_meridian_wire']}/{ids['paraphrase_newspulse']}"
    page.goto(url)
    page.wait_for_url(url, timeout=60_000)


def test_clicking_a_sentence_lights_its_partner(page, server):
    base, ids = server
    open_pair(page, base, ids)
    sentence = page.locator(".col .s[id^=d][data-links*=s]:not(:has(mark))").first  # a click on a mark opens the finding
    partner = sentence.get_attribute("data-links").split()[0]
    assert "lit" not in (page.get_attribute(f"#{partner}", "class") or "")
    sentence.click()
    assert "lit" in sentence.get_attribute("class")
    assert "lit" in page.get_attribute(f"#{partner}", "class")
    assert page.locator(".lit").count() >= 2
    assert "retells source sentence" in page.inner_text("#detail")


def test_clicking_a_finding_marks_it_in_both_texts(page, server):
    base, ids = server
    open_pair(page, base, ids)
    finding = page.locator(".col .s[id^=d] mark.f").first
    kind, fid = finding.get_attribute("data-kind"), finding.get_attribute("data-finding")
    finding.click()
    lit = page.locator(f'mark.f.lit[data-finding="{fid}"]')
    assert lit.count() == 2  # the changed span here and its counterpart in the source
    assert page.locator(f'.col .s[id^=s] mark.f.lit[data-finding="{fid}"]').count() == 1
    assert page.locator("mark.f.lit").count() == 2  # nothing else lit
    assert kind in page.inner_text("#detail")
    assert len({kind for kind in page.locator("mark.f").evaluate_all("ms => ms.map(m => m.dataset.kind)")}) >= 4


def test_compare_form_runs_in_the_background_and_shows_the_pair(page, server):
    base, ids = server
    page.goto(base + "/compare")
    page.fill("textarea[name=source_text]", "The port of Velmora handled 1,200 ships in 2021, the harbour board said.")
    page.fill("textarea[name=derived_text]", "The port of Velmora handled 1,500 ships last year.")
    page.click("#compare-form button[type=submit]")
    page.wait_for_url(re.compile(r"/pairs/[^/]+/[^/]+$"), timeout=60_000)
    assert "1 distorted" in page.inner_text("#summary-bar")
    assert page.locator("mark.f.k-number_changed").count() == 2
    assert page.errors == []


def test_story_graph_links_to_pairs(page, server):
    base, ids = server
    page.goto(base + "/stories")
    page.locator("#stories-table a").first.click()
    assert page.locator("#story-graph .node").count() >= 3
    assert page.locator("#story-graph .node.root").count() == 1
    page.locator("#story-graph a.edge").first.click()
    page.wait_for_url(re.compile(r"/pairs/"))
    assert "Same story" in page.inner_text("#summary-bar")


def test_injected_markup_never_runs(page, server):
    base, _ = server
    for url in ("/", "/?q=bridge", "/articles/hostile", "/pairs/hostile/hostile", "/outlets"):
        page.goto(base + url)
        page.wait_for_url(base + url, timeout=60_000)  # a pair passes through its job page first
        never_ran(page)
    page.goto(base + "/articles/hostile")
    assert XSS_TITLE in page.inner_text("#article-title")  # shown as text
    assert page.locator("a[href^='javascript:']").count() == 0
    page.get_by_text(XSS_URL).click()
    page.locator("#article-text").hover()
    never_ran(page)
    assert page.errors == []
