"""The `copydesk` command: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from copydesk.errors import CopydeskError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Trace retold news back to its source and show, sentence by sentence, what changed.",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _settings(max_bytes: int | None, fast: bool = False):
    from copydesk.settings import STATIC, Settings

    overrides = {"max_bytes": max_bytes} if max_bytes else {}
    return Settings.load(**overrides, **({"embedder": STATIC} if fast else {}))


@app.command()
def compare(
    source: Annotated[Optional[Path], typer.Argument(help="The original article (text, HTML, JSON).")] = None,
    derived: Annotated[Optional[Path], typer.Argument(help="The suspected retelling.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the copydesk.compare/1 JSON instead of the report.")] = False,
    html_out: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML page here.")] = None,
    batch: Annotated[Optional[Path], typer.Option("--batch", help="JSONL of {id, source, derived} or {id, source_path, derived_path}.")] = None,
    max_bytes: Annotated[Optional[int], typer.Option(help="Largest input accepted, in bytes.")] = None,
    fast: Annotated[bool, typer.Option("--fast", help="Static embeddings instead of MiniLM: far faster, less exact (see docs/EVALUATION.md).")] = False,
) -> None:
    """Align DERIVED with SOURCE and judge every derived sentence."""
    try:
        settings = _settings(max_bytes, fast)
        if batch is not None:
            _compare_batch(batch, settings)
            return
        if source is None or derived is None:
            _fail("compare needs SOURCE and DERIVED (or --batch FILE)")
        from copydesk.pipeline import compare as run_compare
        from copydesk.ingest import load_document

        src_doc = load_document(source, settings)
        der_doc = load_document(derived, settings)
        for warning in src_doc.warnings + der_doc.warnings:
            err.print(f"[yellow]warning:[/] {warning}", highlight=False)
        result = run_compare(src_doc, der_doc, settings=settings)
        if html_out is not None:
            from copydesk.report.html import render_html

            _write_text(html_out, render_html(result))
        if json_out:
            from copydesk.report.json import to_json_dict

            sys.stdout.write(json.dumps(to_json_dict(result), ensure_ascii=False, indent=2) + "\n")
        else:
            from copydesk.report.terminal import render

            render(result, Console())
            if html_out is not None:
                Console().print(f"HTML report: {html_out}")
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)


def _write_text(path: Path, text: str) -> None:
    """Write via a temporary file so a failed run never leaves half a report."""
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        _fail(f"{path}: cannot write ({exc.strerror})")


def _compare_batch(batch: Path, settings) -> None:
    from rich.progress import Progress

    from copydesk.batch import BatchError, run_batch
    from copydesk.ingest.decode import decode_bytes

    if not batch.is_file():
        _fail(f"{batch}: {'is a directory, expected a file' if batch.is_dir() else 'no such file'}")
    lines = decode_bytes(batch.read_bytes(), str(batch), max(settings.max_bytes, 1 << 30)).splitlines()
    errors: list[BatchError] = []

    def report(e: BatchError) -> None:
        errors.append(e)
        err.print(f"[bold red]skipped:[/] {e.message}", highlight=False, soft_wrap=True)

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("comparing", total=sum(1 for line in lines if line.strip()))
        for result in run_batch(lines, where=str(batch), base=batch.parent, settings=settings, on_error=report):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()
            progress.advance(task)
        progress.update(task, completed=progress.tasks[0].total)
    if errors:
        err.print(f"{len(errors)} line(s) skipped", highlight=False)
        raise typer.Exit(1)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the HTML reports.")] = Path("copydesk-demo"),
) -> None:
    """Compare the bundled example articles and write HTML reports."""
    from copydesk.demo import run_demo

    try:
        run_demo(out, Console())
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
