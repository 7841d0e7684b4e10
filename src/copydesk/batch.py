"""Batch compare: JSONL of pairs in, one result per line out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
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


def run_batch(
    lines: Iterable[str],
    *,
    where: str = "<batch>",
    base: Path = Path("."),
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    on_error: Callable[[BatchError], None] = lambda e: None,
) -> Iterator[dict[str, Any]]:
    """Yield one compare/1 dict (plus the input's `id`) per good line.

    Bad lines are passed to `on_error` with their line number and skipped.
    Relative *_path values resolve against `base` (the batch file's folder).
    """
    settings = settings or Settings.load()
    embedder = embedder or make_embedder(settings)
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        line_where = f"{where}:{lineno}"
        try:
            record = parse_json(line, line_where)
            if not isinstance(record, dict):
                raise InputError(line_where, "expected a JSON object")
            source = _side(record, "source", line_where, base, settings)
            derived = _side(record, "derived", line_where, base, settings)
            result = compare(source, derived, settings=settings, embedder=embedder)
        except CopydeskError as exc:
            on_error(BatchError(lineno, str(exc)))
            continue
        yield {"id": record.get("id", lineno), **to_json_dict(result)}
