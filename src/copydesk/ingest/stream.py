"""Stream documents from many inputs for `copydesk add`, one record at a time.

Inputs: files, folders (recursive), globs, JSON/JSONL records, Parquet files
(`copydesk export --parquet`), WARC files (fastwarc) and `-` for standard input. Memory stays constant in the number
of documents: JSONL and WARC are read record by record. A bad record is
reported through `on_error` and skipped; the stream goes on.
"""

from __future__ import annotations

import glob
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from copydesk.errors import InputError
from copydesk.ingest import document_from_record, document_from_text, parse_json, read_documents
from copydesk.ingest.decode import decode_bytes
from copydesk.models import Document
from copydesk.settings import Settings

OnError = Callable[[InputError], None]
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def expand_inputs(inputs: Iterable[str], on_error: OnError) -> Iterator[str]:
    """Paths to read: folders walked recursively (hidden files skipped), globs expanded, `-` kept."""
    for item in inputs:
        if item == "-":
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield str(child)
        elif path.exists():
            yield item
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                on_error(InputError(item, "no files match this pattern"))
            for match in matches:
                yield from expand_inputs([match], on_error)
        else:
            on_error(InputError(item, "no such file or folder"))


def _jsonl_records(stream: BinaryIO, where: str, settings: Settings, on_error: OnError) -> Iterator[Document]:
    for lineno, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        here = f"{where}:{lineno}"
        try:
            line = decode_bytes(raw, here, settings.max_bytes)
            record = parse_json(line, here)
            rid = record.get("id") if isinstance(record, dict) else None
            yield document_from_record(record, f"{here} (id {rid})" if rid is not None else here, settings)
        except InputError as exc:
            on_error(exc)


def _whole_payload(record, where: str, max_bytes: int) -> bytes:
    """A response's HTTP body, its Content-Encoding undone; InputError when the record or the
    compressed body was cut short (a truncated crawl): part of a page is never stored as a page."""
    raw = record.reader.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InputError(where, f"response body over the {max_bytes:,}-byte limit (--max-bytes)")
    if len(raw) < record.content_length:
        raise InputError(where, f"record truncated ({len(raw):,} of {record.content_length:,} bytes): skipped")
    encoding = (record.http_headers.get("Content-Encoding", "") or "").strip().lower() if record.http_headers else ""
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise InputError(where, f"Content-Encoding {encoding!r} is not supported: skipped")
    inflate = zlib.decompressobj(wbits=47 if "gzip" in encoding else 15)  # 47: gzip or zlib header
    try:
        body = inflate.decompress(raw, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(where, f"damaged {encoding} body ({exc}): skipped") from exc
    if len(body) > max_bytes:
        raise InputError(where, f"response body over the {max_bytes:,}-byte limit once decompressed (--max-bytes)")
    if not inflate.eof:
        raise InputError(where, f"{encoding} body cut short: skipped")
    return body


def _warc_documents(path: str, settings: Settings, on_error: OnError) -> Iterator[Document]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    try:
        stream = open(path, "rb")
    except OSError as exc:
        on_error(InputError(path, f"cannot read file ({exc.strerror})"))
        return
    n = 0
    with stream:
        try:
            # Bodies raw (auto_decode="none"): _whole_payload undoes Content-Encoding itself, to see a cut-short one.
            records = ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True, auto_decode="none")
            for n, record in enumerate(records, 1):
                url = record.headers.get("WARC-Target-URI")
                here = f"{path}: record {n} ({url})"
                content_type = (record.http_headers.get("Content-Type", "") if record.http_headers else "").lower()
                if content_type and "html" not in content_type and "text" not in content_type:
                    continue  # images, scripts, style sheets: not articles
                try:
                    payload = _whole_payload(record, here, settings.max_bytes)
                    html = decode_bytes(payload, here, settings.max_bytes, declared=record.http_charset)
                    yield document_from_text(html, where=here, settings=settings, format="html", url=url)
                except InputError as exc:
                    on_error(exc)
        except Exception as exc:  # fastwarc raises plain exceptions on corrupt archives
            on_error(InputError(path, f"corrupt WARC file ({exc})"))
            return
    if n == 0:
        on_error(InputError(path, "no WARC response records (not a WARC file, or an empty one)"))


def _parquet_documents(path: str, settings: Settings, on_error: OnError) -> Iterator[Document]:
    """Rows of `copydesk export --parquet` (or any Parquet with id and text columns)."""
    from copydesk.parquet import iter_parquet_records

    try:
        for n, row in enumerate(iter_parquet_records(path), 1):
            try:
                yield document_from_record(row, f"{path}:row {n}", settings)
            except InputError as exc:
                on_error(exc)
    except InputError as exc:
        on_error(exc)


def _stdin_documents(settings: Settings, on_error: OnError) -> Iterator[Document]:
    if sys.stdin is None:  # started with standard input closed (`<&-`)
        on_error(InputError("<stdin>", "standard input is closed"))
        return
    stream = sys.stdin.buffer
    head = stream.peek(1)[:1] if hasattr(stream, "peek") else b""
    if head == b"{":  # JSONL records; anything else is one article's text
        yield from _jsonl_records(stream, "<stdin>", settings, on_error)
        return
    try:
        text = decode_bytes(stream.read(settings.max_bytes + 1), "<stdin>", settings.max_bytes)
        yield document_from_text(text, where="<stdin>", settings=settings)
    except InputError as exc:
        on_error(exc)


def iter_documents(inputs: Iterable[str], settings: Settings, on_error: OnError) -> Iterator[Document]:
    """Every readable document in `inputs`; problems go to `on_error`, never stop the stream."""
    for item in expand_inputs(inputs, on_error):
        if item == "-":
            yield from _stdin_documents(settings, on_error)
            continue
        lower = item.lower()
        if lower.endswith(_WARC_SUFFIXES):
            yield from _warc_documents(item, settings, on_error)
        elif lower.endswith(".parquet"):
            yield from _parquet_documents(item, settings, on_error)
        elif lower.endswith(".jsonl"):
            try:
                stream = open(item, "rb")
            except OSError as exc:
                on_error(InputError(item, f"cannot read file ({exc.strerror})"))
                continue
            with stream:
                yield from _jsonl_records(stream, item, settings, on_error)
        else:
            try:
                yield from read_documents(item, settings, on_error)
            except InputError as exc:  # the file itself: missing, binary, too big...
                on_error(exc)
