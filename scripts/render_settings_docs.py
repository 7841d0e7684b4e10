"""Render docs/SETTINGS.md: every Settings field (its default and the comment above or beside it) and
every named numeric decision constant in the runtime modules, from the source itself, so the table
cannot drift (tests/test_docs.py fails when the committed file differs from what this renders).

    python scripts/render_settings_docs.py
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "copydesk"
OUT = ROOT / "docs" / "SETTINGS.md"


def comments(source: str) -> dict[int, str]:
    """Line number -> the comment on it."""
    return {tok.start[0]: tok.string.lstrip("# ").strip()
            for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT}


def described(line: int, lines: list[str], notes: dict[int, str]) -> str:
    """The comment beside line `line`, else the comment lines just above it."""
    if line in notes and not lines[line - 1].lstrip().startswith("#"):
        return notes[line]
    above = []
    n = line - 1
    while n in notes and lines[n - 1].lstrip().startswith("#"):
        above.insert(0, notes[n])
        n -= 1
    return " ".join(above)


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def settings_rows() -> list[str]:
    source = (PACKAGE / "settings.py").read_text()
    lines, notes = source.splitlines(), comments(source)
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Settings")
    rows = []
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            rows.append(f"| `{node.target.id}` | `{ast.unparse(node.value)}` | {cell(described(node.lineno, lines, notes))} |")
    return rows


def constant_rows() -> list[str]:
    rows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "settings.py":
            continue
        source = path.read_text()
        lines, notes = source.splitlines(), comments(source)
        for node in ast.parse(source).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            name = node.targets[0].id
            numeric = all(isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool)
                          for n in ast.walk(node.value) if isinstance(n, ast.Constant))
            if name.lstrip("_").isupper() and numeric and any(isinstance(n, ast.Constant) for n in ast.walk(node.value)):
                where = path.relative_to(PACKAGE.parent).as_posix()
                rows.append(f"| `{name}` | `{ast.unparse(node.value)}` | `{where}` | {cell(described(node.lineno, lines, notes))} |")
    return rows


def render() -> str:
    return "\n".join([
        "# Settings and decision constants",
        "",
        "Rendered from the source by `scripts/render_settings_docs.py`; do not edit by hand.",
        "",
        "## Settings (`copydesk.settings.Settings`)",
        "",
        "Every result records these values (`settings` in the JSON, `eval/results.json`). Fitted values",
        "come from `calibration.json`, written by the calibration scripts.",
        "",
        "| setting | default | what it decides |",
        "|---|---|---|",
        *settings_rows(),
        "",
        "## Named constants beside their use",
        "",
        "Limits, sizes and the rules' internal thresholds, each named and commented where it is used.",
        "",
        "| constant | value | module | what it decides |",
        "|---|---|---|---|",
        *constant_rows(),
        "",
    ])


if __name__ == "__main__":
    OUT.write_text(render())
    print(f"wrote {OUT}")
