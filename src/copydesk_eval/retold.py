"""The claim check on realistic AI-style retellings of real articles (`../shared/data/retold/`).

Scored as that folder's README says: each planted drift is caught when the derived sentence
holding its `derived_quote` is called distorted, and caught with the right kind when one of
that sentence's findings has the planted kind (a fabricated quotation in a sentence called
unsupported counts as caught, wrong kind). Faithful credited rewrites change no fact, so every
sentence of theirs called distorted is a false alarm. Additions should come out unsupported;
chrome, disclaimer and "Related" lines should be set aside as boilerplate.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copydesk.align.embedder import Embedder
from copydesk.ingest import document_from_text
from copydesk.models import CompareResult, Document, Sentence
from copydesk.pipeline import compare
from copydesk.settings import Settings
from copydesk_eval.claims import judged_unfaithful
from copydesk_eval.datasets import LabelledSummary, require


@dataclass(frozen=True)
class RetoldPair:
    id: str
    kind: str  # drifted | faithful | independent
    source_id: str  # the FRANK article told
    source_title: str
    source_text: str
    derived_title: str
    derived_text: str
    credited: bool
    distortions: tuple[dict[str, Any], ...]
    additions: tuple[str, ...]
    boilerplate: tuple[str, ...]
    faithful_sentences: tuple[str, ...]
    faithful_source: tuple[str, ...]
    source_site: str | None = None  # the outlet, as a crawled page's metadata gives it
    derived_site: str | None = None


def load(data_dir: Path, name: str = "pairs.jsonl") -> list[RetoldPair]:
    pairs = []
    for line in require(data_dir / "retold" / name).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        pairs.append(RetoldPair(
            r["id"], r["kind"], r["source_id"], r["source"]["title"], r["source"]["text"], r["derived"]["title"], r["derived"]["text"],
            r["credited"], tuple(r["distortions"]), tuple(r["additions"]), tuple(r["boilerplate"]),
            tuple(r["faithful_sentences"]), tuple(r["faithful_source"]), r["source"].get("site"), r["derived"].get("site"),
        ))
    return pairs


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def holding(sentences: Sequence[Sentence], span: tuple[int, int]) -> Sentence | None:
    """The system's sentence that overlaps `span` most (the README's matching rule)."""
    best = max(sentences, key=lambda s: _overlap((s.start, s.end), span), default=None)
    return best if best is not None and _overlap((best.start, best.end), span) > 0 else None


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def score_pair(pair: RetoldPair, result: CompareResult) -> dict[str, Any]:
    """Counts for one pair; offsets in `result` refer to pair.derived_text and pair.source_text."""
    der = result.derived.sentences
    verdicts = {v.derived: v for v in result.verdicts}
    counts: Counter[str] = Counter()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    planted: dict[int, str] = {}  # system sentence -> the kind planted in it
    for d in pair.distortions:
        sentence = holding(der, _span(pair.derived_text, d["derived_quote"]))
        if sentence is not None:
            planted[sentence.index] = d["kind"]
        verdict = verdicts.get(sentence.index) if sentence else None
        caught = verdict is not None and (
            verdict.verdict == "distorted" or (d["kind"] == "quote_fabricated" and verdict.verdict == "unsupported")
        )
        right = caught and any(f.kind == d["kind"] for f in verdict.findings)
        per_kind[d["kind"]].update(planted=1, caught=int(caught), right_kind=int(right))
        counts.update(planted=1, caught=int(caught), right_kind=int(right))
    for addition in pair.additions:
        sentence = holding(der, _span(pair.derived_text, addition))
        counts["additions"] += 1
        counts["additions_unsupported"] += int(sentence is not None and verdicts[sentence.index].verdict == "unsupported")
    aside = [(b.start, b.end) for b in result.derived.boilerplate]
    for line in pair.boilerplate:
        span = _span(pair.derived_text, line)
        counts["boilerplate"] += 1
        counts["boilerplate_set_aside"] += int(not any(_overlap((s.start, s.end), span) for s in der)
                                               and any(_overlap(a, span) for a in aside))
    aligned = {i: a for a in result.alignments for i in a.derived}
    src = result.source.sentences
    for sentence_text, source_text in zip(pair.faithful_sentences, pair.faithful_source):
        sentence = holding(der, _span(pair.derived_text, sentence_text))
        target = _span(pair.source_text, source_text)
        alignment = aligned.get(sentence.index) if sentence else None
        right = alignment is not None and any(_overlap((src[j].start, src[j].end), target) for j in alignment.source)
        counts["faithful_checks"] += 1
        counts["faithful_aligned"] += int(right)
        counts["faithful_supported_aligned"] += int(right and verdicts[sentence.index].verdict == "supported")
    # Every finding is right when its sentence carries a planted drift of its kind, and false
    # otherwise (in a faithful rewrite, or on a sentence of a drifted one that carries none).
    for v in result.verdicts:
        for kind in {f.kind for f in v.findings}:
            per_kind[kind]["findings"] += 1
            per_kind[kind]["findings_right"] += int(planted.get(v.derived) == kind)
    counts["sentences"] = len(der)
    counts["distorted"] = sum(v.verdict == "distorted" for v in result.verdicts)
    counts["unsupported"] = sum(v.verdict == "unsupported" for v in result.verdicts)
    counts["same_story"] = int(result.summary.same_story)
    return {"counts": counts, "per_kind": per_kind}


def share(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def evaluate_retold(pairs: Sequence[RetoldPair], embedder: Embedder, settings: Settings, examples: int = 6) -> dict[str, Any]:
    drifted, faithful = Counter(), Counter()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    false_alarms: list[dict[str, str]] = []
    for pair in pairs:
        source = document_from_text(pair.source_text, title=pair.source_title, settings=settings)
        derived = document_from_text(pair.derived_text, title=pair.derived_title, settings=settings)
        result = compare(source, derived, settings=settings, embedder=embedder)
        scored = score_pair(pair, result)
        (drifted if pair.kind == "drifted" else faithful).update(scored["counts"])
        for kind, c in scored["per_kind"].items():
            per_kind[kind].update(c)
        if pair.kind == "faithful":
            for v in result.verdicts:
                if v.verdict == "distorted" and len(false_alarms) < examples:
                    f = v.findings[0]
                    false_alarms.append({"pair": pair.id, "sentence": result.derived.sentences[v.derived].text[:200],
                                         "why": f"{f.kind}: {f.explanation}"[:200]})
    return {
        "pairs": len(pairs),
        "drifts": drifted["planted"],
        "drifts_caught": share(drifted["caught"], drifted["planted"]),
        "drifts_right_kind": share(drifted["right_kind"], drifted["planted"]),
        "per_kind": {k: {"planted": c["planted"], "caught": c["caught"], "right_kind": c["right_kind"],
                         "findings": c["findings"], "findings_right": c["findings_right"]}
                     for k, c in sorted(per_kind.items())},
        "faithful_sentences": faithful["sentences"],
        "faithful_distorted_share": share(faithful["distorted"], faithful["sentences"]),
        "faithful_unsupported_share": share(faithful["unsupported"], faithful["sentences"]),
        "additions": drifted["additions"],
        "additions_unsupported": share(drifted["additions_unsupported"], drifted["additions"]),
        "boilerplate_lines": drifted["boilerplate"],
        "boilerplate_set_aside": share(drifted["boilerplate_set_aside"], drifted["boilerplate"]),
        "alignment_checks": drifted["faithful_checks"] + faithful["faithful_checks"],
        "aligned_right": share(drifted["faithful_aligned"] + faithful["faithful_aligned"],
                               drifted["faithful_checks"] + faithful["faithful_checks"]),
        "supported_and_aligned_right": share(drifted["faithful_supported_aligned"] + faithful["faithful_supported_aligned"],
                                             drifted["faithful_checks"] + faithful["faithful_checks"]),
        "same_story": drifted["same_story"] + faithful["same_story"],
        "false_alarm_examples": false_alarms,
    }


def faithful_findings(items: Sequence[LabelledSummary], embedder: Embedder, settings: Settings) -> dict[str, Any]:
    """Findings on summaries people judged faithful: every one is a false alarm. Per kind; the share of
    sentences called distorted; of summaries with a finding; and of summaries judged unfaithful as the
    claim check's balanced accuracy judges them (a finding or an unsupported factual sentence)."""
    articles: dict[str, Document] = {}
    kinds: Counter[str] = Counter()
    sentences = distorted = with_finding = flagged = 0
    for item in items:
        if item.article_id not in articles:
            articles[item.article_id] = document_from_text(item.article, settings=settings)
        result = compare(articles[item.article_id], item.summary, settings=settings, embedder=embedder)
        sentences += len(result.verdicts)
        distorted += sum(v.verdict == "distorted" for v in result.verdicts)
        with_finding += any(v.verdict == "distorted" for v in result.verdicts)
        flagged += judged_unfaithful(result)
        for v in result.verdicts:
            kinds.update({f.kind for f in v.findings})
    return {"summaries": len(items), "sentences": sentences, "distorted_share": share(distorted, sentences),
            "summaries_with_finding": share(with_finding, len(items)), "summaries_flagged": share(flagged, len(items)),
            "findings": dict(kinds.most_common())}


def kind_precision(retold: dict[str, Any], faithful: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per kind: findings on sentences that carry a planted drift of that kind (right), against every
    other finding of that kind in the retold set and every one on real faithful summaries (false)."""
    out = {}
    for kind, c in retold["per_kind"].items():
        false_elsewhere = sum(f["findings"].get(kind, 0) for f in faithful)
        total = c["findings"] + false_elsewhere
        out[kind] = {"right": c["findings_right"], "false_retold": c["findings"] - c["findings_right"],
                     "false_faithful_corpora": false_elsewhere,
                     "precision": round(c["findings_right"] / total, 4) if total else None}
    return out
