"""Cheap signals computed once for every article in the library.

Two ways to find that two articles tell one story, each surviving a
different amount of rewriting:
- MinHash over word shingles: copies and light edits;
- a fingerprint: distinctive numbers, names, quotes and years, which a
  paraphrase keeps ("4,120 claims", "the Harbor Institute"), and content words,
  weighed by rarity at query time (a retelling keeps the rare ones);
(Document vectors, the mean of static sentence embeddings, were tried and
dropped: unrelated news articles scored 0.97 cosine on average.)
Both are pure functions of the segmented text; the store keeps them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import numpy as np

from copydesk import facts
from copydesk.facts import CALENDAR_WORDS, NUMBER_WORDS, STOPWORDS, number_key
from copydesk.models import ArticleSignals, SegmentedDocument
from copydesk.settings import Settings

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def body_text(doc: SegmentedDocument) -> str:
    """The story's sentences without boilerplate, as models see them."""
    return " ".join(s.clean for s in doc.sentences)


def shingles(text: str, width: int) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < width:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1)]


def shingle_jaccard(a: str, b: str, width: int) -> float:
    """Exact Jaccard similarity of two texts' word shingles."""
    sa, sb = set(shingles(a, width)), set(shingles(b, width))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def containment(derived: str, source: str, width: int) -> float:
    """Share of `derived`'s word shingles found in `source` (0 for an empty text)."""
    sd = set(shingles(derived, width))
    return len(sd & set(shingles(source, width))) / len(sd) if sd else 0.0


def minhash(text: str, settings: Settings) -> np.ndarray:
    """A MinHash signature (uint32) of the text's word shingles (rensa, Rust)."""
    from rensa import RMinHash

    m = RMinHash(num_perm=settings.minhash_perms, seed=42)
    m.update(shingles(text, settings.shingle_words))
    return np.asarray(m.digest(), dtype=np.uint32)


def lsh_buckets(signature: np.ndarray, bands: int) -> list[int]:
    """One bucket per band: articles sharing any bucket are candidate copies."""
    rows = len(signature) // bands
    out = []
    for band in range(bands):
        chunk = signature[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=7, person=band.to_bytes(2, "little")).digest()
        out.append(int.from_bytes(digest, "little"))  # 56 bits: fits SQLite's signed int64
    return out


def minhash_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b)) if len(a) and len(a) == len(b) else 0.0


def fact_keys(sentences: Iterable[str]) -> frozenset[str]:
    """Distinctive facts as normalised keys: n:4120, y:2021, name:harbor institute, q:<quote>.

    Read sentence by sentence so a capitalised sentence start is not taken
    for a name. Small bare numbers (under 10) and calendar words say little.
    """
    keys: set[str] = set()
    for text in sentences:
        keys.update(f"y:{y.value}" for y in facts.years_named(text))
        for q in facts.quantities(text):
            if q.written == "digits" and (q.amount >= 10 or "." in q.text):
                keys.add(f"n:{number_key(q.amount)}")
        for name in facts.names(text):
            words = [w for w in name.lower().split() if w not in STOPWORDS and w not in NUMBER_WORDS]
            if len(words) == 1 and words[0] in CALENDAR_WORDS:
                continue
            if words and len(" ".join(words)) > 2:
                keys.add("name:" + " ".join(words))
        for quote in facts.quotes(text, single_marks=False):
            words = _TOKEN.findall(quote.text.lower())
            if len(words) >= 4:
                keys.add("q:" + " ".join(words[:8]))
    return frozenset(keys)


def document_facts(doc: SegmentedDocument) -> frozenset[str]:
    return fact_keys(s.clean for s in doc.sentences)


_CONTENT_WORD = re.compile(r"[a-z][a-z'\-]{3,}")


def word_keys(text: str) -> frozenset[str]:
    """Content words as w:<word>. A summary that shares few facts with its article still
    shares its rarer words; the library weighs each key by how few articles hold it."""
    return frozenset(f"w:{w}" for w in _CONTENT_WORD.findall(text.lower()) if w not in STOPWORDS)


def fingerprint(doc: SegmentedDocument) -> frozenset[str]:
    return document_facts(doc) | word_keys(body_text(doc))


def article_signals(doc: SegmentedDocument, settings: Settings) -> ArticleSignals:
    body = body_text(doc)
    signature = minhash(body, settings)
    return ArticleSignals(
        minhash=signature,
        buckets=tuple(lsh_buckets(signature, settings.lsh_bands)),
        keys=fingerprint(doc),
    )


def rank_correlation(pairs: Sequence[tuple[int, int]]) -> float:
    """Spearman correlation of (derived position, source position): 1 when a
    retelling follows its source's order, near 0 when it reorders freely."""
    if len(pairs) < 2:
        return 1.0  # one aligned sentence: no evidence of restructuring
    if len(pairs) == 2:
        return 1.0 if (pairs[0][0] - pairs[1][0]) * (pairs[0][1] - pairs[1][1]) >= 0 else -1.0
    x = np.argsort(np.argsort([p[0] for p in pairs], kind="stable"), kind="stable").astype(float)
    y = np.argsort(np.argsort([p[1] for p in pairs], kind="stable"), kind="stable").astype(float)
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])
