"""The library in one SQLite file: WAL mode, schema versioned by `PRAGMA user_version`.

Articles are keyed by the hash of their normalised text, so adding the same
article twice is a no-op. Each batch of articles is one transaction: an
interrupted `copydesk add` keeps every committed batch and never leaves an
article without its index rows.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from copydesk.errors import StoreError
from copydesk.models import ArticleSignals, LibraryArticle
from copydesk.store.search import search_terms

# Each entry moves the schema from version i to i + 1. Append; never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE articles (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        title TEXT, author TEXT, published TEXT, site TEXT, url TEXT,
        language TEXT NOT NULL, format TEXT NOT NULL, path TEXT,
        text TEXT NOT NULL,
        sentences TEXT NOT NULL,   -- JSON [[start, end], ...] into text
        boilerplate TEXT NOT NULL, -- JSON [[start, end, reason], ...]
        minhash BLOB NOT NULL,
        buckets TEXT NOT NULL,     -- JSON [int, ...], one LSH bucket per band
        keys TEXT NOT NULL,        -- JSON [str, ...], the fingerprint
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_site ON articles(site);
    -- Postings lists, clustered by key (WITHOUT ROWID: no second copy of the key in an index).
    CREATE TABLE lsh (
        bucket INTEGER NOT NULL, article INTEGER NOT NULL REFERENCES articles(n), PRIMARY KEY (bucket, article)
    ) WITHOUT ROWID;
    CREATE TABLE fingerprint (
        key TEXT NOT NULL, article INTEGER NOT NULL REFERENCES articles(n), PRIMARY KEY (key, article)
    ) WITHOUT ROWID;
    CREATE TABLE key_counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE relations (
        a TEXT NOT NULL, b TEXT NOT NULL, settings TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (a, b, settings)
    ) WITHOUT ROWID;
    """,
    # v2: full-text search over titles and texts (the web app's library page), and relations by either end.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='n');
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
    END;
    CREATE INDEX relations_b ON relations(b);
    CREATE INDEX articles_url ON articles(url);
    CREATE INDEX articles_published ON articles(published);
    """,
    # v3: fingerprint sizes apart from the wide article rows, for weighing candidates by size, and
    # their running total (one row), so the mean costs a query the same at any library size.
    """
    CREATE TABLE fingerprint_sizes (article INTEGER PRIMARY KEY REFERENCES articles(n), keys INTEGER NOT NULL);
    INSERT INTO fingerprint_sizes SELECT n, json_array_length(keys) FROM articles;
    CREATE TABLE fingerprint_totals (
        one INTEGER PRIMARY KEY CHECK (one = 1), articles INTEGER NOT NULL, keys INTEGER NOT NULL
    );
    INSERT INTO fingerprint_totals SELECT 1, count(*), coalesce(sum(keys), 0) FROM fingerprint_sizes;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = "id, content_hash, text, title, author, published, site, url, language, format, path, sentences, boilerplate"


def _article_from_row(row: tuple) -> LibraryArticle:
    *fields, sentences, boilerplate = row
    return LibraryArticle(
        *fields,
        sentence_spans=tuple(tuple(s) for s in json.loads(sentences)),
        boilerplate_spans=tuple(tuple(b) for b in json.loads(boilerplate)),
    )


def can_write(path: str | Path) -> bool:
    """Whether a library file can be written: the file, and its folder (WAL keeps two files beside it)."""
    path = Path(path)
    return os.access(path, os.W_OK) and os.access(path.absolute().parent, os.W_OK)


