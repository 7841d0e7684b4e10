"""Batch compare: JSONL of pairs in, one result per line out."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from copydesk.align.embedder import Embedder, make_embedder
from copydesk.pipeline import compare
from copydesk.errors import CopydeskError, InputError
from copydesk.ingest import document_from_text, load_document, parse_json
from copydesk.report.json import to_json_dict
from copydesk.settings import Settings


@dataclass(frozen=True)
class BatchError:
    line: int
    message: str


def _side(record: dict[str, Any], name: str, where: str, base: Path, settings: Settings):
    if isinstance(record.get(name), str):
        return document_from_text(record[name], where=f"{where} {name}", settings=settings)
    path_value = record.get(f"{name}_path")
    if isinstance(path_value, str):
        path = Path(path_value)
        try:
            return load_document(path if path.is_absolute() else base / path, settings)
        except InputError as exc:  # say which line of the batch named the file
            raise InputError(f"{where} {name}_path", str(exc)) from exc
    raise InputError(where, f"needs '{name}' (text) or '{name}_path'")


def batch_workers(workers: int = 0) -> int:
    """How many pairs a batch compares at once: `workers`, or one per core this process may use when 0."""
    if workers:
        return workers
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def batch_embedder(settings: Settings, workers: int) -> Embedder:
    """The embedder `settings` names for `workers` batch workers: with several, each model call takes
    one thread unless `settings.model_threads` says otherwise (the workers share the cores)."""
    one_thread = workers > 1 and not settings.model_threads
    return make_embedder(replace(settings, model_threads=1) if one_thread else settings)


def run_batch(
    lines: Iterable[str],
    *,
    where: str = "<batch>",
    base: Path = Path("."),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    on_error: Callable[[BatchError], None] = lambda e: None,
    workers: int = 0,
) -> Iterator[dict[str, Any]]:
    """Yield one compare/1 dict (plus the input's `id`) per good line, in input order.

    Bad lines are passed to `on_error` with their line number and skipped.
    Relative *_path values resolve against `base` (the batch file's folder).
    `workers` pairs are compared at once, each on a thread of its own (0: one per core): onnxruntime lets
    the other threads run while it computes, and two workers on two cores compared more pairs a second
    than one whose model ran on two threads (docs/BENCHMARKS.md)."""
    settings = settings or Settings.load()
    workers = batch_workers(workers)
    embedder = embedder or batch_embedder(settings, workers)

    def compare_line(lineno: int, line: str) -> dict[str, Any] | BatchError:
        line_where = f"{where}:{lineno}"
        try:
            record = parse_json(line, line_where)
            if not isinstance(record, dict):
                raise InputError(line_where, "expected a JSON object")
            source = _side(record, "source", line_where, base, settings)
            derived = _side(record, "derived", line_where, base, settings)
            result = compare(source, derived, settings=settings, embedder=embedder)
        except CopydeskError as exc:
            return BatchError(lineno, str(exc))
        return {"id": record.get("id", lineno), **to_json_dict(result)}

    def finished(done: dict[str, Any] | BatchError) -> Iterator[dict[str, Any]]:
        if isinstance(done, BatchError):
            on_error(done)
        else:
            yield done

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future] = deque()  # at most two per worker: a long batch is never read ahead whole
        for lineno, line in enumerate(lines, 1):
            if line.strip():
                pending.append(pool.submit(compare_line, lineno, line))
            while len(pending) >= 2 * workers:
                yield from finished(pending.popleft().result())
        while pending:
            yield from finished(pending.popleft().result())
