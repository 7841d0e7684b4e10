"""Is an aligned derived sentence supported by its source window? One small interface, two verifiers.

A `Claim` is one aligned derived sentence with its source window (the aligned source sentences and
their neighbours, as SummaC and MiniCheck chunk) and the features the claim check measured on it.
A Verifier returns, per claim, the probability that the window does *not* support it.

- `TokenVerifier`: a small network over MiniLM's token states of the sentence and its window, trained
  by `scripts/train_token_verifier.py` (seeded; dev splits and synthetic corruptions of their
  articles), run from an ONNX file by onnxruntime. A rule firing also makes the claim
  unsupported: the verifier adds what the rules miss.
- `LogisticVerifier`: a logistic model over alignment and fact features, fitted by
  `scripts/train_verifier.py` (seeded, dev splits only) and shipped as `verifier.json` beside this
  file with its threshold and the figures it reached.
- `RulesOnlyVerifier`: no model; a claim is unsupported exactly when a rule fired (the checker
  before the verifier, and the fake the unit tests use).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from copydesk.align.minilm import MiniLMEncoder, TokenStates
from copydesk.errors import ModelError
from copydesk.facts import STOPWORDS, WORD, content_stems
from copydesk.inference import length_batches, onnx_session
from copydesk.models import Alignment, Finding, Sentence
from copydesk.settings import MINILM, RULES_ONLY, TOKEN_VERIFIER, VERIFIERS

TOKEN_DIM = MiniLMEncoder.dim  # the width of the token states the token verifier reads

# Which finding kinds each rule feature counts.
RULE_GROUPS = {
    "rule_number_or_time": ("number_changed", "time_scope_changed"),
    "rule_entity": ("entity_changed", "entity_generalized"),
    "rule_quote_or_speaker": ("quote_altered", "quote_fabricated", "attribution_shifted", "attribution_dropped"),
    "rule_qualifier": ("quantifier_changed", "hedge_changed", "comparison_changed"),
    "rule_negation": ("negation_flipped",),
}
FEATURES = (
    "similarity", "score", "novel_in_window", "novel_in_source", "novel_names", "novel_numbers",
    "bigrams_in_window", "log_words", "merged_sources",
    # facts the source has elsewhere but not in this window: a figure or name moved from another part
    # of the story (BUMP's "intrinsic" errors)
    "words_from_elsewhere", "names_outside_window", "numbers_outside_window",
    *RULE_GROUPS,
)

def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]
    return set(zip(words, words[1:]))


@dataclass(frozen=True)
class Claim:
    derived: Sentence
    window: tuple[Sentence, ...]  # aligned source sentences, then their neighbours
    features: tuple[float, ...]  # in FEATURES order


@dataclass(frozen=True)
class FactCounts:
    """Names and figures of a derived sentence missing from the whole source / from its window."""

    novel_names: int
    novel_numbers: int
    names_outside_window: int
    numbers_outside_window: int


def claim_features(
    derived: Sentence,
    alignment: Alignment,
    window: Sequence[Sentence],
    source_stems: set[str],
    facts: FactCounts,
    findings: Sequence[Finding],
) -> tuple[float, ...]:
    stems = content_stems(derived.clean)
    window_stems = {s for w in window for s in content_stems(w.clean)}
    bigrams = _bigrams(derived.clean)
    window_bigrams = set().union(*(_bigrams(w.clean) for w in window)) if window else set()
    kinds = {f.kind for f in findings}
    n = max(len(stems), 1)
    return (
        alignment.similarity,
        alignment.score,
        sum(s not in window_stems for s in stems) / n,
        sum(s not in source_stems for s in stems) / n,
        float(min(facts.novel_names, 3)),
        float(min(facts.novel_numbers, 3)),
        len(bigrams & window_bigrams) / max(len(bigrams), 1),
        math.log1p(len(derived.clean.split())),
        float(len(alignment.source)),
        sum(s not in window_stems and s in source_stems for s in stems) / n,
        float(min(facts.names_outside_window, 3)),
        float(min(facts.numbers_outside_window, 3)),
        *(float(bool(kinds & set(group))) for group in RULE_GROUPS.values()),
    )


class Verifier(Protocol):
    """Scores claims; one that can also say where it sees the change offers `locate(claim) -> TokenBlame | None`
    (TokenVerifier), which `meaning_changed` findings use for their spans."""

    name: str
    threshold: float

    def unsupported(self, claims: Sequence[Claim]) -> list[float]: ...


def rule_fired(claim: Claim) -> bool:
    return any(claim.features[FEATURES.index(name)] for name in RULE_GROUPS)


class RulesOnlyVerifier:
    """1.0 when a rule fired on the claim, else 0.0."""

    name = RULES_ONLY
    threshold = 0.5

    def unsupported(self, claims: Sequence[Claim]) -> list[float]:
        return [float(rule_fired(c)) for c in claims]


class TokenEncoder(Protocol):
    """What the token verifier reads: MiniLM's token states of each text (align.embedder.MiniLMEmbedder)."""

    def token_states(self, texts: list[str]) -> list[TokenStates]: ...


