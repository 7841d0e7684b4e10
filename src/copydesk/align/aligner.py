"""Align derived sentences to source sentences.

Score = (1 - anchor_weight) * cosine of sentence embeddings
+ anchor_weight * anchor overlap (shared numbers, names, rare words).
Among candidates within `close_call_margin` of the top score, the one with
the most anchor overlap wins, so "4,120 claims in 2021" goes to the source
sentence with 4,120 rather than its near-twin with 3,900.
Datelines ("VELMORA, March 15 (Meridian Wire) -") are left out of what is
embedded: they carry no claim and dilute the lede's vector. A derived sentence is backed when its
best score reaches the calibrated `match_threshold`. Two refinements:

- merge: one derived sentence retelling two source sentences. The embedding
  of two sentences read together is close to the token-weighted mean of
  their mean-pooled embeddings, so we score the derived sentence against
  that mean; if it beats the best single source by `merge_gain`, both join.
- split: one source sentence retold as two adjacent derived sentences. The
  pair's weighted mean is scored against the source the first one matched;
  the second joins the group when that beats the first alone by `merge_gain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copydesk import facts
from copydesk.align import anchors as anchor_lib
from copydesk.align.embedder import Embedder
from copydesk.models import Alignment, Sentence
from copydesk.settings import Settings

CANDIDATES = 6  # source sentences per derived sentence that anchors may re-rank


@dataclass(frozen=True)
class _Side:
    vectors: np.ndarray
    weights: np.ndarray  # word counts, standing in for token counts when pooling
    anchors: list[anchor_lib.Anchors]


def _pool(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    pooled = (vectors * weights[:, None]).sum(axis=0)
    return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


def _union(parts: Sequence[anchor_lib.Anchors]) -> anchor_lib.Anchors:
    return anchor_lib.Anchors(
        frozenset().union(*(p.numbers for p in parts)),
        frozenset().union(*(p.names for p in parts)),
        frozenset().union(*(p.words for p in parts)),
    )


def sentence_anchors(sentences: Sequence[Sentence], rare: frozenset[str]) -> list[anchor_lib.Anchors]:
    return [anchor_lib.extract(s.clean, rare) for s in sentences]


def embedding_text(sentence: Sentence) -> str:
    return facts.without_dateline(sentence.clean)


def pair_score(similarity: float, anchor_overlap: float, settings: Settings) -> float:
    return (1.0 - settings.anchor_weight) * similarity + settings.anchor_weight * anchor_overlap


# Derived sentences whose cosines with every source sentence are held at once: the full matrix of
# two long texts would not fit in memory (35,000 x 35,000 floats is 4.9 GB); a block of rows does.
_ROW_BLOCK = 256


@dataclass(frozen=True)
class _Nearest:
    """Per derived sentence, its CANDIDATES nearest source sentences, best first (ties: lower index)."""

    index: np.ndarray  # (derived, k) source sentence numbers
    cosine: np.ndarray  # (derived, k)


def nearest(d_vectors: np.ndarray, s_vectors: np.ndarray, k: int = CANDIDATES) -> _Nearest:
    k = min(k, len(s_vectors))
    index = np.empty((len(d_vectors), k), dtype=np.int64)
    cosine = np.empty((len(d_vectors), k), dtype=np.float32)
    for start in range(0, len(d_vectors), _ROW_BLOCK):
        block = d_vectors[start : start + _ROW_BLOCK] @ s_vectors.T
        kth = -np.partition(-block, k - 1, axis=1)[:, k - 1]  # each row's k-th largest cosine
        for r in range(len(block)):
            tied_or_better = np.flatnonzero(block[r] >= kth[r]).tolist()  # ties at the edge all compete
            ranked = sorted(tied_or_better, key=lambda j: (-block[r, j], j))[:k]
            index[start + r] = ranked
            cosine[start + r] = block[r, ranked]
    return _Nearest(index, cosine)


def _prepare(
    derived: Sequence[Sentence], source: Sequence[Sentence], embedder: Embedder
) -> tuple[_Side, _Side, _Nearest]:
    """Embeddings, pooling weights and anchors of both sides, and each derived sentence's nearest sources."""
    texts = [embedding_text(s) for s in derived] + [embedding_text(s) for s in source]
    vectors = embedder.embed(texts)
    rare = anchor_lib.rare_vocabulary(texts)

    def side(sentences: Sequence[Sentence], rows: np.ndarray) -> _Side:
        weights = np.array([max(1, len(x.clean.split())) for x in sentences], dtype=np.float32)
        return _Side(rows, weights, sentence_anchors(sentences, rare))

    d = side(derived, vectors[: len(derived)])
    s = side(source, vectors[len(derived) :])
    return d, s, nearest(d.vectors, s.vectors)


