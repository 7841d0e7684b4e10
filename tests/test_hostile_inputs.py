"""Inputs a hostile or unlucky user gives: each is one clear line and an exit code, never a
traceback, and nothing after it is lost (#21)."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from copydesk.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("fake_models")

GOOD = "The mayor of Tull opened a 44-metre bridge on Friday. It was 3 years late, the council said."
DEEP = "[" * 100_000 + "]" * 100_000


def articles_in(db):
    return sorted(r[0] for r in sqlite3.connect(db).execute("SELECT id FROM articles"))


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_one_line_and_the_rest_is_added(tmp_path, name):
    bad = tmp_path / name
    bad.write_text(DEEP + "\n")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"id": "ok", "text": GOOD}))
    result = runner.invoke(app, ["add", str(bad), str(good), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "JSON nested too deeply" in result.stderr and "Traceback" not in result.output
    assert articles_in(tmp_path / "x.db") == ["ok"]
    compare = runner.invoke(app, ["compare", str(bad), str(good)])
    assert compare.exit_code == 2 and "nested too deeply" in compare.stderr


def test_deeply_nested_json_in_a_batch_skips_that_line_only(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    batch = tmp_path / "pairs.jsonl"
    batch.write_text(DEEP + "\n" + json.dumps({"source": str(good), "derived": str(good)}) + "\n")
    result = runner.invoke(app, ["compare", "--batch", str(batch)])
    assert result.exit_code == 1
    assert "nested too deeply" in result.stderr and len(result.stdout.splitlines()) == 1


def test_a_null_record_says_null(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("null\n[1]\n")
    result = runner.invoke(app, ["add", str(feed), "--db", str(tmp_path / "x.db")])
    assert f"{feed}:1: record is null, expected a JSON object" in result.stderr
    assert f"{feed}:2: record is an array, expected a JSON object" in result.stderr


def test_an_empty_name_is_named_as_such(tmp_path):
    result = runner.invoke(app, ["compare", "", str(tmp_path / "b.txt")])
    assert result.exit_code == 2 and "empty file name" in result.stderr and "is a directory" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_and_a_device_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    result = runner.invoke(app, ["add", str(fifo), "/dev/zero", str(good), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert result.stderr.count("not a regular file") == 2 and "Traceback" not in result.output
    assert len(articles_in(tmp_path / "x.db")) == 1


def test_add_with_standard_input_closed(tmp_path):
    db = tmp_path / "x.db"
    result = subprocess.run(
        f"{sys.executable} -m copydesk.cli add - --db {db} <&-", shell=True, capture_output=True, text=True,
        executable="/bin/bash", timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "standard input is closed" in result.stderr and "Traceback" not in result.stderr


def test_files_beside_batch_are_refused_not_ignored(tmp_path):
    batch = tmp_path / "pairs.jsonl"
    batch.write_text("{}\n")
    result = runner.invoke(app, ["compare", "a.txt", "b.txt", "--batch", str(batch)])
    assert result.exit_code == 2 and "not both" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes any file")
def test_a_library_without_write_permission_is_read_read_only(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    db = tmp_path / "x.db"
    assert runner.invoke(app, ["add", str(good), "--db", str(db)]).exit_code == 0
    db.chmod(0o444)
    try:
        stats = runner.invoke(app, ["stats", "--db", str(db)])
        assert stats.exit_code == 0 and "opened read-only" in stats.stderr
        added = runner.invoke(app, ["add", str(good), "--db", str(db)])
        assert added.exit_code == 2 and "no write permission" in added.stderr and "Traceback" not in added.output
    finally:
        db.chmod(0o644)


def test_a_library_that_cannot_be_written_is_opened_read_only_with_a_notice(tmp_path, monkeypatch):
    """As root every file is writable, so the permission check is stood in for."""
    from copydesk.store import sqlite

    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    db = tmp_path / "x.db"
    assert runner.invoke(app, ["add", str(good), "--db", str(db)]).exit_code == 0
    before = db.read_bytes()
    monkeypatch.setattr(sqlite, "can_write", lambda path: False)
    for args in (["stats", "--db", str(db)], ["trace", "--db", str(db)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "opened read-only" in result.stderr, result.output
    added = runner.invoke(app, ["add", str(good), "--db", str(db)])
    assert added.exit_code == 2 and "no write permission" in added.stderr
    assert db.read_bytes() == before


def test_wrong_typed_fields_are_named_and_a_date_we_cannot_read_is_flagged(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": "t", "title": 7, "text": GOOD},
        {"id": "u", "url": ["http://a.example"], "text": GOOD},
        {"id": {"x": 1}, "text": GOOD},
        {"id": "d", "published": "sometime in spring", "text": GOOD + " Later more."},
        {"id": "e", "published": "June 3, 2021", "text": GOOD + " Even later."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    db = tmp_path / "x.db"
    result = runner.invoke(app, ["add", str(feed), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{feed}:1 (id t): field 'title' is a number, expected a string" in result.stderr
    assert f"{feed}:2 (id u): field 'url' is an array, expected a string" in result.stderr
    assert "field 'id' is an object" in result.stderr
    assert "published 'sometime in spring' is not a date copydesk reads" in result.stderr
    assert "June 3, 2021" not in result.stderr
    assert articles_in(db) == ["d", "e"]
    assert sqlite3.connect(db).execute("SELECT published FROM articles WHERE id = 'd'").fetchone()[0] == "sometime in spring"


def test_serve_warns_beyond_loopback_and_passes_the_allowed_hosts(tmp_path, monkeypatch):
    from copydesk.web import app as web

    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    db = tmp_path / "x.db"
    assert runner.invoke(app, ["add", str(good), "--db", str(db)]).exit_code == 0
    called = {}
    monkeypatch.setattr(web, "serve", lambda *a, **kw: called.update(kw))
    result = runner.invoke(app, ["serve", "--db", str(db), "--host", "0.0.0.0", "--allow-host", "desk.example"])
    assert result.exit_code == 0, result.output
    assert "beyond this machine" in result.stderr
    assert called["allow_hosts"] == ["desk.example"] and called["host"] == "0.0.0.0"
    quiet = runner.invoke(app, ["serve", "--db", str(db)])
    assert quiet.exit_code == 0 and "beyond" not in quiet.stderr


def test_a_damaged_library_is_one_line_not_a_traceback(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i}.txt").write_text(f"Story {i}: the mayor of Place{i} opened bridge number {i * 7} on Friday. " * 20)
    db = tmp_path / "x.db"
    assert runner.invoke(app, ["add", str(folder), "--db", str(db)]).exit_code == 0
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(3 * page, len(data) - page, 2 * page):  # scribble over every other page past the schema
        data[start + 8 : start + 400] = b"\xa5" * 392
    db.write_bytes(bytes(data))
    for command in (["stats"], ["trace"], ["sources", "anything"]):
        result = subprocess.run([sys.executable, "-m", "copydesk.cli", *command, "--db", str(db)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (command, result.stderr[-500:])
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_article_past_the_sentence_ceiling_is_refused_at_once(tmp_path):
    from copydesk.settings import Settings

    limit = Settings.load().max_sentences
    long = tmp_path / "long.txt"
    long.write_text("\n".join(f"Item {i} was logged by clerk number {i * 3} on a quiet Tuesday." for i in range(limit + 5)))
    short = tmp_path / "short.txt"
    short.write_text(GOOD)
    result = runner.invoke(app, ["compare", str(long), str(short)])
    assert result.exit_code == 2
    assert f"{limit + 5:,} story sentences, over the {limit:,}" in result.stderr and "Traceback" not in result.output
    added = runner.invoke(app, ["add", str(long), str(short), "--db", str(tmp_path / "x.db")])
    assert added.exit_code == 1 and "story sentences, over the" in added.stderr
    assert len(articles_in(tmp_path / "x.db")) == 1


def test_compare_html_and_json_with_a_file_name_that_is_not_utf8(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text(GOOD)
    odd = os.path.join(os.fsencode(tmp_path), b"b\xff.txt")
    with open(odd, "w") as fh:
        fh.write(GOOD + " More was said.")
    html = tmp_path / "out.html"
    result = runner.invoke(app, ["compare", str(good), os.fsdecode(odd), "--json", "--html", str(html)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.encode("utf-8"))  # valid UTF-8 throughout
    assert data["derived"]["path"].endswith("b\\xff.txt")  # the undecodable byte shown escaped
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