class SQLiteStore:
    """`read_only=True` opens the file without write access: nothing is written, and
    relations computed meanwhile are kept in memory only."""

    def __init__(
        self, path: str | Path, read_only: bool = False, relation_cache: dict[tuple[str, str, str], dict] | None = None
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        # Read-only mode's relation cache; connections of one process may share it (the web app's threads).
        self._relations: dict[tuple[str, str, str], dict] = {} if relation_cache is None else relation_cache
        if Path(self.path).is_dir():
            raise StoreError(f"{self.path}: is a directory, expected a library file (--db)")
        if read_only and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such library")
        folder = Path(self.path).absolute().parent
        if not read_only and not folder.is_dir():
            raise StoreError(f"{self.path}: the folder {folder} does not exist")
        if not read_only and not Path(self.path).exists() and not os.access(folder, os.W_OK):
            raise StoreError(f"{self.path}: cannot create a library in {folder} (no write permission)")
        try:
            if read_only:
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            version = self._check()  # before anything is changed: a file that is not ours stays as it was
            if not read_only:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate(version)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a copydesk library ({exc})") from exc

    def _check(self) -> int:
        """The schema version, after refusing a file that is not a copydesk library of a version we read."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{self.path}: an SQLite file, but not a copydesk library")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: library schema v{version} is newer than this copydesk (v{SCHEMA_VERSION}); upgrade copydesk"
            )
        if self.read_only and version < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: library schema v{version} needs upgrading; open it once without --read-only")
        return version

    def _migrate(self, version: int) -> None:
        for target in range(version, SCHEMA_VERSION):
            # executescript commits first, so wrap each step in its own transaction.
            self.db.executescript(f"BEGIN; {MIGRATIONS[target]} PRAGMA user_version = {target + 1}; COMMIT;")

    def close(self) -> None:
        self.db.close()

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY n")]

    def site_counts(self) -> dict[str | None, int]:
        return dict(self.db.execute("SELECT site, count(*) FROM articles GROUP BY site").fetchall())

    def get(self, article_id: str) -> LibraryArticle | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article_from_row(row) if row else None

    def id_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def id_for_url(self, url: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE url = ? ORDER BY n LIMIT 1", (url,)).fetchone()
        return row[0] if row else None

    def put(self, batch: Sequence[tuple[LibraryArticle, ArticleSignals]]) -> list[str]:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        db = self.db
        present = []
        db.execute("BEGIN IMMEDIATE")  # the write lock: no other process stores anything until we commit
        try:
            for article, signals in batch:
                if db.execute("SELECT 1 FROM articles WHERE content_hash = ?", (article.content_hash,)).fetchone():
                    present.append(article.id)  # stored meanwhile by another process
                    continue
                cur = db.execute(
                    f"INSERT INTO articles ({_COLUMNS}, minhash, buckets, keys) VALUES ({', '.join('?' * 16)})",
                    (
                        article.id, article.content_hash, article.text, article.title, article.author,
                        article.published, article.site, article.url, article.language, article.format,
                        article.path, json.dumps(article.sentence_spans), json.dumps(article.boilerplate_spans),
                        signals.minhash.astype(np.uint32).tobytes(), json.dumps(signals.buckets),
                        json.dumps(sorted(signals.keys)),
                    ),
                )
                n = cur.lastrowid
                db.executemany("INSERT OR IGNORE INTO lsh VALUES (?, ?)", ((b, n) for b in signals.buckets))
                db.executemany("INSERT INTO fingerprint VALUES (?, ?)", ((k, n) for k in signals.keys))
                db.execute("INSERT INTO fingerprint_sizes VALUES (?, ?)", (n, len(signals.keys)))
                db.executemany(
                    "INSERT INTO key_counts VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
                    ((k,) for k in signals.keys),
                )
            stored = [signals for article, signals in batch if article.id not in present]
            db.execute(
                "UPDATE fingerprint_totals SET articles = articles + ?, keys = keys + ?",
                (len(stored), sum(len(signals.keys) for signals in stored)),
            )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
                db.execute("ROLLBACK")
            raise
        return present

    def signals(self, article_id: str) -> ArticleSignals | None:
        row = self.db.execute("SELECT minhash, buckets, keys FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        signature, buckets, keys = row
        return ArticleSignals(
            np.frombuffer(signature, dtype=np.uint32), tuple(json.loads(buckets)), frozenset(json.loads(keys))
        )

    def bucket_matches(self, buckets: Sequence[int], cap: int) -> Counter[str]:
        out: Counter[str] = Counter()
        for bucket in buckets:
            holders = self.db.execute(
                "SELECT a.id FROM lsh JOIN articles a ON a.n = lsh.article WHERE lsh.bucket = ? LIMIT ?", (bucket, cap + 1)
            ).fetchall()
            if len(holders) <= cap:  # a bucket half the library shares says nothing about one story
                out.update(article_id for (article_id,) in holders)
        return out

    def key_frequency(self, keys: Sequence[str]) -> dict[str, int]:
        out = {}
        for key in keys:
            row = self.db.execute("SELECT n FROM key_counts WHERE key = ?", (key,)).fetchone()
            out[key] = row[0] if row else 0
        return out

    def fingerprint_sizes(self, article_ids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        ids = list(article_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.db.execute(
                "SELECT a.id, s.keys FROM articles a JOIN fingerprint_sizes s ON s.article = a.n"
                f" WHERE a.id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            out.update(rows.fetchall())
        return out

    def mean_fingerprint_size(self) -> float:
        articles, keys = self.db.execute("SELECT articles, keys FROM fingerprint_totals").fetchone()
        return keys / articles if articles else 0.0

    def key_matches(self, keys: Sequence[str], cap: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for key, df in self.key_frequency(keys).items():
            if not 0 < df <= cap:
                continue  # too common to say two articles share a story
            rows = self.db.execute("SELECT a.id FROM fingerprint f JOIN articles a ON a.n = f.article WHERE f.key = ?", (key,))
            for (article_id,) in rows.fetchall():
                out[article_id].append(key)
        return dict(out)

    def search(
        self, words: str, site: str | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> tuple[int, list[LibraryArticle]]:
        where, params = [], []
        if terms := search_terms(words):
            # Each word quoted: a phrase of one token to FTS5, so user input is never query syntax.
            where.append("n IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(" ".join('"' + t.replace('"', '""') + '"' for t in terms))
        if site:
            where.append("site = ?")
            params.append(site)
        if since:
            where.append("published >= ?")
            params.append(since)
        if until:
            where.append("substr(published, 1, ?) <= ?")
            params += [len(until), until]
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = self.db.execute(f"SELECT count(*) FROM articles {clause}", params).fetchone()[0]
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM articles {clause} ORDER BY published DESC, n DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return total, [_article_from_row(row) for row in rows]

    def get_relation(self, a: str, b: str, settings_key: str) -> dict | None:
        if (a, b, settings_key) in self._relations:
            return self._relations[(a, b, settings_key)]
        row = self.db.execute(
            "SELECT body FROM relations WHERE a = ? AND b = ? AND settings = ?", (a, b, settings_key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put_relation(self, a: str, b: str, settings_key: str, body: dict) -> None:
        if self.read_only:
            self._relations[(a, b, settings_key)] = body
            return
        self.db.execute(
            "INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?)", (a, b, settings_key, json.dumps(body))
        )

    def relations_of(self, article_ids: Sequence[str], settings_key: str) -> list[dict]:
        marks = ", ".join("?" * len(article_ids))
        rows = self.db.execute(
            f"SELECT body FROM relations WHERE settings = ? AND (a IN ({marks}) OR b IN ({marks}))",
            (settings_key, *article_ids, *article_ids),
        ).fetchall()
        found = [json.loads(body) for (body,) in rows]
        wanted = set(article_ids)
        found += [
            body for (a, b, key), body in self._relations.items() if key == settings_key and {a, b} & wanted
        ]
        return found

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
