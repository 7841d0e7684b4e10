"""Texts that arrive over HTTP: pasted or uploaded, never read from a path."""

from __future__ import annotations

from pathlib import PurePosixPath

from copydesk.errors import InputError
from copydesk.ingest import document_from_record, document_from_text, parse_json
from copydesk.ingest.decode import decode_bytes
from copydesk.models import Document
from copydesk.settings import Settings

UPLOAD_TYPES = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html", ".json": "json"}


def upload_name(filename: str | None) -> str:
    """The file's own name, without any folders a browser or client put in front of it."""
    return PurePosixPath((filename or "upload").replace("\\", "/")).name or "upload"


def document_from_upload(data: bytes, filename: str | None, settings: Settings) -> Document:
    name = upload_name(filename)
    kind = UPLOAD_TYPES.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise InputError(name, f"unsupported file type; upload one of {', '.join(sorted(UPLOAD_TYPES))}")
    if not data.strip():
        raise InputError(name, "empty file")
    text = decode_bytes(data, name, settings.max_bytes)
    if kind == "json":
        record = parse_json(text, name)
        return document_from_record(record, name, settings)
    return document_from_text(text, where=name, settings=settings, format=kind)


def document_from_paste(text: str, label: str, settings: Settings) -> Document:
    if not text.strip():
        raise InputError(label, "empty text")
    return document_from_text(text, where=label, settings=settings)
