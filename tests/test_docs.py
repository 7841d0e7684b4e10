"""The README's quality summary must match eval/results.json."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_summaries_are_rendered_from_the_results():
    from copydesk_eval.report import readme

    results = json.loads((ROOT / "eval" / "results.json").read_text())
    committed = (ROOT / "README.md").read_text()
    assert committed == readme(results, committed), "README.md's summary blocks differ from eval/results.json: rerun make eval"
    stale = json.loads(json.dumps(results))
    stale["retold"]["default"]["drifts_caught"] += 0.01
    stale["tracing"]["default"]["paraphrased"]["source_recall_at_5"] -= 1
    rendered = readme(stale, committed)
    assert rendered != committed  # a stale figure is caught
    assert f"| {100 * stale['retold']['default']['drifts_caught']:.1f} | ≥ 85 |" in rendered


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
    from copydesk_eval.report import markdown

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
