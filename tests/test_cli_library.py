"""`copydesk add / sources / derivatives / trace / stats` as a user runs them (fake embedders)."""

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from copydesk.cli import app
from copydesk.settings import Settings
from tests.conftest import DEMO_ARTICLES

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("fake_models")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "lib.db"
    result = runner.invoke(app, ["add", str(DEMO_ARTICLES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def ids_by_title(db):
    result = runner.invoke(app, ["trace", "--db", str(db), "--json"])
    data = json.loads(result.stdout)
    return {title: i for c in data["clusters"] for i, title in c["titles"].items()}


def test_add_prints_ids_and_is_idempotent(db):
    again = runner.invoke(app, ["add", str(DEMO_ARTICLES), "--db", str(db)])
    assert again.exit_code == 0
    assert again.stdout == ""  # nothing new
    assert "added 0, already in the library 4, skipped 0" in again.stderr


def test_add_reports_bad_records_and_exits_1(tmp_path, db):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "ok-1", "text": "The mayor of Tull opened a 44-metre bridge on Friday, 3 years late."}\n{broken\n')
    result = runner.invoke(app, ["add", str(feed), str(tmp_path / "missing.txt"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout.startswith("ok-1\t")
    assert f"{feed}:2: malformed JSON" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert "added 1, already in the library 0, skipped 2" in result.stderr
    assert "Traceback" not in result.output


def test_a_file_name_that_is_not_utf8_is_stored_and_stops_nothing(tmp_path):
    import os
    import sqlite3

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The mayor of Tull opened a 44-metre bridge on Friday. It was 3 years late.")
    with open(os.path.join(os.fsencode(folder), b"b\xff.txt"), "w") as fh:
        fh.write("Floods closed the Keswick road on Monday. Engineers expect repairs to take two weeks.")
    db = tmp_path / "x.db"
    result = runner.invoke(app, ["add", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "added 2, already in the library 0, skipped 0" in result.stderr
    paths = sorted(r[0] for r in sqlite3.connect(db).execute("SELECT path FROM articles"))
    assert paths[1].endswith("b\\xff.txt")  # shown escaped, not lost


def test_sources_json_schema(db):
    result = runner.invoke(app, ["sources", str(DEMO_ARTICLES / "paraphrase_newspulse.html"), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "copydesk.sources/1"
    assert data["article"]["title"].startswith("Flood Claims Soar")
    wire = next(x for x in data["sources"] if x["title"].startswith("Flood claims in Lower Vasland rose 18%"))
    assert wire["direction"] == "source_of_article" and wire["credited"] is False
    best = data["sources"][0]
    for key in ("id", "relation", "confidence", "shared_facts", "verdict_counts"):
        assert key in best
    assert set(best["verdict_counts"]) == {"supported", "distorted", "unsupported"}


def test_several_articles_give_one_json_object_per_line(db):
    ids = ids_by_title(db)
    wire = next(i for t, i in ids.items() if t.startswith("Flood claims in Lower Vasland"))
    farm = next(i for t, i in ids.items() if t.startswith("Flood Claims Soar"))
    result = runner.invoke(app, ["derivatives", wire, farm, "--db", str(db), "--json"])
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert first["schema"] == "copydesk.derivatives/1" and first["article"]["id"] == wire
    assert farm in [d["id"] for d in first["derivatives"]]
    assert all(d["direction"] == "derived_from_article" for d in first["derivatives"])
    assert second["article"]["id"] == farm


def test_trace_json_graphml_and_dot(db, tmp_path):
    graphml, dot = tmp_path / "t.graphml", tmp_path / "t.dot"
    result = runner.invoke(app, ["trace", "--db", str(db), "--json", "--graphml", str(graphml), "--dot", str(dot)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "copydesk.trace/1"
    (story,) = data["clusters"]
    assert story["titles"][story["root"]].startswith("Flood claims in Lower Vasland rose 18%")
    assert len(story["edges"]) == len(story["members"]) - 1
    assert {"source", "derived", "relation", "confidence", "credited", "distortions"} <= set(story["edges"][0])
    root = ET.parse(graphml).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == len(story["members"])
    assert len(root.findall(".//g:edge", ns)) == len(story["edges"])
    text = dot.read_text()
    assert text.startswith("digraph") and text.count("->") == len(story["edges"])


def test_escape_codes_in_articles_never_reach_the_terminal_raw(tmp_path):
    """Titles and text with a window-title OSC, a screen clear, an OSC 8 link and rich markup."""
    hostile = "\x1b]0;pwned\x07Flood \x1b[2J[bold red]claims[/] \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ \x9b31m"
    body = ("Flood claims in Lower Vasland rose 18% in 2021, the insurer Nordhav said on Tuesday. "
            "Nordhav paid 4,120 households after the Keswick River burst its banks twice in March.")
    source, copy = tmp_path / "source.json", tmp_path / "copy.json"
    source.write_text(json.dumps({"id": "src", "title": hostile, "text": body, "site": "Wire\x1b[31m",
                                  "published": "2021-04-01"}))
    copy.write_text(json.dumps({"id": "cp", "title": "Copy " + hostile, "text": body + " \x1b[2J Share this.",
                                "published": "2021-04-02"}))
    db = tmp_path / "lib.db"
    graphml = tmp_path / "t.graphml"
    runs = [
        ["add", str(source), str(copy), "--db", str(db)],
        ["sources", "cp", "--db", str(db)],
        ["derivatives", "src", "--db", str(db)],
        ["trace", "--db", str(db), "--graphml", str(graphml), "--dot", str(tmp_path / "t.dot")],
        ["stats", "--db", str(db)],
        ["compare", str(source), str(copy)],
        ["sources", "\x1b[2Jnope", "--db", str(db)],  # the error quotes what was typed
    ]
    for args in runs:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 2), (args, result.output)
        assert "\x1b" not in result.output and "\x9b" not in result.output and "\x07" not in result.output, args
    assert "\\x1b]0;pwned" in runner.invoke(app, ["trace", "--db", str(db)]).output  # shown, not obeyed
    ET.parse(graphml)  # well-formed XML though the titles hold control characters
    assert "\x1b" not in (tmp_path / "t.dot").read_text()


def test_trace_and_stats_terminal_output(db):
    result = runner.invoke(app, ["trace", "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "Flood claims in Lower Vasland rose 18%" in result.stdout
    assert "uncredited" in result.stdout
    stats = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    rows = {r["site"]: r for r in json.loads(stats.stdout)["outlets"]}
    assert rows["NewsPulse Today"]["retellings"] == 1 and rows["NewsPulse Today"]["uncredited"] == 1


def test_bad_library_file_is_one_line_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 200)
    result = runner.invoke(app, ["stats", "--db", str(junk)])
    assert result.exit_code == 2
    assert "not a copydesk library" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["sources", "x", "--db", str(tmp_path / "typo.db")])
    assert result.exit_code == 2 and "typo.db: no library here" in result.stderr
    assert not (tmp_path / "typo.db").exists()  # reading never creates a library


def test_unknown_article_is_one_line_error(db):
    result = runner.invoke(app, ["sources", "nope", "--db", str(db)])
    assert result.exit_code == 2 and "nope: neither an article id in the library nor a file" in result.stderr


def test_killed_add_leaves_the_library_intact_and_resumable(tmp_path):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    feed = tmp_path / "feed.jsonl"
    with feed.open("w") as fh:
        for i in range(600):
            text = f"Story {i}. The council of Town{i} approved {i * 7 + 11} new homes on Monday, mayor Name{i} said. Work starts in {2000 + i % 30}."
            fh.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    db = tmp_path / "lib.db"
    command = [sys.executable, "-m", "copydesk.cli", "add", str(feed), "--db", str(db), "--batch-size", "10"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def count() -> int:
        try:
            with sqlite3.connect(db) as con:
                return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            return 0

    deadline = time.time() + 60
    while count() < 20 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        per_article = con.execute("SELECT count(*) FROM lsh GROUP BY article").fetchall()
    assert 20 <= stored < 600, "the kill should land mid-run"
    assert stored % 10 == 0  # whole batches only
    bands = Settings().lsh_bands
    assert len(per_article) == stored and {n for (n,) in per_article} == {bands}  # every stored article fully indexed
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"added {600 - stored}, already in the library {stored}, skipped 0" in rerun.stderr
    assert count() == 600


def test_a_one_sentence_brief_is_matched_against_the_leads_and_says_so(db, tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text("Vasland insurers logged 4,120 flood claims in 2021, 18% more than a year earlier, the council said.\n")
    text = runner.invoke(app, ["sources", str(brief), "--db", str(db)], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "brief ~ lead" in text.stdout
    data = json.loads(runner.invoke(app, ["sources", str(brief), "--db", str(db), "--json"]).stdout)
    wire = next(x for x in data["sources"] if x["title"].startswith("Flood claims in Lower Vasland rose 18%"))
    assert 0 < wire["lead_similarity"] <= 1
