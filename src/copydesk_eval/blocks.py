"""Rendered blocks in hand-written docs: the text between <!-- name --> and <!-- /name --> markers is
generated (by the evaluation, the benchmarks or scripts/render_cli_docs.py) and checked by tests."""

from __future__ import annotations

import re


def with_block(text: str, name: str, body: str) -> str:
    """`text` with `body` between its <!-- name --> and <!-- /name --> markers (appended when absent)."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    return text.rstrip() + "\n\n" + block + "\n"
