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


def test_schema_doc_names_every_json_field():
    from copydesk.report.json import to_json_dict  # noqa: F401  (the schema doc describes its output)

    doc = (ROOT / "docs" / "schema.md").read_text()
    for field in ("schema", "alignments", "verdicts", "omitted", "summary", "boilerplate", "same_story", "derived_backed_share", "source_reused_share"):
        assert f"`{field}`" in doc
