"""Articles to Parquet and back: `copydesk export --parquet` and `copydesk add` of the folder."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from copydesk.align.embedder import HashingEmbedder
from copydesk.cli import app
from copydesk.errors import InputError
from copydesk.library import Library
from copydesk.parquet import check_parquet_folder, export_articles, iter_parquet_records, record_from_row

runner = CliRunner()


@pytest.fixture
def library(tmp_path, settings, story_documents):
    lib = Library.open(tmp_path / "lib.db", settings, embedder=HashingEmbedder())
    lib.add(story_documents.values())
    yield lib
    lib.close()


def test_export_keeps_records_and_signals(library, tmp_path):
    assert export_articles(library, tmp_path / "pq", rows_per_file=4) == 6
    files = sorted((tmp_path / "pq").glob("*.parquet"))
    assert [f.name for f in files] == ["part-00000.parquet", "part-00001.parquet"]
    rows = [row for f in files for row in iter_parquet_records(f)]
    for row in rows:
        assert record_from_row(row) == library.article(row["id"])
        signals = library.store.signals(row["id"])
        assert row["buckets"] == list(signals.buckets) and set(row["keys"]) == signals.keys
    with pytest.raises(Exception, match="already holds Parquet"):
        export_articles(library, tmp_path / "pq")


def test_a_parquet_folder_adds_back_to_the_same_library(library, tmp_path, settings, fake_models):
    export_articles(library, tmp_path / "pq")
    result = runner.invoke(app, ["add", str(tmp_path / "pq"), "--db", str(tmp_path / "copy.db")])
    assert result.exit_code == 0, result.output
    with Library.open(tmp_path / "copy.db", settings, embedder=HashingEmbedder()) as copy:
        assert sorted(copy.store.article_ids()) == sorted(library.store.article_ids())
        for article_id in library.store.article_ids():
            original, again = library.article(article_id), copy.article(article_id)
            assert (again.text, again.title, again.site, again.published, again.sentence_spans) == (
                original.text, original.title, original.site, original.published, original.sentence_spans
            )


def test_cli_export_and_a_broken_parquet_file(library, tmp_path, fake_models):
    result = runner.invoke(app, ["export", "--parquet", str(tmp_path / "out"), "--db", str(library.store.path)])
    assert result.exit_code == 0 and "wrote 6 articles" in result.stdout
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.parquet").write_bytes(b"PAR1 not really")
    added = runner.invoke(app, ["add", str(tmp_path / "bad"), "--db", str(tmp_path / "new.db")])
    assert added.exit_code == 1 and "x.parquet: not a readable Parquet file" in added.output
    assert "Traceback" not in added.output


def test_export_to_a_file_or_an_unwritable_folder_is_one_line(library, tmp_path, fake_models):
    taken = tmp_path / "taken.parquet"
    taken.write_bytes(b"keep me")
    result = runner.invoke(app, ["export", "--parquet", str(taken), "--db", str(library.store.path)])
    assert result.exit_code == 2 and "is a file" in result.stderr and "Traceback" not in result.output
    assert taken.read_bytes() == b"keep me"
    result = runner.invoke(app, ["export", "--parquet", "/proc/copydesk-out", "--db", str(library.store.path)])
    assert result.exit_code == 2 and "cannot write here" in result.stderr and "Traceback" not in result.output


def test_cli_spark_trace_needs_its_folders(tmp_path):
    result = runner.invoke(app, ["trace", "--engine", "spark"])
    assert result.exit_code != 0 and "--input PARQUET and --output DIR" in result.output
    result = runner.invoke(app, ["trace", "--engine", "dask"])
    assert result.exit_code != 0 and "choose local or spark" in result.output


def test_cli_spark_trace_checks_its_input_before_starting_spark(library, tmp_path, fake_models):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    result = runner.invoke(app, ["trace", "--engine", "spark", "--input", str(empty), "--output", str(out)])
    assert result.exit_code == 2 and "holds no Parquet files" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    export_articles(library, tmp_path / "pq")
    (tmp_path / "pq" / "notes.txt").write_text("not parquet")
    result = runner.invoke(app, ["trace", "--engine", "spark", "--input", str(tmp_path / "pq"), "--output", str(out)])
    assert result.exit_code == 2 and "notes.txt: not a readable Parquet file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Java" not in result.stderr


def test_an_unreachable_spark_master_is_one_line(library, tmp_path, fake_models):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    export_articles(library, tmp_path / "pq")
    result = runner.invoke(app, ["trace", "--engine", "spark", "--input", str(tmp_path / "pq"), "--output",
                                 str(tmp_path / "out"), "--master", f"spark://127.0.0.1:{port}"])
    assert result.exit_code == 2 and "no Spark master answers there" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _without(monkeypatch, module):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == module else find_spec(name, *a))


def test_without_the_parquet_extra_export_and_add_say_what_to_install(tmp_path, monkeypatch):
    _without(monkeypatch, "pyarrow")
    result = runner.invoke(app, ["export", "--parquet", str(tmp_path / "out"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "pip install 'copydesk[parquet]'" in result.output and "Traceback" not in result.output
    with pytest.raises(InputError, match=r"a\.parquet: reading Parquet needs pyarrow"):
        next(iter_parquet_records(tmp_path / "a.parquet"))


def test_without_the_web_extra_serve_says_what_to_install(tmp_path, monkeypatch):
    _without(monkeypatch, "fastapi")
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert result.output.strip().endswith("copydesk serve needs fastapi: pip install 'copydesk[web]'")


@pytest.mark.parametrize(("column", "values", "holds"), [
    ("id", [1, 2], "int64"),
    ("text", [b"a", b"b"], "binary"),
    ("published", [1.5, 2.5], "double"),
    ("sentence_spans", [["0-4"], ["1"]], "list<element: string>"),
])
def test_spark_input_with_a_column_of_another_type_is_one_line(tmp_path, column, values, holds):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "pq"
    folder.mkdir()
    table = {"id": ["a", "b"], "text": ["One text.", "Two texts."], column: values}
    pq.write_table(pa.table(table), folder / "part-0.parquet")
    with pytest.raises(InputError, match=rf"part-0\.parquet: column {column} holds {re.escape(holds)}, not"):
        check_parquet_folder(folder)
    pq.write_table(pa.table({"id": pa.array(["a"], pa.large_string()), "text": ["One text."], "extra": [7]}), folder / "part-0.parquet")
    check_parquet_folder(folder)  # large strings and other tools' columns are fine


def test_an_exported_folder_passes_the_spark_input_check(library, tmp_path):
    export_articles(library, tmp_path / "pq")
    check_parquet_folder(tmp_path / "pq")  # spans, signals and all, as written
