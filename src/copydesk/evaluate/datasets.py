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


def _require(path: Path) -> Path:
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
    path = _require(data_dir / "mrpc" / f"msr_paraphrase_{split}.txt")
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
        for record in json.loads(_require(data_dir / "bump" / task).read_text(encoding="utf-8")):
            key = str(record["article_id"])
            if key not in seen:
                seen[key] = SummarizedArticle(key, record["article"], record["reference_summary"])
    return [seen[k] for k in sorted(seen)]
