"""Bytes to text: size limit, binary detection, encoding detection."""

from __future__ import annotations

import codecs

from copydesk.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def decode_bytes(data: bytes, where: str, max_bytes: int, declared: str | None = None) -> str:
    """Decode `data` or raise InputError naming `where` and the problem. `declared`: the charset
    the data came labelled with (an HTTP header), tried after UTF-8: pages labelled Latin-1 are
    often UTF-8, and bytes that decode as UTF-8 are almost never anything else."""
    if len(data) > max_bytes:
        raise InputError(where, f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(where, f"cannot decode as {encoding} despite its byte-order mark") from exc
    if looks_binary(data):
        raise InputError(where, "binary file, not text, HTML or JSON")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown or wrong label: guess as for unlabelled bytes
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(where, "undecodable bytes: not UTF-8 and no other encoding fits")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 1000):
        raise InputError(where, f"undecodable bytes (best guess {best.encoding} gives replacement characters)")
    return text
