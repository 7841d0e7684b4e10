"""Screenshots of every page of `copydesk serve` over the demo library, for the README.

    python scripts/screenshots.py   # writes docs/screenshots/*.png

Uses Debian's chromium through Playwright and the real model (as `make demo`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from copydesk.align.embedder import make_embedder
from copydesk.demo import OTHERS, SOURCE, article_path
from copydesk.ingest import load_document
from copydesk.library import Library
from copydesk.settings import Settings
from copydesk.web import create_app, serve_in_thread

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> None:
    settings = Settings.load()
    embedder = make_embedder(settings)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        docs = {name: load_document(article_path(name), settings) for name in (SOURCE, *(n for n, _ in OTHERS))}
        with Library.open(db, settings, embedder=embedder) as library:
            library.add(docs.values())
            library.trace()
        source, paraphrase = docs[SOURCE].id, docs["paraphrase_newspulse.html"].id
        app = create_app(db, settings=settings, embedder=embedder)
        with serve_in_thread(app) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            shots = {
                "library": "/",
                "article": f"/articles/{source}",
                "pair": f"/pairs/{source}/{paraphrase}",
                "stories": "/stories",
                "outlets": "/outlets",
                "compare": "/compare",
            }
            for name, url in shots.items():
                page.goto(base + url)
                if name == "pair":  # it passes through its compare job; then show a finding lit in both texts
                    page.wait_for_url(base + url, timeout=60_000)
                    page.locator(".col .s[id^=d] mark.f.k-attribution_shifted").first.click()
                    page.wait_for_timeout(600)
                if name == "stories":
                    page.locator("#stories-table a").first.click()
                    name = "story"
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(OUT / f"{name}.png")
            browser.close()


if __name__ == "__main__":
    main()
