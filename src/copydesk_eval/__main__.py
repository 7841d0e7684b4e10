"""`python -m copydesk_eval` (make eval): run the evaluators on real labelled data; rewrite
docs/EVALUATION.md and eval/results.json; check eval/floors.json.

The evaluation lives beside the runtime package, not in it: `pip install copydesk` does not ship it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from copydesk.errors import CopydeskError
from copydesk.report import terminal
from copydesk_eval.harness import EVALUATORS, evaluate_and_write

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)


def say(label: str, message: object, style: str = "bold red") -> None:
    terminal.say(err, label, message, style)


@app.command()
def evaluate(
    data: Annotated[Path, typer.Option(help="The labelled datasets (see their README).")] = Path("../shared/data"),
    root: Annotated[Path, typer.Option(help="Where eval/ and docs/ are written.")] = Path("."),
    only: Annotated[Optional[list[str]], typer.Option(help="Run only this evaluator (alignment, claims, tracing, generated, taggers, retold, provenance).")] = None,
    check_floors: Annotated[bool, typer.Option("--check-floors", help="Exit 1 when a score is below eval/floors.json.")] = False,
    ci: Annotated[bool, typer.Option("--ci", help="The quick subset (make eval-check); writes eval/results-ci.json.")] = False,
) -> None:
    """Run the evaluators on real labelled data; rewrite docs/EVALUATION.md and eval/results.json."""
    unknown = sorted(set(only or ()) - set(EVALUATORS))
    if unknown:
        say("error:", f"unknown evaluator {', '.join(unknown)}; choose from {', '.join(EVALUATORS)}")
        raise typer.Exit(2)
    if not data.is_dir():
        say("error:", f"{data}: no such folder; point --data at the evaluation datasets (../shared/data)")
        raise typer.Exit(2)
    try:
        results, failures, checked, not_held = evaluate_and_write(data, root, only, ci=ci, check_floors=check_floors)
    except CopydeskError as exc:
        say("error:", str(exc))
        raise typer.Exit(exc.exit_code) from None
    written = root / "eval" / ("results-ci.json" if ci else "results.json")
    Console().print(f"wrote {written}" + ("" if ci else f" and {root / 'docs' / 'EVALUATION.md'}"), highlight=False)
    if check_floors and checked:
        say(f"floors checked ({len(checked)}):", ", ".join(checked), "green")
    if check_floors and not_held:
        say(f"floors not held by this run ({len(not_held)}):", ", ".join(not_held), "yellow")
    for failure in failures:
        say("below floor:", failure)
    if failures:
        raise typer.Exit(1)


if __name__ == "__main__":
    app(prog_name="python -m copydesk_eval")
