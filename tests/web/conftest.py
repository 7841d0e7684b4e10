from __future__ import annotations

import shutil

import pytest

from copydesk.align.embedder import HashingEmbedder
from copydesk.ingest import document_from_text
from copydesk.library import Library

# Hostile article: markup in every field a page shows. `window.__pwned` is set only if any of it runs.
XSS_TITLE = '<script>window.__pwned = "title"</script>Breaking'
XSS_TEXT = (
    'Officials said <script>window.__pwned = "text"</script> the bridge will reopen in May.\n'
    'A witness said <img src=x onerror="window.__pwned = \'img\'"> the repairs took 14 weeks.\n'
    'The council said the 3.2 million crown bill was paid by the region.'
)
XSS_URL = "javascript:window.__pwned='link'"


def filler_articles(settings, n: int):
    """Distinct small articles, a day apart, from two outlets: for paging and filters."""
    for i in range(n):
        yield document_from_text(
            f"Filler item {i}\nThe town of Place{i} opened library number {100 + i} on a quiet day. "
            f"Its mayor Person{i} cut a ribbon in front of {20 + i} residents.",
            id=f"filler-{i:02d}",
            settings=settings,
            site="Alpha Post" if i % 2 else "Beta Herald",
            published=f"2021-01-{i + 1:02d}",
        )


def build_library(path, settings, story_documents, embedder, extra: int = 0):
    """The demo story, an article full of markup, and `extra` filler articles; traced."""
    hostile = document_from_text(
        XSS_TEXT, id="hostile", settings=settings, title=XSS_TITLE, url=XSS_URL, site='<b onmouseover="x()">Evil</b>'
    )
    with Library.open(path, settings, embedder=embedder) as library:
        library.add([*story_documents.values(), hostile, *filler_articles(settings, extra)])
        library.trace()
    return path


@pytest.fixture(scope="session")
def _library_template(tmp_path_factory):
    from copydesk.settings import Settings
    from tests.conftest import demo_story_documents

    settings = Settings.load()
    documents = demo_story_documents(settings)
    path = tmp_path_factory.mktemp("web") / "library.db"
    return build_library(path, settings, documents, HashingEmbedder(), extra=23)


@pytest.fixture
def library_db(tmp_path, _library_template):
    """A fresh copy per test: tests add articles and read the file's bytes."""
    copy = tmp_path / "library.db"
    shutil.copyfile(_library_template, copy)
    return copy


@pytest.fixture
def client(library_db, settings):
    from fastapi.testclient import TestClient

    from copydesk.web.app import create_app

    app = create_app(library_db, settings=settings, embedder=HashingEmbedder())
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        yield c
    app.state.copydesk.jobs.shutdown()
