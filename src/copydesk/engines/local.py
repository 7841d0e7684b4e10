"""The local engine: the library's own methods, timed per stage."""

from __future__ import annotations

import time
from collections.abc import Callable

from copydesk.engines import StageTime, TraceRun
from copydesk.library import Library


class LocalEngine:
    name = "local"

    def __init__(
        self, library: Library, on_progress: Callable[[str, int, int], None] | None = None, until: str = "stories"
    ) -> None:
        self.library = library
        self.on_progress = on_progress
        self.until = until  # "candidates": stop once the pairs are known (benchmarks of the index alone)

    def trace(self) -> TraceRun:
        library, stages = self.library, []
        started = time.perf_counter()
        pairs = library.candidate_pairs()
        stages.append(StageTime("candidates", round(time.perf_counter() - started, 2), len(pairs)))
        if self.until == "candidates":
            return TraceRun(library.store.count(), len(pairs), 0, (), (), tuple(stages))
        started = time.perf_counter()
        progress = (lambda done, total: self.on_progress("relations", done, total)) if self.on_progress else None
        relations = library.relate_pairs(pairs, progress)
        stages.append(StageTime("relations", round(time.perf_counter() - started, 2), len(relations)))
        started = time.perf_counter()
        confirmed = [r for r in relations if r.relation != "unrelated"]
        clusters = library.stories(confirmed)
        stages.append(StageTime("stories", round(time.perf_counter() - started, 2), len(clusters)))
        return TraceRun(
            library.store.count(), len(pairs), len(confirmed), tuple(relations), tuple(clusters), tuple(stages)
        )
