from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from copydesk.align.embedder import HashingEmbedder
from copydesk.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def settings() -> Settings:
    return Settings.load()


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


class TableEmbedder:
    """Fake embedder with chosen vectors per text; unknown texts get a random unit vector."""

    name = "table-fake"

    def __init__(self, table: dict[str, list[float]], dim: int = 4) -> None:
        self.dim = dim
        self.table = {k: np.asarray(v, dtype=np.float32) / np.linalg.norm(v) for k, v in table.items()}
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rng = np.random.default_rng(0)
        rows = []
        for t in texts:
            v = self.table.get(t)
            if v is None:
                v = rng.normal(size=self.dim).astype(np.float32)
                v /= np.linalg.norm(v)
            rows.append(v)
        return np.vstack(rows)


@pytest.fixture
def fake_models(monkeypatch):
    """Every place the CLI builds an embedder gets the hashing fake instead of a model,
    and the claim check finds names by capitalisation instead of spaCy."""
    import copydesk.batch
    import copydesk.library
    import copydesk.pipeline
    from copydesk.check.entities import CapitalisedTagger

    fake = lambda settings: HashingEmbedder()  # noqa: E731
    for module in (copydesk.pipeline, copydesk.batch, copydesk.library):
        monkeypatch.setattr(module, "make_embedder", fake)
    monkeypatch.setattr(copydesk.pipeline, "make_tagger", lambda name: CapitalisedTagger())


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_embedder():
    from copydesk.align.embedder import make_embedder

    return make_embedder(Settings.load())


DEMO_ARTICLES = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "demo" / "articles"


def light_edit(text: str) -> str:
    """A copy with a few words changed, as a careless rewrite would."""
    for old, new in (("handled", "processed"), ("increase", "rise"), ("urged", "asked"), ("said", "stated")):
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def story_documents(settings):
    return demo_story_documents(settings)


def demo_story_documents(settings):
    """The demo story (source, faithful and distorting retellings, an unrelated article)
    plus a verbatim copy and a light edit of the faithful retelling, as Documents."""
    from copydesk.ingest import document_from_text, load_document

    docs = {p.stem: load_document(p, settings) for p in sorted(DEMO_ARTICLES.iterdir())}
    faithful = docs["faithful_velmora_daily"].text
    docs["copy"] = document_from_text(faithful + "\nShare this article\n", id="copy", site="Copycat News", settings=settings)
    docs["edit"] = document_from_text(light_edit(faithful), id="edit", site="Rewrite Daily", settings=settings)
    return docs
