"""MiniLMEmbedder keeps token states only when asked, and reuses them for the token verifier."""

import numpy as np

from copydesk.align.embedder import MiniLMEmbedder


class CountingEncoder:
    """Stands in for MiniLMEncoder: records what it was asked to encode."""

    def __init__(self):
        self.calls = []

    def encode(self, texts, batch_size=8):
        self.calls.append(("vectors", list(texts)))
        return np.ones((len(texts), 384), np.float32)

    def encode_with_tokens(self, texts, batch_size=8):
        from copydesk.align.minilm import TokenStates

        self.calls.append(("tokens", list(texts)))
        states = [TokenStates(np.array([len(t)]), ((0, len(t)),), np.ones((1, 384), np.float16)) for t in texts]
        return np.ones((len(texts), 384), np.float32), states


def embedder(keep):
    e = MiniLMEmbedder(max_token_states=keep)
    e._encoder = CountingEncoder()
    return e, e._encoder


def test_token_states_of_embedded_texts_are_reused():
    e, encoder = embedder(keep=10)
    e.embed(["a b", "c"])
    states = e.token_states(["c", "a b", "new"])
    assert [s.ids[0] for s in states] == [1, 3, 3]
    assert encoder.calls == [("tokens", ["a b", "c"]), ("tokens", ["new"])]


def test_without_a_store_embedding_skips_the_token_states():
    e, encoder = embedder(keep=0)
    e.embed(["a b"])
    assert encoder.calls == [("vectors", ["a b"])]
    assert e.token_states(["a b"])[0].ids[0] == 3  # computed when asked
    assert not e._tokens


def test_the_store_keeps_only_the_latest_texts():
    e, _ = embedder(keep=2)
    e.embed(["one", "two", "three"])
    assert list(e._tokens) == ["two", "three"]
