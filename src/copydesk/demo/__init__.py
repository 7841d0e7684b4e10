"""`copydesk demo`: compare the bundled example articles, then trace them as a library.

The articles are fictional and written for copydesk: a wire report and
three others (a faithful credited rewrite, an uncredited AI-style
paraphrase with drifted facts, filler and a disclaimer, and an independent
report on a similar topic).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from copydesk.align.embedder import make_embedder
from copydesk.pipeline import compare
from copydesk.ingest import load_document
from copydesk.report.html import render_html
from copydesk.report.terminal import render
from copydesk.settings import Settings

SOURCE = "source_meridian_wire.html"
OTHERS = (
    ("faithful_velmora_daily.txt", "a faithful, credited rewrite"),
    ("paraphrase_newspulse.html", "an uncredited AI-style paraphrase"),
    ("independent_northgate.json", "an independent report on a similar topic"),
)


def article_path(name: str) -> Path:
    return Path(str(resources.files("copydesk.demo").joinpath("articles", name)))


def run_demo(out: Path, console: Console) -> list[Path]:
    settings = Settings.load()
    embedder = make_embedder(settings)
    out.mkdir(parents=True, exist_ok=True)
    source = load_document(article_path(SOURCE), settings)
    written = []
    for name, description in OTHERS:
        console.print(Rule(f"source vs {description}"))
        result = compare(source, load_document(article_path(name), settings), settings=settings, embedder=embedder)
        render(result, console)
        page = out / (Path(name).stem + ".html")
        page.write_text(render_html(result), encoding="utf-8")
        written.append(page)
    console.print(Rule("the four articles as a library: who retold whom"))
    trace_library(out / "library.db", settings, embedder, console)
    console.print(Rule("HTML reports"))
    for page in written:
        console.print(f"  {page}")
    return written


def trace_library(db: Path, settings: Settings, embedder, console: Console) -> None:
    """Add every demo article to a fresh library and print its story tree."""
    from copydesk.library import Library
    from copydesk.report.terminal import render_trace

    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    with Library.open(db, settings, embedder=embedder) as library:
        library.add(load_document(article_path(name), settings) for name in (SOURCE, *(n for n, _ in OTHERS)))
        render_trace(library.trace(), lambda i: library.article(i).title, console)
    console.print(f"library: {db} (try: copydesk trace --db {db}, or browse it: copydesk serve --db {db})", highlight=False)
