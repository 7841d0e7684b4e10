"""The `copydesk` command: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from copydesk.errors import CopydeskError, require_extra
from copydesk.report.safe_text import for_terminal
from copydesk.report.terminal import say

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Trace retold news back to its source and show, sentence by sentence, what changed.",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _say(label: str, message: object, style: str = "bold red") -> None:
    """One line on stderr (report.terminal.say)."""
    say(err, label, message, style)


def _fail(message: str, code: int = 2) -> None:
    _say("error:", message)
    raise typer.Exit(code)


def _settings(max_bytes: int | None, fast: bool = False):
    from copydesk.settings import FAST, Settings

    overrides = {"max_bytes": max_bytes} if max_bytes else {}
    return Settings.load(**overrides, **(FAST if fast else {}))


@app.command()
def compare(
    source: Annotated[Optional[str], typer.Argument(help="The original article (text, HTML, JSON).")] = None,
    derived: Annotated[Optional[str], typer.Argument(help="The suspected retelling.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the copydesk.compare/1 JSON instead of the report.")] = False,
    html_out: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML page here.")] = None,
    batch: Annotated[Optional[Path], typer.Option("--batch", help="JSONL of {id, source, derived} or {id, source_path, derived_path}.")] = None,
    workers: Annotated[int, typer.Option(min=0, help="With --batch: pairs compared at once, each on a thread (0: one per core).")] = 0,
    max_bytes: Annotated[Optional[int], typer.Option(help="Largest input accepted, in bytes.")] = None,
    fast: Annotated[bool, typer.Option("--fast", help="Static embeddings instead of MiniLM and names by capitalisation instead of spaCy: far faster, less exact (see docs/EVALUATION.md).")] = False,
) -> None:
    """Align DERIVED with SOURCE and judge every derived sentence."""
    try:
        settings = _settings(max_bytes, fast)
        if batch is not None:
            if source is not None or derived is not None:
                _fail("give SOURCE and DERIVED, or --batch FILE, not both")
            _compare_batch(batch, settings, workers)
            return
        if source is None or derived is None:
            _fail("compare needs SOURCE and DERIVED (or --batch FILE)")
        from copydesk.pipeline import compare as run_compare
        from copydesk.ingest import load_document

        src_doc = load_document(source, settings)
        der_doc = load_document(derived, settings)
        for warning in src_doc.warnings + der_doc.warnings:
            _say("warning:", warning, "yellow")
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
                Console().print(Text(for_terminal(f"HTML report: {html_out}")))
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


def _compare_batch(batch: Path, settings, workers: int) -> None:
    from rich.progress import Progress

    from copydesk.batch import BatchError, run_batch
    from copydesk.ingest.decode import decode_bytes

    if not batch.is_file():
        _fail(f"{batch}: {'is a directory, expected a file' if batch.is_dir() else 'no such file'}")
    lines = decode_bytes(batch.read_bytes(), str(batch), max(settings.max_bytes, 1 << 30)).splitlines()
    errors: list[BatchError] = []

    def report(e: BatchError) -> None:
        errors.append(e)
        _say("skipped:", e.message)

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("comparing", total=sum(1 for line in lines if line.strip()))
        for result in run_batch(lines, where=str(batch), base=batch.parent, settings=settings, on_error=report, workers=workers):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()
            progress.advance(task)
        progress.update(task, completed=progress.tasks[0].total)
    if errors:
        err.print(f"{len(errors)} line(s) skipped", highlight=False)
        raise typer.Exit(1)


DbOption = Annotated[Path, typer.Option("--db", help="The library file (SQLite).")]
DEFAULT_DB = Path("copydesk.db")


def _library(db: Path, fast: bool = False, max_bytes: int | None = None, create: bool = False):
    """Only `add` creates a library; the commands that read one refuse a path with none."""
    from copydesk.library import Library

    from copydesk.store.sqlite import can_write

    if not create and not db.exists():
        _fail(f"{db}: no library here; create one with copydesk add PATH --db {db}")
    read_only = db.is_file() and not can_write(db)
    if read_only and create:
        _fail(f"{db}: no write permission; nothing can be added")
    if read_only:
        _say("notice:", f"{db}: no write permission, opened read-only (relations found now are not kept)", "yellow")
    return Library.open(db, _settings(max_bytes, fast), read_only=read_only)


@app.command()
def add(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, JSON/JSONL, WARC; - for stdin.")],
    db: DbOption = DEFAULT_DB,
    batch_size: Annotated[int, typer.Option(help="Articles per committed batch.")] = 100,
    max_bytes: Annotated[Optional[int], typer.Option(help="Largest article accepted, in bytes.")] = None,
) -> None:
    """Add articles to the library (re-adding is a no-op; an interrupted run resumes)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from copydesk.ingest.stream import iter_documents

    skipped = 0
    report = None

    def on_error(exc: CopydeskError) -> None:
        nonlocal skipped
        skipped += 1
        _say("skipped:", exc)

    try:
        with _library(db, max_bytes=max_bytes, create=True) as library:
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as progress:
                task = progress.add_task("adding")
                shown = 0

                def on_progress(r) -> None:
                    nonlocal shown
                    for article_id in r.added[shown:]:
                        record = library.store.get(article_id)
                        sys.stdout.write(for_terminal(f"{article_id}\t{(record.title if record else None) or ''}") + "\n")
                    shown = len(r.added)
                    sys.stdout.flush()
                    progress.update(task, description=f"added {len(r.added)}, already there {len(r.present)}")

                def warned(documents):  # as compare does: a language or date problem is said, not hidden
                    for doc in documents:
                        for warning in doc.warnings:
                            _say("warning:", warning, "yellow")
                        yield doc

                report = library.add(
                    warned(iter_documents(paths, library.settings, on_error)),
                    batch_size=batch_size,
                    on_error=on_error,
                    on_progress=on_progress,
                )
    except KeyboardInterrupt:
        _fail("interrupted: every committed batch is kept; run the same command again to resume", 130)
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
    err.print(
        f"added {len(report.added)}, already in the library {len(report.present)}, skipped {skipped} ({db})",
        highlight=False,
        soft_wrap=True,
    )
    if skipped:
        raise typer.Exit(1)