def token_batch(pairs: Sequence[tuple[TokenStates, Sequence[TokenStates]]]) -> dict[str, np.ndarray]:
    """The token head's inputs for (claim, window sentences) pairs: token states padded per batch, their
    token ids and masks. One recipe for training (scripts/train_token_verifier.py) and for checking."""
    windows = [[s for s in window if len(s.ids)] for _, window in pairs]
    claim_len = max([1, *(len(c.ids) for c, _ in pairs)])
    window_len = max([1, *(sum(len(s.ids) for s in w) for w in windows)])
    out = {
        "claim": np.zeros((len(pairs), claim_len, TOKEN_DIM), np.float32),
        "claim_ids": np.zeros((len(pairs), claim_len), np.int64),
        "claim_mask": np.zeros((len(pairs), claim_len), np.float32),
        "window": np.zeros((len(pairs), window_len, TOKEN_DIM), np.float32),
        "window_ids": np.full((len(pairs), window_len), -1, np.int64),
        "window_mask": np.zeros((len(pairs), window_len), np.float32),
    }
    for row, ((claim, _), window) in enumerate(zip(pairs, windows)):
        n = len(claim.ids)
        out["claim"][row, :n] = claim.states
        out["claim_ids"][row, :n] = claim.ids
        out["claim_mask"][row, :n] = 1.0
        if window:
            states = np.concatenate([s.states for s in window])
            out["window"][row, : len(states)] = states
            out["window_ids"][row, : len(states)] = np.concatenate([s.ids for s in window])
            out["window_mask"][row, : len(states)] = 1.0
    return out


