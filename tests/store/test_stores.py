"""The Store contract, run against the SQLite backend and the in-memory fake."""

import sqlite3

import numpy as np
import pytest

from copydesk.errors import StoreError
from copydesk.models import ArticleSignals, LibraryArticle
from copydesk.store.memory import MemoryStore
from copydesk.store.sqlite import SCHEMA_VERSION, SQLiteStore


def _article(n: int, **kw) -> tuple[LibraryArticle, ArticleSignals]:
    record = LibraryArticle(
        id=f"a{n}", content_hash=f"h{n}", text=f"Text {n}.", title=f"T{n}", site=kw.get("site"),
        sentence_spans=((0, 7),), boilerplate_spans=((0, 0, "share"),),
    )
    signals = ArticleSignals(
        minhash=np.arange(8, dtype=np.uint32) + n, buckets=kw.get("buckets", (n, 100)),
        keys=frozenset(kw.get("keys", {f"n:{n}", "y:2021"})),
    )
    return record, signals


@pytest.fixture(params=["sqlite", "memory"])
def store(request, tmp_path):
    s = SQLiteStore(tmp_path / "lib.db") if request.param == "sqlite" else MemoryStore()
    yield s
    s.close()


def test_put_and_read_back(store):
    store.put([_article(1, site="Wire"), _article(2)])
    assert store.count() == 2 and store.article_ids() == ["a1", "a2"]
    got = store.get("a1")
    assert got.title == "T1" and got.sentence_spans == ((0, 7),) and got.boilerplate_spans == ((0, 0, "share"),)
    assert store.id_for_hash("h2") == "a2" and store.id_for_hash("nope") is None
    sig = store.signals("a1")
    assert list(sig.minhash) == list(range(1, 9)) and sig.buckets == (1, 100) and "n:1" in sig.keys
    assert store.site_counts() == {"Wire": 1, None: 1}


def test_bucket_and_key_matches(store):
    store.put([_article(1), _article(2), _article(3, buckets=(7, 8), keys={"n:1"})])
    assert store.bucket_matches([100, 1], cap=5) == {"a1": 2, "a2": 1}
    assert store.bucket_matches([100, 1], cap=1) == {"a1": 1}  # bucket 100 is held by two: skipped
    assert store.key_frequency(["y:2021", "n:1", "zz"]) == {"y:2021": 2, "n:1": 2, "zz": 0}
    assert store.key_matches(["y:2021", "n:1"], cap=5) == {"a1": ["y:2021", "n:1"], "a2": ["y:2021"], "a3": ["n:1"]}
    # A key held by more than `cap` articles is skipped, not exploded.
    assert store.key_matches(["y:2021", "n:1"], cap=1) == {}


def test_fingerprint_sizes_and_their_mean(store):
    assert store.mean_fingerprint_size() == 0.0  # empty library
    store.put([_article(1), _article(2, keys={"n:2", "y:2021", "w:flood", "w:levee"}), _article(3, keys={"n:1"})])
    assert store.fingerprint_sizes(["a2", "a3", "gone"]) == {"a2": 4, "a3": 1}
    assert store.mean_fingerprint_size() == pytest.approx(7 / 3)


def test_relations_and_meta(store):
    assert store.get_relation("a", "b", "k") is None
    store.put_relation("a", "b", "k", {"relation": "paraphrase"})
    assert store.get_relation("a", "b", "k") == {"relation": "paraphrase"}
    assert store.get_relation("a", "b", "other-settings") is None
    store.set_meta("created_by", "x")
    assert store.meta("created_by") == "x"


def test_a_failed_batch_stores_nothing(store):
    from dataclasses import replace

    store.put([_article(1)])
    record, signals = _article(1)
    taken = (replace(record, content_hash="other text"), signals)  # id a1 for a different text
    with pytest.raises(Exception):
        store.put([_article(2), taken])  # the whole batch is refused
    assert store.article_ids() == ["a1"]
    assert store.bucket_matches([2], cap=5) == {}  # no index rows left behind for a2


def test_the_same_text_stored_meanwhile_is_skipped_not_an_error(store):
    """Two `add`s of one file at once: both checked before either stored; the second skips it."""
    assert store.put([_article(1)]) == []
    assert store.put([_article(2), _article(1)]) == ["a1"]
    assert store.article_ids() == ["a1", "a2"]


def test_two_sqlite_connections_adding_the_same_articles_both_succeed(tmp_path):
    first, second = SQLiteStore(tmp_path / "lib.db"), SQLiteStore(tmp_path / "lib.db")
    first.put([_article(1), _article(2)])
    assert second.put([_article(2), _article(3)]) == ["a2"]
    assert first.article_ids() == ["a1", "a2", "a3"]
    assert first.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_file_survives_reopen_and_is_wal(tmp_path):
    path = tmp_path / "lib.db"
    with_store = SQLiteStore(path)
    with_store.put([_article(1)])
    with_store.close()
    again = SQLiteStore(path)
    assert again.article_ids() == ["a1"]
    assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_sqlite_refuses_files_that_are_not_libraries(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a copydesk library"):
        SQLiteStore(junk)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a copydesk library"):
        SQLiteStore(other)
    assert other.read_bytes() == before  # refused before anything was changed (no switch to WAL)
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(StoreError, match="is a directory"):
        SQLiteStore(tmp_path)


def test_sqlite_names_a_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="the folder .*missing does not exist"):
        SQLiteStore(tmp_path / "missing" / "lib.db")


