"""Is an aligned derived sentence supported by its source window? One small interface, two verifiers.

A `Claim` is one aligned derived sentence with its source window (the aligned source sentences and
their neighbours, as SummaC and MiniCheck chunk) and the features the claim check measured on it.
A Verifier returns, per claim, the probability that the window does *not* support it.

- `CrossEncoderVerifier`: all-MiniLM-L6-v2 fine-tuned as a cross-encoder on (window, sentence) pairs
  by `scripts/train_cross_encoder.py` (seeded; dev splits and synthetic corruptions of their
  articles), run from an int8 ONNX file by onnxruntime. A rule firing also makes the claim
  unsupported: the verifier adds what the rules miss. Not selectable yet: no trained weights ship
  (settings.CROSS_ENCODER says why).
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

from copydesk.errors import ModelError
from copydesk.facts import STOPWORDS, WORD, content_stems
from copydesk.inference import length_batches, onnx_session, padded
from copydesk.models import Alignment, Finding, Sentence
from copydesk.settings import CROSS_ENCODER, RULES_ONLY, VERIFIERS

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


class CrossEncoderVerifier:
    """P(window does not support sentence) from the fine-tuned cross-encoder; 1.0 where a rule fired.

    Pairs are sorted by length and padded per batch, so short windows do not pay for long ones."""

    name = CROSS_ENCODER
    batch_size = 16

    def __init__(self, model: dict[str, Any], onnx_path: Path, threads: int = 0) -> None:
        from tokenizers import Tokenizer

        from copydesk.align.minilm import minilm_model_dir

        if not onnx_path.is_file():
            raise ModelError(f"{onnx_path}: the cross-encoder verifier is missing; run scripts/train_cross_encoder.py")
        self.threshold = float(model["threshold"])
        self.max_tokens = int(model["max_tokens"])  # the length it was trained on
        self.tokenizer = Tokenizer.from_file(str(minilm_model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_tokens, strategy="longest_first")
        self.tokenizer.no_padding()
        self.session = onnx_session(onnx_path, threads)

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(not supported) for each (window text, sentence) pair."""
        import numpy as np

        encoded = self.tokenizer.encode_batch(list(pairs))
        out = [0.0] * len(encoded)
        for chunk in length_batches([len(e.ids) for e in encoded], self.batch_size):
            ids, mask = padded([encoded[i].ids for i in chunk])
            types, _ = padded([encoded[i].type_ids for i in chunk])
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
            for row, i in enumerate(chunk):
                out[i] = float(1.0 / (1.0 + np.exp(-logits[row, 0])))
        return out

    def unsupported(self, claims: Sequence[Claim]) -> list[float]:
        scores = self.scores([(window_text(c.window), c.derived.clean) for c in claims])
        return [1.0 if rule_fired(c) else score for c, score in zip(claims, scores)]


def window_text(window: Sequence[Sentence]) -> str:
    """The window as the cross-encoder reads it: its sentences in source order."""
    return " ".join(s.clean for s in sorted(window, key=lambda s: s.index))


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


def make_verifier(name: str, embedder: str) -> Verifier:
    """The verifier `name` names, fitted for `embedder`; the rules alone where no model was fitted
    for that embedder (a fake embedder in tests)."""
    if name not in VERIFIERS:
        raise ValueError(f"unknown verifier {name!r}; choose from {', '.join(VERIFIERS)}")
    model = shipped_model().get("embedders", {}).get(embedder) if name != RULES_ONLY else None
    return LogisticVerifier(model) if model else RulesOnlyVerifier()
