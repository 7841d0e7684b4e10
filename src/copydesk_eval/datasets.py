"""Loaders for the shared evaluation datasets, one per format."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from copydesk.errors import CopydeskError


class DatasetMissing(CopydeskError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: dataset not found (see ../shared/data/README.md)")


def require(path: Path) -> Path:
    if not path.exists():
        raise DatasetMissing(path)
    return path


@dataclass(frozen=True)
class SentencePair:
    id: str
    a: str
    b: str
    label: int  # 1 = paraphrase / equivalent


def mrpc(data_dir: Path, split: str) -> list[SentencePair]:
    """MRPC pairs; split is 'train' or 'test'."""
    path = require(data_dir / "mrpc" / f"msr_paraphrase_{split}.txt")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [SentencePair(f"{r[1]}-{r[2]}", r[3], r[4], int(r[0])) for r in rows[1:] if len(r) == 5]


@dataclass(frozen=True)
class SummarizedArticle:
    id: str
    article: str
    summary: str


def bump_references(data_dir: Path) -> list[SummarizedArticle]:
    """BUMP's articles with their human reference summaries (faithful retellings), one per article."""
    seen: dict[str, SummarizedArticle] = {}
    for task in ("task1_dataset.json", "task2_dataset.json"):
        for record in json.loads(require(data_dir / "bump" / task).read_text(encoding="utf-8")):
            key = str(record["article_id"])
            if key not in seen:
                seen[key] = SummarizedArticle(key, record["article"], record["reference_summary"])
    return [seen[k] for k in sorted(seen)]


@dataclass(frozen=True)
class LabelledSummary:
    """A summary (derived text) of an article (source), labelled faithful or not by people."""

    article_id: str
    article: str
    summary: str
    unfaithful: bool
    error_type: str | None = None
    split: str | None = None
    # Where labelled (XSumFaith): each annotator's marked character spans in `summary`.
    annotator_spans: tuple[tuple[tuple[int, int], ...], ...] | None = None


def bump_pairs(data_dir: Path) -> list[LabelledSummary]:
    """BUMP: each article's reference summary (faithful, once) and every edited summary (one error each)."""
    out: list[LabelledSummary] = []
    seen: set[str] = set()
    for task in ("task1_dataset.json", "task2_dataset.json"):
        for r in json.loads(require(data_dir / "bump" / task).read_text(encoding="utf-8")):
            key = str(r["article_id"])
            if key not in seen:
                seen.add(key)
                out.append(LabelledSummary(key, r["article"], r["reference_summary"], False))
            error = r.get("corrected_error_type") or r["error_type"]
            out.append(LabelledSummary(key, r["article"], r["edited_summary"], True, error.replace(" Error", "")))
    return out


def summedits_news(data_dir: Path) -> list[LabelledSummary]:
    records = json.loads(require(data_dir / "summedits_news" / "summedits_news.json").read_text(encoding="utf-8"))
    return [
        LabelledSummary(r["id"].rsplit("_", 1)[0], r["doc"], r["summary"], str(r["label"]) == "0", None, r["split"])
        for r in records
    ]


_FRANK_TYPES = ("RelE", "EntE", "CircE", "CorefE", "LinkE", "OutE", "GramE")


def frank(data_dir: Path) -> list[LabelledSummary]:
    """FRANK summaries; unfaithful when any sentence has an error. error_type = the commonest error category."""
    labels = {
        (a["hash"], a["model_name"]): a
        for a in json.loads(require(data_dir / "frank" / "human_annotations.json").read_text(encoding="utf-8"))
    }
    out = []
    with require(data_dir / "frank" / "benchmark.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            a = labels[(r["hash"], r["model_name"])]
            unfaithful = float(a["Factuality"]) < 1.0
            errors = {t: 1 - float(a[t]) for t in _FRANK_TYPES}
            error = max(errors, key=errors.get) if unfaithful and max(errors.values()) > 0 else None
            summary = r.get("summary_cased") or " ".join(r["summary_lines"])
            out.append(LabelledSummary(r["hash"], r["article"], summary, unfaithful, error, f"{r['dataset']}/{r['split']}"))
    return out


def xsumfaith(data_dir: Path) -> list[LabelledSummary]:
    """XSumFaith summaries of the articles whose text is available; unfaithful when most workers marked a span."""
    articles = {}
    with require(data_dir / "xsumfaith" / "xsum_articles_from_frank.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            articles[str(r["bbcid"])] = "\n".join(r["article_lines"]) if r.get("article_lines") else r["article"]
    marks: dict[tuple[str, str], dict[str, bool]] = {}
    spans: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = {}
    summaries: dict[tuple[str, str], str] = {}
    path = require(data_dir / "xsumfaith" / "hallucination_annotations_xsum_summaries.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["bbcid"], row["system"])
            if row["bbcid"] not in articles:
                continue
            summaries[key] = row["summary"].replace("\\'", "'")
            worker = marks.setdefault(key, {})
            worker[row["worker_id"]] = worker.get(row["worker_id"], False) or row["hallucination_type"] != "NULL"
            # Offsets follow no single convention (see the data README): find the span by its text.
            marked = spans.setdefault(key, {}).setdefault(row["worker_id"], [])
            span = row["hallucinated_span"].replace("\\'", "'")
            start = summaries[key].find(span) if row["hallucination_type"] != "NULL" and span else -1
            if start >= 0:
                marked.append((start, start + len(span)))
    return [
        LabelledSummary(
            bbcid, articles[bbcid], summaries[(bbcid, system)], sum(w.values()) >= 2, None, system,
            tuple(tuple(s) for s in spans[(bbcid, system)].values()),
        )
        for (bbcid, system), w in sorted(marks.items())
    ]
