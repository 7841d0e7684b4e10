"""Read articles from files, strings and JSON records into `Document`s."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from copydesk.errors import InputError
from copydesk.ingest.decode import decode_bytes, too_big
from copydesk.ingest.html import extract_html, looks_like_html
from copydesk.ingest.language import english_share
from copydesk.ingest.normalize import normalize
from copydesk.models import Document
from copydesk.settings import Settings
from copydesk.timestamps import parse_time

__all__ = ["document_from_text", "document_from_record", "load_document", "read_documents", "content_id"]


def content_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


_RECORD_FIELDS = ("title", "author", "published", "site", "url")


def _headline(text: str) -> str | None:
    """A plain-text article's first line, when it reads as a headline."""
    head, _, rest = text.strip().partition("\n")
    head = head.strip()
    if rest.strip() and 0 < len(head) <= 150 and head[-1] not in ".!?\"”":
        return head
    return None


def document_from_text(
    text: str,
    *,
    where: str = "<text>",
    settings: Settings | None = None,
    id: str | None = None,
    format: str | None = None,
    **metadata: Any,
) -> Document:
    """Build a Document from text or HTML (sniffed unless `format` says)."""
    settings = settings or Settings.load()
    if len(text.encode("utf-8", errors="replace")) > settings.max_bytes:
        raise InputError(where, f"text is over the {settings.max_bytes:,}-byte limit (--max-bytes)")
    fmt = format or ("html" if looks_like_html(text) else "text")
    if fmt == "html":
        extracted = extract_html(text, where, url=metadata.get("url"))
        text = extracted.text
        for key in _RECORD_FIELDS:
            if metadata.get(key) is None:
                metadata[key] = getattr(extracted, key)
    if not text.strip():
        raise InputError(where, "empty text (nothing but whitespace)")
    if fmt == "text" and metadata.get("title") is None:
        metadata["title"] = _headline(text)
    norm = normalize(text)
    warnings: list[str] = []
    published = metadata.get("published")
    if published is not None and parse_time(str(published)) is None:
        warnings.append(f"{where}: published {str(published)[:40]!r} is not a date copydesk reads; kept as given, not used for direction")
    share = english_share(norm.clean)
    if share < settings.english_min_share:
        warnings.append(
            f"{where}: text does not look like English ({share:.0%} common English words); results may be poor"
        )
    return Document(
        id=id or content_id(text),
        text=text,
        clean=norm.clean,
        clean_starts=norm.starts,
        clean_ends=norm.ends,
        format=fmt,
        path=where if where != "<text>" else None,
        warnings=tuple(warnings),
        **{k: (str(v) if v is not None else None) for k, v in metadata.items()},
    )


_JSON_TYPES = {list: "an array", dict: "an object", str: "a string", int: "a number", float: "a number", bool: "true or false"}


def _json_kind(value: Any) -> str:
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)


def parse_json(text: str, where: str, *, line_in_where: bool = False) -> Any:
    """One JSON value, or InputError naming `where` (and the line, for a multi-line file)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}" if line_in_where else where, f"malformed JSON ({exc.msg})") from exc
    except RecursionError as exc:  # [[[[… deeper than Python's stack
        raise InputError(where, "JSON nested too deeply") from exc


def document_from_record(record: Any, where: str, settings: Settings | None = None) -> Document:
    """A JSON record {id, url, title, published, text | html} to a Document."""
    if not isinstance(record, dict):
        raise InputError(where, f"record is {_json_kind(record)}, expected a JSON object")
    body = record.get("text")
    fmt = "text"
    if not isinstance(body, str) or not body.strip():
        body, fmt = record.get("html"), "html"
    if not isinstance(body, str) or not body.strip():
        raise InputError(where, "record has no non-empty 'text' or 'html' field")
    for key in _RECORD_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(where, f"field {key!r} is {_json_kind(record[key])}, expected a string")
    metadata = {k: record[k] for k in _RECORD_FIELDS if record.get(k) is not None}
    rid = record.get("id")
    if rid is not None and (isinstance(rid, bool) or not isinstance(rid, str | int)):
        raise InputError(where, f"field 'id' is {_json_kind(rid)}, expected a string or a whole number")
    return document_from_text(
        body, where=where, settings=settings, id=str(rid) if rid is not None else None, format=fmt, **metadata
    )


def display_path(path: str | Path) -> str:
    """A file name as text that can be stored and printed: bytes that are not UTF-8 (a name made on
    another system) shown as \\xff escapes, not as the lone surrogates SQLite and terminals refuse."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _read_path(path: Path, settings: Settings) -> str:
    where = display_path(path)
    if not path.exists():
        raise InputError(where, "no such file")
    if path.is_dir():
        raise InputError(where, "is a directory, expected a file")
    if not path.is_file():  # a FIFO would hang, /dev/zero never end
        raise InputError(where, "not a regular file (a device, pipe or socket)")
    try:
        with path.open("rb") as fh:
            data = fh.read(settings.max_bytes + 1)  # no more than the limit is ever held
            if len(data) > settings.max_bytes:
                raise too_big(where, os.fstat(fh.fileno()).st_size, settings.max_bytes)
    except OSError as exc:
        raise InputError(where, f"cannot read file ({exc.strerror})") from exc
    if not data.strip():
        raise InputError(where, "empty file")
    return decode_bytes(data, where, settings.max_bytes)


def read_documents(
    path: str | Path, settings: Settings | None = None, on_error: Callable[[InputError], None] | None = None
) -> Iterator[Document]:
    """Every document in a file: one for text/HTML/JSON, one per line for JSONL.

    A bad record raises InputError, or with `on_error` is reported there and skipped."""
    settings = settings or Settings.load()
    if not str(path).strip():  # Path("") is the current folder
        raise InputError("''", "empty file name")
    for item in _read_records(Path(path), settings):
        if isinstance(item, InputError):
            if on_error is None:
                raise item
            on_error(item)
        else:
            yield item


def _record(record: Any, where: str, settings: Settings) -> Document | InputError:
    try:
        return document_from_record(record, where, settings)
    except InputError as exc:
        return exc


def _read_records(path: Path, settings: Settings) -> Iterator[Document | InputError]:
    text = _read_path(path, settings)
    name = display_path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{name}:{lineno}"
            try:
                record = parse_json(line, where)
            except InputError as exc:
                yield exc
                continue
            yield _record(record, where, settings)
    elif suffix == ".json":
        record = parse_json(text, name, line_in_where=True)
        records = record if isinstance(record, list) else [record]
        for n, item in enumerate(records):
            yield _record(item, name if len(records) == 1 else f"{name}[{n}]", settings)
    else:
        fmt = "html" if suffix in (".html", ".htm") else None
        yield document_from_text(text, where=name, settings=settings, format=fmt)


def load_document(path: str | Path, settings: Settings | None = None) -> Document:
    """Exactly one document from `path` (a JSON/JSONL file must hold one record)."""
    docs = read_documents(path, settings)
    first = next(docs, None)
    if first is None:
        raise InputError(display_path(path), "no records in file")
    if next(docs, None) is not None:
        raise InputError(display_path(path), "holds several records; compare takes one article per file (use --batch)")
    return first
