"""Render the README's command table from the CLI itself (as sqlite-utils does with cog), so the two
cannot drift: tests/test_docs.py fails when the committed table differs from what this renders.

    python scripts/render_cli_docs.py   # rewrites the block between <!-- cli-commands --> markers
"""

from __future__ import annotations

from pathlib import Path

import typer.main

from copydesk.cli import app
from copydesk_eval.blocks import with_block

README = Path(__file__).resolve().parents[1] / "README.md"


def command_table() -> str:
    """One row per command: its arguments, what it does (the first line of its help), its options."""
    rows = ["| command | what it does | options |", "|---|---|---|"]
    for name, command in typer.main.get_command(app).commands.items():
        arguments = " ".join(p.name.upper() for p in command.params if p.param_type_name == "argument")
        options = ", ".join(f"`{o}`" for p in command.params if p.param_type_name == "option" for o in p.opts
                            if o.startswith("--"))
        summary = (command.help or "").strip().splitlines()[0]
        rows.append(f"| `copydesk {name}{' ' + arguments if arguments else ''}` | {summary} | {options} |")
    return "\n".join(rows) + "\n"


def with_command_table(readme: str) -> str:
    return with_block(readme, "cli-commands", command_table())


if __name__ == "__main__":
    README.write_text(with_command_table(README.read_text()))
    print(f"rewrote the command table in {README}")
