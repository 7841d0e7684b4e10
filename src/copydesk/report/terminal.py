"""Readable terminal report with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from copydesk.models import CompareResult, SegmentedDocument

_VERDICT_STYLE = {"supported": "green", "distorted": "yellow", "unsupported": "red"}


def _name(seg: SegmentedDocument) -> str:
    doc = seg.document
    return doc.title or doc.path or doc.id


def render(result: CompareResult, console: Console) -> None:
    s = result.summary
    headline = Text()
    headline.append("Same story" if s.same_story else "Not the same story", style="bold green" if s.same_story else "bold red")
    headline.append(
        f"  ·  {s.derived_backed_share:.0%} of the derived text is backed by the source"
        f"  ·  {s.source_reused_share:.0%} of the source is reused"
    )
    counts = {k: sum(v.verdict == k for v in result.verdicts) for k in _VERDICT_STYLE}
    omitted = len(result.omissions)
    tally = Text(
        "  ".join(f"{n} {k}" for k, n in counts.items())
        + f"  ·  {omitted} source sentence{'' if omitted == 1 else 's'} omitted"
    )
    console.print(
        Panel(
            Group(
                Text(f"source:  {_name(result.source)}"),
                Text(f"derived: {_name(result.derived)}"),
                headline,
                tally,
            ),
            title="copydesk compare",
            expand=True,
        )
    )
    for doc in (result.source, result.derived):
        for warning in doc.document.warnings:
            console.print(f"[yellow]warning:[/] {warning}")

    by_derived = {i: a for a in result.alignments for i in a.derived}
    table = Table(title="Derived sentences and their source", show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("derived", ratio=1)
    table.add_column("source", ratio=1)
    table.add_column("score", justify="right", width=6)
    table.add_column("verdict", width=11)
    src = result.source.sentences
    for v in result.verdicts:
        sentence = result.derived.sentences[v.derived]
        alignment = by_derived.get(v.derived)
        if alignment is not None:
            source_text = Text(" ".join(f"[{j}] {src[j].text}" for j in alignment.source))
            score = f"{alignment.score:.2f}"
        else:
            source_text = Text("—", style="dim")
            score = ""
        label = v.verdict + (f"\n({v.addition})" if v.addition else "")
        cell = Text(sentence.text)
        for finding in v.findings:
            cell.append(f"\n▸ {finding.kind}: {finding.explanation}", style="yellow")
        table.add_row(str(v.derived), cell, source_text, score, Text(label, style=_VERDICT_STYLE[v.verdict]))
    console.print(table)

    if result.omissions:
        omitted = Table(title="Source sentences not reused (numbers and quotes first)", expand=True)
        omitted.add_column("#", justify="right", width=3)
        omitted.add_column("source sentence", ratio=3)
        omitted.add_column("facts it carried", ratio=1)
        for o in result.omissions:
            omitted.add_row(str(o.source), src[o.source].text, ", ".join(o.facts), style=None)
        console.print(omitted)
    boiler = [b for seg in (result.source, result.derived) for b in seg.boilerplate]
    if boiler:
        lines = f"{len(boiler)} line{'' if len(boiler) == 1 else 's'}"
        console.print(Text(f"Boilerplate set aside ({lines}): ", style="dim") + Text(
            "; ".join(f"{b.reason}: {b.text[:60]}" for b in boiler), style="dim"
        ))
