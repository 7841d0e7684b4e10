import json

import pytest
from typer.testing import CliRunner

import copydesk.pipeline
from copydesk.align.embedder import HashingEmbedder
from copydesk.cli import app

runner = CliRunner()
SOURCE = "The strike at the port ended on Tuesday after 12 days, officials said.\nDockworkers won a 4% raise, the union said.\n"
DERIVED = "Officials said the port strike ended on Tuesday after 12 days.\nThe union said dockworkers won a 4% raise.\nExperts say the coming years will be crucial.\n"


pytestmark = pytest.mark.usefixtures("fake_models")


@pytest.fixture
def pair(tmp_path):
    (tmp_path / "s.txt").write_text(SOURCE)
    (tmp_path / "d.txt").write_text(DERIVED)
    return tmp_path / "s.txt", tmp_path / "d.txt"


def test_compare_prints_report(pair):
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1])], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Same story" in result.output
    assert "Experts say the coming years" in result.output and "unsupported" in result.output


def test_compare_json_and_html(pair, tmp_path):
    page = tmp_path / "r.html"
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1]), "--json", "--html", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "copydesk.compare/1"
    assert [v["verdict"] for v in data["verdicts"]] == ["supported", "supported", "unsupported"]
    assert page.read_text().startswith("<!doctype html>")


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "e.txt").write_text("   ") and d / "e.txt", "empty file"),
        (lambda d: (d / "b.bin").write_bytes(b"\x00\x01\x02" * 100) and d / "b.bin", "binary file"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(pair, tmp_path, setup, message):
    bad = setup(tmp_path)
    result = runner.invoke(app, ["compare", str(pair[0]), str(bad)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and str(bad) in lines[0]
    assert "Traceback" not in result.output


def test_too_big_input_names_the_limit(pair):
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1]), "--max-bytes", "50"])
    assert result.exit_code == 2 and "over the 50-byte limit" in result.output


def test_batch_runs_good_lines_and_reports_bad_ones(pair, tmp_path):
    batch = tmp_path / "pairs.jsonl"
    batch.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "source": SOURCE, "derived": DERIVED}),
                "{not json",
                json.dumps({"id": "b", "source_path": "s.txt", "derived_path": "d.txt"}),
                json.dumps({"id": "c", "source": SOURCE}),
                json.dumps({"id": "d", "source_path": "s.txt", "derived_path": "nope.txt"}),
            ]
        )
    )
    result = runner.invoke(app, ["compare", "--batch", str(batch)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == ["a", "b"]
    assert all(r["schema"] == "copydesk.compare/1" for r in out)
    assert f"{batch}:2: malformed JSON" in result.stderr
    assert f"{batch}:4: needs 'derived'" in result.stderr
    assert f"{batch}:5 derived_path: " in result.stderr and "nope.txt: no such file" in result.stderr


def test_compare_without_arguments_says_what_it_needs():
    result = runner.invoke(app, ["compare"])
    assert result.exit_code == 2 and "needs SOURCE and DERIVED" in result.output


def test_fast_flag_selects_the_static_embedder_rule_names_and_their_calibration(pair, monkeypatch):
    from copydesk.settings import CAPITALISED, STATIC, Settings

    chosen = []

    def factory(settings):
        chosen.append(settings)
        return HashingEmbedder()

    monkeypatch.setattr(copydesk.pipeline, "make_embedder", factory)
    result = runner.invoke(app, ["compare", str(pair[0]), str(pair[1]), "--json", "--fast"])
    assert result.exit_code == 0, result.output
    assert chosen[0].embedder == STATIC
    saved = json.loads(result.stdout)["settings"]
    assert saved["match_threshold"] == Settings.load(embedder=STATIC).match_threshold
    assert saved["entity_tagger"] == CAPITALISED
