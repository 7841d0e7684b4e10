"""The README's quality summary must match eval/results.json."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_eval_summary_matches_results():
    results = json.loads((ROOT / "eval" / "results.json").read_text())["alignment"]
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- eval-summary -->(.*?)<!-- /eval-summary -->", readme, re.S).group(1)
    rows = {line.split("|")[2].strip().split(" ")[0]: line for line in block.strip().splitlines()[2:]}
    for key, prefix in (("bump_retelling", "BUMP"), ("mrpc_test", "MRPC")):
        cells = [c.strip() for c in rows[prefix].split("|")[3:6]]
        expected = [f"{100 * results[key][m]:.1f}" for m in ("f1", "precision", "recall")]
        assert cells == expected, f"README row for {key} says {cells}, results.json says {expected}"


def test_readme_claims_summary_matches_results():
    results = json.loads((ROOT / "eval" / "results.json").read_text())["claims"]
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- claims-summary -->(.*?)<!-- /claims-summary -->", readme, re.S).group(1)
    cells = [line.split("|")[2].strip() for line in block.strip().splitlines()[2:]]
    keys = ["bump", "summedits_news", "frank_cnndm", "frank_xsum", "xsumfaith"]
    assert cells == [f"{100 * results[k]['balanced_accuracy']:.1f}" for k in keys]


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_schema_doc_names_every_field_compare_writes(fake_embedder):
    from copydesk import compare, to_json_dict

    data = to_json_dict(compare("The strike ended on Tuesday after 12 days.\nRead more: strikes", "The strike ended on Tuesday.\nIt was cold.", embedder=fake_embedder))
    doc = (ROOT / "docs" / "schema.md").read_text()
    undocumented = sorted({k for k in _keys(data) if not re.search(rf"\b{re.escape(k)}\b", doc)} - set(data["settings"]))
    assert undocumented == []


def test_schema_doc_names_every_field_the_library_commands_write(settings, story_documents):
    from copydesk.align.embedder import HashingEmbedder
    from copydesk.library import Library
    from copydesk.report.library import related_json, stats_json, trace_json
    from copydesk.store.memory import MemoryStore

    library = Library(MemoryStore(), settings, embedder=HashingEmbedder())
    library.add(story_documents.values())
    title_of = lambda i: library.article(i).title  # noqa: E731
    article, relations = library.sources(story_documents["paraphrase_newspulse"].id)
    clusters = library.trace()
    written = [
        related_json("sources", article, relations, title_of),
        related_json("derivatives", article, relations, title_of),
        trace_json(clusters, title_of),
        stats_json(library.stats(clusters)),
    ]
    doc = (ROOT / "docs" / "schema.md").read_text()
    keys = {k for data in written for k in _keys(data)} - {c.id for c in clusters} - set(library.store.article_ids())
    undocumented = sorted(k for k in keys if not re.search(rf"\b{re.escape(k)}\b", doc))
    assert undocumented == []


def test_readme_tracing_summary_matches_results():
    results = json.loads((ROOT / "eval" / "results.json").read_text())["tracing"]["default"]
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- tracing-summary -->(.*?)<!-- /tracing-summary -->", readme, re.S).group(1)
    cells = [line.split("|")[2].strip() for line in block.strip().splitlines()[2:]]
    expected = [
        results["paraphrased"]["source_recall_at_5"],
        results["paraphrased"]["candidate_recall_at_5"],
        results["paraphrased"]["minhash_only_top1"],
        results["all"]["direction_accuracy"],
        results["relation_accuracy"],
        results["independent_false_copy"],
    ]
    assert cells == [f"{v:.1f}" for v in expected]


RETOLD_ROWS = (
    ("default", "drifts_caught"), ("default", "drifts_right_kind"), ("default", "faithful_distorted_share"),
    ("default", "additions_unsupported"), ("default", "boilerplate_set_aside"),
    ("faithful_text", "bump_references", "summaries_flagged"),
)


def retold_summary_cells(readme: str) -> list[str]:
    block = re.search(r"<!-- retold-summary -->(.*?)<!-- /retold-summary -->", readme, re.S).group(1)
    return [line.split("|")[2].strip() for line in block.strip().splitlines()[2:]]


def expected_retold_cells(results: dict) -> list[str]:
    cells = []
    for path in RETOLD_ROWS:
        value = results
        for key in path:
            value = value[key]
        cells.append(f"{100 * value:.1f}")
    return cells


def test_readme_retold_summary_matches_results():
    results = json.loads((ROOT / "eval" / "results.json").read_text())["retold"]
    assert retold_summary_cells((ROOT / "README.md").read_text()) == expected_retold_cells(results)


def test_the_retold_check_fails_on_a_stale_figure():
    results = json.loads((ROOT / "eval" / "results.json").read_text())["retold"]
    stale = json.loads(json.dumps(results))
    stale["default"]["drifts_caught"] += 0.01
    assert retold_summary_cells((ROOT / "README.md").read_text()) != expected_retold_cells(stale)


def test_readme_limits_match_the_settings():
    """The sizes "Limits and safety" states are the ones copydesk enforces."""
    from copydesk.settings import Settings

    text = (Path(__file__).parent.parent / "README.md").read_text()
    section = text[text.index("### Limits and safety"):text.index("### `copydesk demo")]
    s = Settings()
    assert f"`max_bytes` ({s.max_bytes:,} bytes" in section
    assert f"`max_sentences`\n  ({s.max_sentences:,})" in section


def _load(relative: str):
    """A module of the repository that is not in a package (benchmarks/, scripts/)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(Path(relative).stem, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bench_common():
    return _load("benchmarks/_common.py")


def test_readme_speed_summary_is_rendered_from_the_benchmark_results():
    common = _bench_common()
    results = json.loads(common.RESULTS.read_text())
    readme = common.README.read_text()
    assert {"compare", "claims"} <= set(results)
    assert common.with_speed_summary(readme, results) == readme, "README speed figures differ from benchmarks/results.json"


def test_a_stale_speed_figure_fails_the_check():
    common = _bench_common()
    results = json.loads(common.RESULTS.read_text())
    readme = common.README.read_text()
    rendered = f"{results['compare']['default_pairs_per_s']:.2f} article pairs/s"
    assert rendered in readme
    stale = readme.replace(rendered, f"{results['compare']['default_pairs_per_s'] + 1:.2f} article pairs/s")
    assert common.with_speed_summary(stale, results) != stale


def test_the_runtime_package_imports_nothing_from_the_evaluation():
    import ast

    offenders = []
    for path in sorted((ROOT / "src" / "copydesk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "copydesk_eval" or n.startswith("copydesk.evaluate")]
    assert offenders == []


def test_readme_command_table_is_rendered_from_the_cli():
    cli_docs = _load("scripts/render_cli_docs.py")
    readme = (ROOT / "README.md").read_text()
    assert cli_docs.with_command_table(readme) == readme, "README command table differs: python scripts/render_cli_docs.py"
    stale = readme.replace("`--json`, `--html`, ", "`--html`, ", 1)  # an option dropped from the table by hand
    assert stale != readme and cli_docs.with_command_table(stale) != stale


def test_settings_doc_is_rendered_from_the_source_and_describes_every_value():
    settings_docs = _load("scripts/render_settings_docs.py")
    assert settings_docs.OUT.read_text() == settings_docs.render(), "docs/SETTINGS.md differs: python scripts/render_settings_docs.py"
    rows = settings_docs.settings_rows() + settings_docs.constant_rows()
    assert any("`ROUNDING_TOLERANCE` | `0.12`" in row for row in rows)  # a rule's constant is listed with its value
    assert [row for row in rows if row.rstrip().endswith("|  |")] == []  # each says what it decides


def test_evaluation_doc_is_rendered_from_the_results():
    from copydesk_eval.harness import markdown

    results = json.loads((ROOT / "eval" / "results.json").read_text())
    committed = (ROOT / "docs" / "EVALUATION.md").read_text()
    assert committed == markdown(results, ROOT), "docs/EVALUATION.md differs from eval/results.json: rerun make eval"
    figure = f"**{100 * results['claims']['bump']['balanced_accuracy']:.1f}**"
    assert figure in committed
    assert committed.replace(figure, "**99.9**", 1) != markdown(results, ROOT)  # a typed-over figure is caught


def test_web_and_evaluation_functions_stay_short():
    import ast

    long_ones = []
    for folder in ("src/copydesk/web", "src/copydesk_eval"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 80:
                    long_ones.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
                if isinstance(node, ast.FunctionDef) and node.name == "create_app":
                    assert node.end_lineno - node.lineno < 60
    assert long_ones == []