def _print_json(obj: dict, compact: bool = False) -> None:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(obj, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")


def _related(kind: str, articles: list[str], db: Path, json_out: bool, fast: bool) -> None:
    from copydesk.report.library import related_json
    from copydesk.report.terminal import render_related

    try:
        with _library(db, fast) as library:
            for ref in articles:
                article, relations = getattr(library, kind)(ref)
                title_of = _title_lookup(library)
                if json_out:
                    _print_json(related_json(kind, article, relations, title_of), compact=len(articles) > 1)
                else:
                    render_related(kind, article, relations, title_of, Console())
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)


def _title_lookup(library):
    def title_of(article_id: str) -> str | None:
        record = library.store.get(article_id)
        return record.title if record else None

    return title_of


ArticlesArgument = Annotated[list[str], typer.Argument(help="Article ids in the library, or files not yet added.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (see docs/schema.md).")]
FastOption = Annotated[bool, typer.Option("--fast", help="Confirm candidates with static embeddings and rule names (faster, less exact).")]


@app.command()
def sources(articles: ArticlesArgument, db: DbOption = DEFAULT_DB, json_out: JsonOption = False, fast: FastOption = False) -> None:
    """Likely sources of each ARTICLE, best first, with relation, direction, credit and claim check."""
    _related("sources", articles, db, json_out, fast)


@app.command()
def derivatives(articles: ArticlesArgument, db: DbOption = DEFAULT_DB, json_out: JsonOption = False, fast: FastOption = False) -> None:
    """Articles in the library retold from each ARTICLE."""
    _related("derivatives", articles, db, json_out, fast)


@app.command()
def trace(
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    graphml: Annotated[Optional[Path], typer.Option(help="Also write the provenance graph as GraphML here.")] = None,
    dot: Annotated[Optional[Path], typer.Option(help="Also write it as Graphviz DOT here.")] = None,
    fast: FastOption = False,
    engine: Annotated[str, typer.Option(help="local (the library in --db) or spark (Parquet in --input).")] = "local",
    input_dir: Annotated[Optional[Path], typer.Option("--input", help="spark: Parquet articles (copydesk export --parquet).")] = None,
    output: Annotated[Optional[Path], typer.Option(help="spark: folder for stage checkpoints, pairs, clusters and exports.")] = None,
    master: Annotated[str, typer.Option(help="spark: the Spark master URL.")] = "local[*]",
    partitions: Annotated[int, typer.Option(help="spark: shuffle partitions.")] = 8,
) -> None:
    """Story clusters over the whole library, each with its earliest source and who retold whom."""
    from rich.progress import Progress

    from copydesk.report.library import trace_dot, trace_graphml, trace_json
    from copydesk.report.terminal import render_trace

    if engine not in ("local", "spark"):
        _fail(f"--engine {engine}: choose local or spark")
    skipped = 0
    try:
        if engine == "spark":
            if input_dir is None or output is None:
                _fail("--engine spark needs --input PARQUET and --output DIR")
            clusters, title_of, skipped = _spark_trace(input_dir, output, master, partitions, fast)
        else:
            with _library(db, fast) as library:
                with Progress(console=err, transient=True) as progress:
                    task = progress.add_task("confirming candidate pairs", total=None)
                    clusters = library.trace(on_progress=lambda done, total: progress.update(task, completed=done, total=total))
                title_of = {m: library.article(m).title for c in clusters for m in c.members}.get
        if graphml is not None:
            _write_text(graphml, trace_graphml(clusters, title_of))
        if dot is not None:
            _write_text(dot, trace_dot(clusters, title_of))
        if json_out:
            _print_json(trace_json(clusters, title_of))
        else:
            render_trace(clusters, title_of, Console())
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
    if skipped:
        raise typer.Exit(1)  # some input skipped, as `add` reports it


