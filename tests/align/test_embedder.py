import numpy as np

from copydesk.align.embedder import CachedEmbedder, HashingEmbedder


def test_hashing_embedder_is_deterministic_unit_and_word_sensitive():
    e = HashingEmbedder()
    a = e.embed(["The strike ended on Tuesday.", "The strike ended on Tuesday.", "Farmers lost crops."])
    assert np.allclose(a[0], a[1])
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert a[0] @ a[1] > a[0] @ a[2]


def test_cache_embeds_each_text_once_in_one_batch():
    calls = []

    class Counting(HashingEmbedder):
        def embed(self, texts):
            calls.append(list(texts))
            return super().embed(texts)

    cached = CachedEmbedder(Counting(), max_items=10)
    first = cached.embed(["a b", "c d", "a b"])
    second = cached.embed(["c d", "e f"])
    assert calls == [["a b", "c d"], ["e f"]]
    assert np.allclose(first[1], second[0])
    assert (cached.hits, cached.misses) == (2, 3)


def test_cache_evicts_oldest():
    cached = CachedEmbedder(HashingEmbedder(), max_items=2)
    cached.embed(["a", "b", "c"])
    assert list(cached._cache) == ["b", "c"]
