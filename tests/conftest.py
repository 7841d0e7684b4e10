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
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_embedder():
    from copydesk.align.embedder import make_embedder

    return make_embedder(Settings.load())