class TokenVerifier:
    """P(window does not support sentence) from a small network over MiniLM's token states; 1.0 where a
    rule fired.

    Each word piece of the derived sentence is compared with the window's word pieces (both as MiniLM's
    last layer reads them in their own sentences): the closest one, the cosine, whether the piece occurs
    there at all. A two-layer network scores each piece, and the sentence scores as its worst pieces
    (log-sum-exp). Trained by scripts/train_token_verifier.py (seeded; dev splits and synthetic
    corruptions of their articles), run from a small ONNX file. It reuses the token states of the
    alignment's own forward pass, so it costs almost nothing on top of embedding."""

    name = TOKEN_VERIFIER
    batch_size = 32

    def __init__(self, model: dict[str, Any], onnx_path: Path, encoder: TokenEncoder, threads: int = 0) -> None:
        if not onnx_path.is_file():
            raise ModelError(f"{onnx_path}: the token verifier is missing; run scripts/train_token_verifier.py")
        self.threshold = float(model["threshold"])
        self.encoder = encoder
        self.session = onnx_session(onnx_path, threads)

    def scores(self, pairs: Sequence[tuple[str, Sequence[str]]]) -> list[float]:
        """P(not supported) for each (sentence, window sentences) pair."""
        texts = list(dict.fromkeys([t for claim, window in pairs for t in (claim, *window)]))
        states = dict(zip(texts, self.encoder.token_states(texts)))
        out = [0.0] * len(pairs)
        for chunk in length_batches([len(states[c].ids) + sum(len(states[w].ids) for w in window) for c, window in pairs], self.batch_size):
            inputs = token_batch([(states[pairs[i][0]], [states[w] for w in pairs[i][1]]) for i in chunk])
            logits = self.session.run(["logit"], inputs)[0]
            for row, i in enumerate(chunk):
                out[i] = float(1.0 / (1.0 + np.exp(-logits[row])))
        return out

    def unsupported(self, claims: Sequence[Claim]) -> list[float]:
        scores = self.scores([(c.derived.clean, [w.clean for w in c.window]) for c in claims])
        return [1.0 if rule_fired(c) else score for c, score in zip(claims, scores)]

    def locate(self, claim: Claim) -> TokenBlame | None:
        """The derived word the network finds least supported, and the window word closest to it."""
        texts = [claim.derived.clean, *(w.clean for w in claim.window)]
        states = self.encoder.token_states(texts)
        window = [(sentence, s) for sentence, s in zip(claim.window, states[1:]) if len(s.ids)]
        if not len(states[0].ids) or not window:
            return None
        token_logits, closest = self.session.run(["token_logits", "closest"], token_batch([(states[0], [s for _, s in window])]))
        worst = int(np.argmax(token_logits[0, : len(states[0].ids)]))
        at = int(closest[0, worst])
        for sentence, s in window:
            if at < len(s.ids):
                return TokenBlame(_word(claim.derived.clean, states[0].offsets[worst]), sentence, _word(sentence.clean, s.offsets[at]))
            at -= len(s.ids)
        return None


@dataclass(frozen=True)
class TokenBlame:
    """Where the token verifier sees the change: a span of the derived sentence's clean text, and the
    window sentence (and span of its clean text) that reads closest to it."""

    derived: tuple[int, int]
    source_sentence: Sentence
    source: tuple[int, int]


def _word(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A word piece's span widened to its whole word."""
    start, end = span
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


class LogisticVerifier:
    """A logistic model over FEATURES: standardised, weighted, squashed. One model per embedder,
    since the similarity features differ between embedders."""

    def __init__(self, model: dict[str, Any]) -> None:
        if tuple(model["features"]) != FEATURES:
            raise ValueError("verifier.json was fitted on other features; rerun scripts/train_verifier.py")
        self.name = model["name"]
        self.threshold = float(model["threshold"])
        self._mean = model["mean"]
        self._scale = model["scale"]
        self._weights = model["weights"]
        self._bias = float(model["bias"])

    def unsupported(self, claims: Sequence[Claim]) -> list[float]:
        out = []
        for claim in claims:
            z = self._bias + sum(w * (x - m) / s for w, x, m, s in zip(self._weights, claim.features, self._mean, self._scale))
            out.append(1.0 / (1.0 + math.exp(-z)))
        return out


@lru_cache(maxsize=1)
def shipped_model() -> dict[str, Any]:
    path = resources.files("copydesk").joinpath("verifier.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


TOKEN_HEAD = Path(__file__).with_name("token-verifier.onnx")


def make_verifier(name: str, embedder: Any) -> Verifier:
    """The verifier `name` names, fitted for `embedder` (an Embedder); the rules alone where no model
    was fitted for it (the static embedder has no token states; a fake embedder in tests)."""
    if name not in VERIFIERS:
        raise ValueError(f"unknown verifier {name!r}; choose from {', '.join(VERIFIERS)}")
    if name == TOKEN_VERIFIER:
        model = shipped_model().get("token_verifier", {})
        if embedder.name == model.get("embedder", MINILM) and hasattr(embedder, "token_states") and model:
            return TokenVerifier(model, TOKEN_HEAD, embedder)
        return RulesOnlyVerifier()
    model = shipped_model().get("embedders", {}).get(embedder.name) if name != RULES_ONLY else None
    return LogisticVerifier(model) if model else RulesOnlyVerifier()
