"""Generated hostile inputs through `add`, `compare` and `sources` (#21): whatever the files hold,
the exit code is one the CLI documents (0 done, 1 some input skipped, 2 refused), stderr has no
traceback, the library passes SQLite's integrity check and holds every valid article offered, and
nothing outside the library and the output paths changes."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from copydesk.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("fake_models")

VALID = "The council of Tull approved a 44-metre bridge on Friday. The work will take 3 years, the mayor said."

pieces = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["\x1b[2J", "\x1b]0;x\x07", "\u202e", "\x00", "“", "'", '"', ". ", "\n", "。", "<div>", "</p>",
     "The mayor said 4,120 homes flooded in 2021. ", "hiding.For "])
hostile_text = st.lists(pieces, max_size=25).map("".join)
records = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "html", "title", "url", "published", "site", "author", "x"]), inner, max_size=6),
    max_leaves=12,
)
files = st.one_of(
    st.binary(max_size=600).map(lambda b: ("blob.txt", b)),
    hostile_text.map(lambda t: ("note.txt", t.encode("utf-8", "surrogatepass"))),
    hostile_text.map(lambda t: ("page.html", f"<html><body><p>{t}</p></body></html>".encode("utf-8", "surrogatepass"))),
    records.map(lambda r: ("one.json", json.dumps(r).encode())),
    st.lists(records, max_size=4).map(lambda rs: ("feed.jsonl", "\n".join(json.dumps(r) for r in rs).encode())),
    st.integers(1, 3000).map(lambda n: ("deep.json", b"[" * n + b"]" * n)),
    st.binary(max_size=300).map(lambda b: ("crawl.warc.gz", b)),
    st.binary(min_size=1, max_size=40).map(lambda b: ("data.parquet", b"PAR1" + b)),
)


def snapshot(folder: Path, skip: set[Path]) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p not in skip}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(files, min_size=1, max_size=5))
def test_add_never_crashes_loses_or_touches_anything_else(generated):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "in"
        inputs.mkdir()
        for n, (name, data) in enumerate(generated):
            (inputs / f"{n}-{name}").write_bytes(data)
        (inputs / "valid.txt").write_text(VALID)
        db = root / "lib.db"
        before = snapshot(root, set())
        result = runner.invoke(app, ["add", str(inputs), "--db", str(db)])
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = [r[0] for r in con.execute("SELECT text FROM articles")]
        assert any(VALID in t for t in texts)
        con.close()
        library_files = {db, Path(f"{db}-wal"), Path(f"{db}-shm")}
        assert snapshot(root, library_files) == before  # the inputs are only read


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files, files)
def test_compare_and_sources_answer_in_one_line_or_a_report(first, second):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        a, b = root / f"a-{first[0]}", root / f"b-{second[0]}"
        a.write_bytes(first[1])
        b.write_bytes(second[1])
        html = root / "out" / "report.html"
        html.parent.mkdir()
        before = snapshot(root, set())
        result = runner.invoke(app, ["compare", str(a), str(b), "--json", "--html", str(html)])
        assert result.exit_code in (0, 2) and "Traceback" not in result.output
        if result.exit_code == 2:
            assert len(result.stderr.strip().splitlines()) == 1 and not html.exists()
        else:
            json.loads(result.stdout)
            assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
        db = root / "lib.db"
        runner.invoke(app, ["add", str(b), "--db", str(db)])
        found = runner.invoke(app, ["sources", str(a), "--db", str(db)]) if db.exists() else None
        if found is not None:
            assert found.exit_code in (0, 2) and "Traceback" not in found.output
        changed = {k for k, v in snapshot(root, set()).items() if before.get(k) != v}
        allowed = {str(html), str(db), f"{db}-wal", f"{db}-shm"}
        assert changed <= allowed, changed - allowed
        assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []
        assert not any(name.endswith(".tmp") for name in os.listdir(html.parent))