def candidate_signals(
    derived: Sequence[Sentence], source: Sequence[Sentence], embedder: Embedder
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per derived sentence: (cosines, anchor overlaps) of its nearest source sentences, as `align` sees them."""
    if not derived or not source:
        return []
    d, s, near = _prepare(derived, source, embedder)
    out = []
    for i, top in enumerate(near.index):
        out.append((near.cosine[i], np.array([anchor_lib.overlap(d.anchors[i], s.anchors[j])[0] for j in top])))
    return out


def align(
    derived: Sequence[Sentence],
    source: Sequence[Sentence],
    embedder: Embedder,
    settings: Settings,
) -> tuple[Alignment, ...]:
    if not derived or not source:
        return ()
    d, s, near = _prepare(derived, source, embedder)
    source_letters = [facts.letters(unit.clean)[0] for unit in source]
    links: dict[int, Alignment] = {}
    for i in range(len(derived)):
        link = _best_link(i, near.index[i], near.cosine[i], d, s, settings)
        key = facts.copy_key(derived[i].clean)  # empty for a sentence too short to be a copied one
        holding = [j for j, text in enumerate(source_letters)
                   if key in text and facts.copied_stretch(derived[i].clean, source[j].clean)] if key else []
        if holding and (link is None or link.source not in [(j,) for j in holding]):
            link = _copy_link(i, holding[0], d, s, settings)
        if link is not None:
            links[i] = link
    return tuple(_group_splits(links, near, d, s, settings))


def _copy_link(i: int, j: int, d: _Side, s: _Side, settings: Settings) -> Alignment:
    """A derived sentence standing word for word inside source sentence `j` retells it, however low their
    cosine: a sentence copied out of a long unit (a caption a crawl glued to it) is far from the unit's mean."""
    cos = float(d.vectors[i] @ s.vectors[j])
    overlap, shared = anchor_lib.overlap(d.anchors[i], s.anchors[j])
    return Alignment((i,), (j,), pair_score(cos, overlap, settings), cos, shared)


def _best_link(
    i: int, candidates: np.ndarray, cosines: np.ndarray, d: _Side, s: _Side, settings: Settings
) -> Alignment | None:
    scored = []
    for j, cos in zip(candidates, cosines):
        ov, shared = anchor_lib.overlap(d.anchors[i], s.anchors[j])
        scored.append((pair_score(float(cos), ov, settings), int(j), shared, ov, float(cos)))
    scored.sort(key=lambda t: -t[0])
    # Close call: among candidates within close_call_margin of the top score,
    # the one sharing most numbers, names and rare words wins.
    close = [t for t in scored if t[0] >= scored[0][0] - settings.close_call_margin]
    best_score, best_j, best_shared, _, best_cos = max(close, key=lambda t: (t[3], t[0]))
    if best_score < settings.match_threshold - settings.merge_gain * 2:
        return None
    link = Alignment((i,), (best_j,), best_score, best_cos, best_shared)
    others = [t[1] for t in scored if t[1] != best_j]
    for k in others[:2]:
        pair = sorted((best_j, k))
        merged_vec = _pool(s.vectors[pair], s.weights[pair])
        ov, shared = anchor_lib.overlap(d.anchors[i], _union([s.anchors[p] for p in pair]))
        merged_cos = float(d.vectors[i] @ merged_vec)
        merged = pair_score(merged_cos, ov, settings)
        if merged >= link.score + settings.merge_gain:
            link = Alignment((i,), tuple(pair), merged, merged_cos, shared)
    return link if link.score >= settings.match_threshold else None


def _group_splits(
    links: dict[int, Alignment], near: _Nearest, d: _Side, s: _Side, settings: Settings
) -> list[Alignment]:
    """Join adjacent derived sentences that together retell one source sentence.

    A follower joins when it links to the same single source sentence, or when
    it links to none but that source is its nearest and it falls short of the
    threshold by less than `split_margin` (a half sentence matches only half).
    """
    out: list[Alignment] = []
    n = len(d.vectors)
    i = 0
    while i < n:
        group = links.get(i)
        if group is None:
            i += 1
            continue
        nxt = i + 1
        while nxt < n and len(group.source) == 1:
            j = group.source[0]
            other = links.get(nxt)
            if other is None:
                cos = float(d.vectors[nxt] @ s.vectors[j])
                alone = pair_score(cos, anchor_lib.overlap(d.anchors[nxt], s.anchors[j])[0], settings)
                if int(near.index[nxt][0]) != j or alone < settings.match_threshold - settings.split_margin:
                    break
            elif other.source != group.source:
                break
            members = list(group.derived) + [nxt]
            joined_vec = _pool(d.vectors[members], d.weights[members])
            joined_cos = float(joined_vec @ s.vectors[j])
            ov, shared = anchor_lib.overlap(_union([d.anchors[m] for m in members]), s.anchors[j])
            joined = pair_score(joined_cos, ov, settings)
            if joined < settings.match_threshold:
                break
            group = Alignment(tuple(members), group.source, joined, joined_cos, shared)
            nxt += 1
        out.append(group)
        i = nxt
    return out
