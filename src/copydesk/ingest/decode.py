"""Bytes to text: size limit, binary detection, encoding detection."""

from __future__ import annotations

import codecs
import re

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


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark (Windows tools do): Latin-script text has a NUL
    in every other byte, on one side. None when the bytes do not read so."""
    sample = data[:8192]
    if len(sample) < 16 or len(sample) % 2:
        return None
    for encoding, zeros, other in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            printable = sum(c.isprintable() or c in "\t\n\r" for c in text[:4096])
            return text if printable >= 0.95 * min(len(text), 4096) else None
    return None


# The non-ASCII characters of English, French, German, Spanish, Italian, Portuguese and Dutch news
# in Windows-1252 (a superset of Latin-1), punctuation included.
_WESTERN = set("àâäæçéèêëîïôöœùûüÿñáíóúãõßÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸÑÁÍÓÚÃÕ£€¥°«»“”‘’–—…•·©®ªº¿¡§")


# A well-formed UTF-8 sequence of two to four bytes (one non-ASCII character).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """For a file that mixes UTF-8 and Windows-1252 (pasted together): bytes that are not UTF-8 read
    as Windows-1252, not as garbage."""
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("copydesk-cp1252", _cp1252_fallback)


def _western(data: bytes) -> str | None:
    """Windows-1252 text, when every non-ASCII character it gives is a Western European letter or
    punctuation mark. Measured here: charset_normalizer reads short French in Latin-1 as
    Windows-1250 ("Genève" as "Genčve") or as a Chinese code page, so this is asked first."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # one of its five undefined bytes
        return None
    foreign = [c for c in text if ord(c) > 127]
    return text if foreign and all(c in _WESTERN for c in foreign) else None


def too_big(where: str, size: int, max_bytes: int) -> InputError:
    return InputError(where, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")


def decode_bytes(data: bytes, where: str, max_bytes: int, declared: str | None = None) -> str:
    """Decode `data` or raise InputError naming `where` and the problem. `declared`: the charset
    the data came labelled with (an HTTP header), tried after UTF-8: pages labelled Latin-1 are
    often UTF-8, and bytes that decode as UTF-8 are almost never anything else."""
    if len(data) > max_bytes:
        raise too_big(where, len(data), max_bytes)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(where, f"cannot decode as {encoding} despite its byte-order mark") from exc
    if (text := _utf16_without_bom(data)) is not None:
        return text
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
    if _UTF8_SEQUENCE.search(data):  # some of it is UTF-8: the rest is a stray single-byte encoding
        return data.decode("utf-8", errors="copydesk-cp1252")
    if (text := _western(data)) is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(where, "undecodable bytes: not UTF-8 and no other encoding fits")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 1000):
        raise InputError(where, f"undecodable bytes (best guess {best.encoding} gives replacement characters)")
    return text
