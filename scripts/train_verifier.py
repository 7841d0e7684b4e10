"""Fit the claim check's verifier (copydesk.check.verifier.LogisticVerifier), one model per embedder.

Data: dev splits only, all under licences that allow shipping the weights (MIT):
- BUMP, dev half of the articles (copydesk_eval.alignment.is_dev_article): each reference
  summary's sentences are supported; each edited summary's sentence that differs from its reference
  is not (BUMP edits exactly one fact);
- FRANK's valid split (CNN/DM and XSum): the sentences of summaries every annotator judged fully
  factual are supported; one-sentence summaries judged unfaithful are not (for longer unfaithful
  summaries FRANK does not say which sentence is wrong, so they are left out).
Each summary is compared with its article with the rules-only verifier, which records every aligned
sentence's features (check.verifier.FEATURES). A logistic regression (scikit-learn, lbfgs, balanced
classes, deterministic) is fit on them, and the threshold is the one that maximises the mean of the
summary-level balanced accuracies of the three dev sets. Nothing from a test half, SummEdits,
XSumFaith or the retold set is used.

    python scripts/train_verifier.py [--data ../shared/data]

Writes src/copydesk/verifier.json (weights, threshold and the dev figures reached).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from copydesk.align.embedder import make_embedder
from copydesk.check.verifier import FEATURES, Claim, RulesOnlyVerifier
from copydesk.ingest import document_from_text
from copydesk.pipeline import compare
from copydesk.segment import segment
from copydesk.settings import FAST, LOGISTIC, MINILM, RULES_ONLY, STATIC, Settings
from copydesk_eval import datasets
from copydesk_eval.alignment import is_dev_article
from copydesk_eval.claims import balanced_accuracy

OUT = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "verifier.json"
SEED = 0


class RecordingVerifier(RulesOnlyVerifier):
    """The rules' decisions, recording each claim's features on the way."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []

    def unsupported(self, claims: Sequence[Claim]) -> list[float]:
        self.claims = list(claims)
        return super().unsupported(claims)


def dev_summaries(data: Path) -> dict[str, list[tuple[datasets.LabelledSummary, set[str] | None]]]:
    """Per dev set: (summary, the sentences known to be wrong, or None when all are right)."""
    bump: list[tuple[datasets.LabelledSummary, set[str] | None]] = []
    references: dict[str, str] = {}
    for item in datasets.bump_pairs(data):
        if not is_dev_article(item.article_id):
            continue
        if not item.unfaithful:
            references[item.article_id] = item.summary
            bump.append((item, None))
    for item in datasets.bump_pairs(data):
        if is_dev_article(item.article_id) and item.unfaithful:
            reference = {s.clean for s in segment(document_from_text(references[item.article_id])).sentences}
            edited = {s.clean for s in segment(document_from_text(item.summary)).sentences}
            bump.append((item, edited - reference))
    frank = [x for x in datasets.frank(data) if x.split.endswith("/valid")]
    out = {"bump_dev": bump}
    for part in ("cnndm", "bbc"):
        items = [x for x in frank if x.split.startswith(part)]
        out[f"frank_{part}_valid"] = [(x, None if not x.unfaithful else {"*"}) for x in items]
    return out


def labelled_claims(sets, settings: Settings, embedder):
    """Per dev summary: (set name, its index in the set, the item, [(claim, label)], whether it has an
    unsupported factual sentence). Label 1 = the window does not support the claim, 0 = it does, None =
    unknown (FRANK does not say which sentence of a longer unfaithful summary is wrong)."""
    articles: dict[str, object] = {}
    for name, items in sets.items():
        for n, (item, wrong) in enumerate(items):
            if item.article_id not in articles:
                articles[item.article_id] = document_from_text(item.article, settings=settings)
            recorder = RecordingVerifier()
            result = compare(articles[item.article_id], item.summary, settings=settings, embedder=embedder, verifier=recorder)
            single = len(result.derived.sentences) == 1
            labelled = []
            for claim in recorder.claims:
                if wrong is None:
                    label = 0
                elif "*" in wrong:
                    label = 1 if single else None
                else:
                    label = 1 if claim.derived.clean in wrong else None
                labelled.append((claim, label))
            factual = any(v.verdict == "unsupported" and v.addition == "factual" for v in result.verdicts)
            yield name, n, item, labelled, factual


def collect(sets, settings: Settings):
    """Sentence rows (features, label or None) and per summary: (row indexes, has an unsupported factual
    sentence, gold unfaithful)."""
    rows: list[tuple[tuple[float, ...], int | None]] = []
    summaries: dict[str, list[tuple[list[int], bool, bool]]] = {name: [] for name in sets}
    for name, _, item, labelled, factual in labelled_claims(sets, settings, make_embedder(settings)):
        indexes = list(range(len(rows), len(rows) + len(labelled)))
        rows += [(claim.features, label) for claim, label in labelled]
        summaries[name].append((indexes, factual, item.unfaithful))
    return rows, summaries


def fit(rows, summaries) -> dict:
    x = np.array([f for f, label in rows if label is not None], dtype=float)
    y = np.array([label for _, label in rows if label is not None])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=SEED)
    model.fit((x - mean) / scale, y)
    everything = np.array([f for f, _ in rows], dtype=float)
    p = model.predict_proba((everything - mean) / scale)[:, 1]

    def baccs(threshold: float) -> dict[str, float]:
        out = {}
        for name, items in summaries.items():
            predicted = [factual or any(p[i] >= threshold for i in indexes) for indexes, factual, _ in items]
            out[name] = balanced_accuracy(predicted, [gold for *_, gold in items])
        return out

    grid = [round(t, 3) for t in np.arange(0.05, 0.96, 0.01)]
    threshold = max(grid, key=lambda t: (np.mean(list(baccs(t).values())), -abs(t - 0.5)))
    labelled = np.array([label is not None for _, label in rows])
    return {
        "features": list(FEATURES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "weights": model.coef_[0].round(6).tolist(),
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "dev": {
            "sentences": int(labelled.sum()),
            "unsupported_sentences": int(y.sum()),
            "sentence_auc": round(float(roc_auc_score(y, p[labelled])), 4),
            "summary_balanced_accuracy": {k: round(v, 4) for k, v in baccs(threshold).items()},
            "summaries": {k: len(v) for k, v in summaries.items()},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--embedders", nargs="*", default=[MINILM, STATIC])
    args = parser.parse_args()
    sets = dev_summaries(args.data)
    record = json.loads(OUT.read_text(encoding="utf-8")) if OUT.is_file() else {}
    record.update({"name": LOGISTIC, "script": "scripts/train_verifier.py", "seed": SEED,
                   "data": "BUMP dev half (reference vs edited sentences); FRANK valid split (fully factual summaries; "
                           "one-sentence unfaithful ones)"})
    for embedder in args.embedders:
        overrides = {**FAST} if embedder == STATIC else {"embedder": MINILM}
        settings = Settings.load(**overrides, verifier=RULES_ONLY)
        rows, summaries = collect(sets, settings)
        model = {"name": LOGISTIC, **fit(rows, summaries), "entity_tagger": settings.entity_tagger}
        record.setdefault("embedders", {})[embedder] = model
        print(embedder, json.dumps(model["dev"]), "threshold", model["threshold"])
    OUT.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