def test_sqlite_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "lib.db"
    SQLiteStore(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    with pytest.raises(StoreError, match="newer than this copydesk"):
        SQLiteStore(path)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def _dated(n: int, text: str, site: str | None, published: str | None, url: str | None = None):
    record, signals = _article(n, site=site)
    from dataclasses import replace

    return replace(record, text=text, published=published, url=url), signals


def test_search_words_outlet_dates_and_pages(store):
    store.put([
        _dated(1, "Flood claims rose in Velmora.", "Wire", "2022-03-15T09:00:00"),
        _dated(2, "Claims about floods are rising.", "Post", "2022-04-01"),
        _dated(3, "The flood CLAIMS report.", "Wire", None, url="https://x.org/3"),
        _dated(4, "A bridge opened.", "Wire", "2021-12-31"),
    ])
    total, found = store.search("flood claims", None, None, None, 10, 0)
    assert total == 2 and [a.id for a in found] == ["a1", "a3"]  # whole words, any case; undated last
    assert store.search("", "Wire", None, None, 10, 0)[0] == 3
    assert [a.id for a in store.search("", None, "2022-01-01", "2022-03", 10, 0)[1]] == ["a1"]  # until covers March
    total, page = store.search("", None, None, None, 2, 2)
    assert total == 4 and [a.id for a in page] == ["a4", "a3"]
    assert store.search('"flood"* -(', None, None, None, 10, 0)[0] == 2  # quotes and operators are not syntax
    assert store.id_for_url("https://x.org/3") == "a3" and store.id_for_url("https://x.org/9") is None


def test_relations_of_finds_either_end(store):
    store.put([_article(1), _article(2), _article(3)])
    store.put_relation("a1", "a2", "k", {"n": 1})
    store.put_relation("a2", "a3", "k", {"n": 2})
    store.put_relation("a1", "a3", "other-settings", {"n": 3})
    assert sorted(r["n"] for r in store.relations_of(["a2"], "k")) == [1, 2]
    assert [r["n"] for r in store.relations_of(["a3"], "k")] == [2]


def test_sqlite_read_only_writes_nothing(tmp_path):
    path = tmp_path / "lib.db"
    with_data = SQLiteStore(path)
    with_data.put([_article(1), _article(2)])
    with_data.close()
    before = path.read_bytes()
    store = SQLiteStore(path, read_only=True)
    assert store.count() == 2
    with pytest.raises(StoreError, match="read-only"):
        store.put([_article(3)])
    with pytest.raises(StoreError, match="read-only"):
        store.set_meta("x", "y")
    store.put_relation("a1", "a2", "k", {"kept": "in memory"})
    assert store.get_relation("a1", "a2", "k") == {"kept": "in memory"}
    assert store.relations_of(["a1"], "k") == [{"kept": "in memory"}]
    store.close()
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="no such library"):
        SQLiteStore(tmp_path / "missing.db", read_only=True)


def test_sqlite_migrates_a_version_1_library(tmp_path):
    from copydesk.store.sqlite import MIGRATIONS

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    con.close()
    old = SQLiteStore(path)  # v1 -> current: search works over articles stored before the upgrade
    assert old.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    old.put([_dated(1, "Flood claims rose.", None, None)])
    assert old.search("flood", None, None, None, 5, 0)[0] == 1


def test_sqlite_migration_sizes_the_fingerprints_of_articles_stored_before_it(tmp_path):
    from copydesk.store.sqlite import MIGRATIONS

    path = tmp_path / "v2.db"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
    con.execute(
        "INSERT INTO articles (id, content_hash, text, language, format, sentences, boilerplate, minhash, buckets, keys)"
        " VALUES ('old', 'h', 'Text.', 'en', 'text', '[]', '[]', x'00', '[]', '[\"n:1\", \"w:flood\", \"y:2021\"]')"
    )
    con.commit()
    con.close()
    store = SQLiteStore(path)
    assert store.fingerprint_sizes(["old"]) == {"old": 3}
    store.put([_article(1)])  # two keys
    assert store.mean_fingerprint_size() == pytest.approx(2.5)
    from dataclasses import replace

    record, signals = _article(1)
    with pytest.raises(Exception):  # id a1 for another text: refused whole, the running total not moved either
        store.put([_article(2), (replace(record, content_hash="other"), signals)])
    assert store.mean_fingerprint_size() == pytest.approx(2.5)
    store.put([_article(2), _article(1)])  # a1 skipped as stored: only a2's keys count
    assert store.mean_fingerprint_size() == pytest.approx(7 / 3)