def _spark_trace(input_dir: Path, output: Path, master: str, partitions: int, fast: bool):
    """Run the Spark engine; stage progress and the summary go to stderr."""
    import json

    from copydesk.engines.spark import SparkEngine, run_summary

    def report(stage) -> None:
        how = "resumed from checkpoint" if stage.resumed else f"{stage.seconds} s"
        err.print(f"stage {stage.stage}: {stage.rows:,} rows ({how})", highlight=False)

    run = SparkEngine(
        input_dir, output, _settings(None, fast), master=master, partitions=partitions, on_stage=report, collect_pairs=False
    ).trace()
    summary = run_summary(run)
    err.print(
        f"{summary['articles']:,} articles, {summary['candidate_pairs']:,} candidate pairs, "
        f"{summary['confirmed_pairs']:,} confirmed, {summary['clusters']:,} stories; outputs in {output}",
        highlight=False,
    )
    if run.skipped:
        _say("skipped:", f"{input_dir}: {run.skipped:,} row(s) without an id or text, with an id seen before, or with no text to read")
    titles = json.loads((output / "trace.json").read_text(encoding="utf-8"))
    title_of = {m: t for c in titles["clusters"] for m, t in c["titles"].items()}.get
    return list(run.clusters), title_of, run.skipped


@app.command()
def export(
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder to write the articles to, as Parquet.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the library's articles (text, metadata, spans, index signals) as Parquet (copydesk.articles/1)."""
    from copydesk.parquet import export_articles

    try:
        require_extra("pyarrow", "parquet", "copydesk export --parquet")
        with _library(db) as library:
            count = export_articles(library, parquet)
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
    Console().print(f"wrote {count:,} articles to {parquet}", highlight=False)


@app.command()
def stats(db: DbOption = DEFAULT_DB, json_out: JsonOption = False, fast: FastOption = False) -> None:
    """Per outlet: articles, retellings, share uncredited, distortions per retelling."""
    from copydesk.report.library import stats_json
    from copydesk.report.terminal import render_stats

    try:
        with _library(db, fast) as library:
            rows = library.stats()
        if json_out:
            _print_json(stats_json(rows))
        else:
            render_stats(rows, Console())
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback exposes the library.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    read_only: Annotated[bool, typer.Option("--read-only", help="Open the library read-only: no uploads are stored.")] = False,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", help="Also answer requests addressed to this host name (loopback names and --host always are).")] = None,
    fast: FastOption = False,
) -> None:
    """The web app: library, articles, pairs side by side, stories, outlets, compare."""
    try:
        for module in ("fastapi", "uvicorn", "jinja2", "multipart"):
            require_extra(module, "web", "copydesk serve")
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)
    from copydesk.web.app import serve as run_server

    if not db.exists():
        _fail(f"{db}: no library here; create one with copydesk add PATH --db {db} (or run copydesk demo)")
    if not 0 < port < 65536:
        _fail(f"--port {port}: not a port number")
    from copydesk.store.sqlite import can_write

    if not read_only and not can_write(db):
        _say("notice:", f"{db}: no write permission, serving it read-only", "yellow")
        read_only = True
    if host not in ("127.0.0.1", "localhost", "::1"):
        _say("warning:", f"--host {host} serves the library beyond this machine; the web app has no accounts", "yellow")
    try:
        run_server(db, host=host, port=port, read_only=read_only, settings=_settings(None, fast), allow_hosts=allow_host or ())
    except CopydeskError as exc:
        _fail(str(exc), exc.exit_code)


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
    import sqlite3

    try:
        app()
    except sqlite3.DatabaseError as exc:  # met mid-command: damaged pages, a full disk
        _say("error:", f"the library file cannot be read or written ({exc}); nothing more was changed")
        sys.exit(2)


if __name__ == "__main__":
    main()
