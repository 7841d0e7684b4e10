"""Engines run the tracing stages over a whole collection.

`LocalEngine` runs them in this process over a library file; `SparkEngine`
runs the same stage functions (engines/stages.py, trace/candidates.py) on
Apache Spark over Parquet, for collections beyond one machine. Both return a
`TraceRun`: the confirmed pairs, the stories, and what each stage took.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from copydesk.models import Cluster, Relation


@dataclass(frozen=True)
class StageTime:
    stage: str
    seconds: float
    rows: int  # what the stage produced: articles, candidate pairs, relations, stories
    resumed: bool = False  # read back from a checkpoint of an earlier run


@dataclass(frozen=True)
class TraceRun:
    articles: int
    candidate_pairs: int
    confirmed_pairs: int  # candidate pairs found related (not `unrelated`)
    relations: tuple[Relation, ...]  # every candidate pair, `unrelated` ones included (empty if not collected)
    clusters: tuple[Cluster, ...]
    stages: tuple[StageTime, ...] = field(default=())
    skipped: int = 0  # input rows left out: no id or text, an id seen before, or text with nothing to read

    @property
    def confirmed(self) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if r.relation != "unrelated")


class Engine(Protocol):
    name: str

    def trace(self) -> TraceRun: ...
