"""Articles as Parquet: the exchange format with the Spark engine and other tools.

Schema `copydesk.articles/1` (docs/schema.md): one row per article with its
metadata, text, spans and (optionally) its index signals, so an engine that
reads them finds the same candidates as the library did. Files are written in
row groups of `rows_per_file` articles: memory stays bounded in the library size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from copydesk.errors import InputError, MissingExtra, require_extra
from copydesk.models import ArticleSignals, LibraryArticle

SCHEMA_NAME = "copydesk.articles/1"
_TEXT_FIELDS = ("id", "content_hash", "text", "title", "author", "published", "site", "url", "language", "format", "path")


def arrow_schema():
    import pyarrow as pa

    return pa.schema(
        [pa.field(name, pa.string(), nullable=name not in ("id", "text")) for name in _TEXT_FIELDS]
        + [
            pa.field("sentence_spans", pa.list_(pa.list_(pa.int32()))),
            pa.field("boilerplate_spans", pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32()), ("reason", pa.string())]))),
            pa.field("minhash", pa.binary()),
            pa.field("buckets", pa.list_(pa.int64())),
            pa.field("keys", pa.list_(pa.string())),
        ],
        metadata={b"schema": SCHEMA_NAME.encode()},
    )


def article_row(article: LibraryArticle, signals: ArticleSignals | None) -> dict:
    row = {name: getattr(article, name) for name in _TEXT_FIELDS}
    row["sentence_spans"] = [list(s) for s in article.sentence_spans]
    row["boilerplate_spans"] = [{"start": s, "end": e, "reason": r} for s, e, r in article.boilerplate_spans]
    row["minhash"] = signals.minhash.astype("<u4").tobytes() if signals else None
    row["buckets"] = list(signals.buckets) if signals else None
    row["keys"] = sorted(signals.keys) if signals else None
    return row


def record_from_row(row: dict) -> LibraryArticle:
    """A row back to the library's record; rows from other tools may lack all but id and text."""
    values = {name: row.get(name) for name in _TEXT_FIELDS if row.get(name) is not None}
    values.setdefault("content_hash", hashlib.sha256(row["text"].strip().encode("utf-8")).hexdigest())
    return LibraryArticle(
        **values,
        sentence_spans=tuple(tuple(s) for s in row.get("sentence_spans") or ()),
        boilerplate_spans=tuple((b["start"], b["end"], b["reason"]) for b in row.get("boilerplate_spans") or ()),
    )


def export_articles(library, folder: str | Path, rows_per_file: int = 5_000) -> int:
    """Write every article of `library` under `folder` as part-NNNNN.parquet; returns how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), "is a file; --parquet takes a folder to write into")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".copydesk-write-test"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise InputError(str(folder), f"cannot write here ({exc.strerror})") from exc
    if any(folder.glob("*.parquet")):
        raise InputError(str(folder), "already holds Parquet files; export into an empty folder")
    schema = arrow_schema()
    rows: list[dict] = []
    parts = written = 0

    def flush() -> None:
        nonlocal parts, rows
        if rows:
            tmp = folder / f".part-{parts:05d}.parquet.tmp"
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
            tmp.rename(folder / f"part-{parts:05d}.parquet")  # a reader never sees half a file
            parts, rows = parts + 1, []

    for article_id in library.store.article_ids():
        rows.append(article_row(library.store.get(article_id), library.store.signals(article_id)))
        written += 1
        if len(rows) >= rows_per_file:
            flush()
    flush()
    return written


def check_parquet_folder(folder: str | Path) -> None:
    """InputError unless every file Spark would read in `folder` is Parquet with id and text columns,
    every column copydesk reads has the type it writes, and there is at least one file: found here in
    one line, not in pages of Java traces."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "no such Parquet folder (write one with copydesk export --parquet)")
    # Spark skips names starting with _ or . (its own markers and checksums).
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not any(part[0] in "_." for part in p.relative_to(folder).parts))
    if not files:
        raise InputError(str(folder), "holds no Parquet files (write some with copydesk export --parquet)")
    for path in files:
        try:
            schema = pq.ParquetFile(path).schema_arrow
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise InputError(str(path), f"not a readable Parquet file ({str(exc)[:120]})") from exc
        if not {"id", "text"} <= set(schema.names):
            raise InputError(str(path), "has no id and text columns (copydesk export --parquet writes them)")
        _check_column_types(path, schema)


def _check_column_types(path: Path, schema) -> None:
    """Spark stops at the first file whose column differs from the type it expects."""
    expected = arrow_schema()
    for field in schema:
        if field.name not in expected.names:
            continue  # other tools' columns are carried, never read
        want = expected.field(field.name).type
        if _plain_type(field.type) != _plain_type(want):
            raise InputError(str(path), f"column {field.name} holds {field.type}, not {want} (as copydesk export --parquet writes it)")


def _plain_type(t):
    """An Arrow type as Spark reads it: list items unnamed (Parquet writers call them item or element),
    large strings as strings."""
    import pyarrow as pa

    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return pa.list_(_plain_type(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([(f.name, _plain_type(f.type)) for f in t])
    return pa.string() if pa.types.is_large_string(t) else t


def iter_parquet_records(path: str | Path) -> Iterator[dict]:
    """Rows of a Parquet file as dicts, one row group at a time."""
    try:
        require_extra("pyarrow", "parquet", "reading Parquet")
    except MissingExtra as exc:
        raise InputError(str(path), str(exc)) from exc
    import pyarrow.parquet as pq

    try:
        reader = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise InputError(str(path), f"not a readable Parquet file ({exc})") from exc
    for group in range(reader.num_row_groups):
        yield from reader.read_row_group(group).to_pylist()
