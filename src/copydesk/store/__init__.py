"""Where the library lives. `Store` is the interface; `SQLiteStore` the real
backend (one file, WAL); `MemoryStore` a fake for tests and one-off runs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from copydesk.models import ArticleSignals, LibraryArticle

__all__ = ["Store", "open_store"]


class Store(Protocol):
    read_only: bool  # a read-only store refuses `put` and `set_meta`

    def count(self) -> int: ...

    def article_ids(self) -> list[str]: ...

    def site_counts(self) -> dict[str | None, int]:
        """Articles per site (None: unknown outlet)."""
        ...

    def get(self, article_id: str) -> LibraryArticle | None: ...

    def id_for_hash(self, content_hash: str) -> str | None: ...

    def id_for_url(self, url: str) -> str | None:
        """The first article added with this url."""
        ...

    def put(self, batch: Sequence[tuple[LibraryArticle, ArticleSignals]]) -> list[str]:
        """Add articles and their signals in one transaction: all or none. An article whose text
        is stored already (by another process since it was checked) is skipped: its id is returned."""
        ...

    def signals(self, article_id: str) -> ArticleSignals | None: ...

    def bucket_matches(self, buckets: Sequence[int], cap: int) -> Counter[str]:
        """Article id -> how many of these LSH buckets it shares, skipping buckets held by more than `cap`."""
        ...

    def key_matches(self, keys: Sequence[str], cap: int) -> dict[str, list[str]]:
        """Article id -> the keys it shares, skipping keys held by more than `cap` articles."""
        ...

    def key_frequency(self, keys: Sequence[str]) -> dict[str, int]: ...

    def fingerprint_sizes(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Article id -> how many fingerprint keys it has (stored articles only)."""
        ...

    def mean_fingerprint_size(self) -> float:
        """Mean fingerprint keys per article; 0 for an empty library."""
        ...

    def search(
        self, words: str, site: str | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> tuple[int, list[LibraryArticle]]:
        """(how many match, one page of them), newest first; semantics in store/search.py."""
        ...

    def get_relation(self, a: str, b: str, settings_key: str) -> dict | None: ...

    def put_relation(self, a: str, b: str, settings_key: str, body: dict) -> None: ...

    def relations_of(self, article_ids: Sequence[str], settings_key: str) -> list[dict]:
        """Cached relations that involve any of these articles."""
        ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...


def open_store(path: str | None, read_only: bool = False, relation_cache: dict | None = None) -> Store:
    """`None` or ":memory:" for a MemoryStore, else a SQLite file (`relation_cache`: where a
    read-only one keeps the relations it computes, shared by the connections given the same dict)."""
    if path in (None, ":memory:"):
        from copydesk.store.memory import MemoryStore

        return MemoryStore()
    from copydesk.store.sqlite import SQLiteStore

    return SQLiteStore(path, read_only=read_only, relation_cache=relation_cache)
