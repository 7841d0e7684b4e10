"""A Store held in dicts: the fake for tests, and for one-off runs without --db."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from copydesk.models import ArticleSignals, LibraryArticle
from copydesk.store.search import matches, search_terms


class MemoryStore:
    read_only = False

    def __init__(self) -> None:
        self._articles: dict[str, LibraryArticle] = {}
        self._signals: dict[str, ArticleSignals] = {}
        self._by_hash: dict[str, str] = {}
        self._buckets: defaultdict[int, list[str]] = defaultdict(list)
        self._keys: defaultdict[str, list[str]] = defaultdict(list)
        self._relations: dict[tuple[str, str, str], dict] = {}
        self._meta: dict[str, str] = {}
        self._fingerprint_keys = 0  # running total, for the mean fingerprint size

    def count(self) -> int:
        return len(self._articles)

    def article_ids(self) -> list[str]:
        return list(self._articles)

    def site_counts(self) -> dict[str | None, int]:
        return dict(Counter(a.site for a in self._articles.values()))

    def get(self, article_id: str) -> LibraryArticle | None:
        return self._articles.get(article_id)

    def id_for_hash(self, content_hash: str) -> str | None:
        return self._by_hash.get(content_hash)

    def id_for_url(self, url: str) -> str | None:
        return next((a.id for a in self._articles.values() if a.url == url), None)

    def put(self, batch: Sequence[tuple[LibraryArticle, ArticleSignals]]) -> list[str]:
        present = [a.id for a, _ in batch if a.content_hash in self._by_hash]
        for article, _ in batch:  # check everything first: all or none, like a transaction
            if article.id in self._articles and article.id not in present:
                raise ValueError(f"article {article.id} is already stored")
        for article, signals in batch:
            if article.id in present:
                continue
            self._articles[article.id] = article
            self._signals[article.id] = signals
            self._by_hash[article.content_hash] = article.id
            self._fingerprint_keys += len(signals.keys)
            for bucket in signals.buckets:
                self._buckets[bucket].append(article.id)
            for key in signals.keys:
                self._keys[key].append(article.id)
        return present

    def signals(self, article_id: str) -> ArticleSignals | None:
        return self._signals.get(article_id)

    def bucket_matches(self, buckets: Sequence[int], cap: int) -> Counter[str]:
        return Counter(a for b in buckets if len(self._buckets.get(b, ())) <= cap for a in self._buckets.get(b, ()))

    def key_frequency(self, keys: Sequence[str]) -> dict[str, int]:
        return {k: len(self._keys.get(k, ())) for k in keys}

    def fingerprint_sizes(self, article_ids: Sequence[str]) -> dict[str, int]:
        return {a: len(self._signals[a].keys) for a in article_ids if a in self._signals}

    def mean_fingerprint_size(self) -> float:
        return self._fingerprint_keys / len(self._signals) if self._signals else 0.0

    def key_matches(self, keys: Sequence[str], cap: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in keys:
            holders = self._keys.get(key, ())
            if 0 < len(holders) <= cap:
                for article_id in holders:
                    out.setdefault(article_id, []).append(key)
        return out

    def get_relation(self, a: str, b: str, settings_key: str) -> dict | None:
        return self._relations.get((a, b, settings_key))

    def put_relation(self, a: str, b: str, settings_key: str, body: dict) -> None:
        self._relations[(a, b, settings_key)] = body

    def search(
        self, words: str, site: str | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> tuple[int, list[LibraryArticle]]:
        terms = search_terms(words)
        found = [a for a in self._articles.values() if matches(a, terms, site, since, until)]
        found.reverse()  # the last added first within a date, as SQLite's order
        found.sort(key=lambda a: a.published or "", reverse=True)
        return len(found), found[offset : offset + limit]

    def relations_of(self, article_ids: Sequence[str], settings_key: str) -> list[dict]:
        wanted = set(article_ids)
        return [body for (a, b, key), body in self._relations.items() if key == settings_key and {a, b} & wanted]

    def meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    def close(self) -> None:
        pass
