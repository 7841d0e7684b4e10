"""Readable terminal report with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from copydesk.models import CompareResult, SegmentedDocument
from copydesk.report import headline
from copydesk.report.safe_text import for_terminal


def shown(text: str = "", style: str | None = None) -> Text:
    """Plain text on the terminal: never read as markup, escape sequences shown, not obeyed."""
    return Text(for_terminal(text), style=style or "")


def say(console: Console, label: str, message: object, style: str = "bold red") -> None:
    """One line: the label styled, the message (it may quote file names and article text) shown as
    written, never read as markup or as terminal escapes."""
    console.print(Text.assemble((label, style), " ", for_terminal(str(message))), highlight=False, soft_wrap=True)

_VERDICT_STYLE = {"supported": "green", "distorted": "yellow", "unsupported": "red"}


def _name(seg: SegmentedDocument) -> str:
    doc = seg.document
    return doc.title or doc.path or doc.id


def render(result: CompareResult, console: Console) -> None:
    s = result.summary
    line = shown()
    line.append(headline(s), style="bold green" if s.same_story else "bold red")
    line.append(
        f"  ·  {s.derived_backed_share:.0%} of the derived text is backed by the source"
        f"  ·  {s.source_reused_share:.0%} of the source is reused"
    )
    counts = {k: sum(v.verdict == k for v in result.verdicts) for k in _VERDICT_STYLE}
    omitted = len(result.omissions)
    tally = shown(
        "  ".join(f"{n} {k}" for k, n in counts.items())
        + f"  ·  {omitted} source sentence{'' if omitted == 1 else 's'} omitted"
    )
    console.print(
        Panel(
            Group(
                shown(f"source:  {_name(result.source)}"),
                shown(f"derived: {_name(result.derived)}"),
                line,
                tally,
            ),
            title="copydesk compare",
            expand=True,
        )
    )
    for doc in (result.source, result.derived):
        for warning in doc.document.warnings:
            console.print(shown("warning: ", "yellow") + shown(warning))

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
            source_text = shown(" ".join(f"[{j}] {src[j].text}" for j in alignment.source))
            score = f"{alignment.score:.2f}"
        else:
            source_text = shown("—", style="dim")
            score = ""
        label = v.verdict + (f"\n({v.addition})" if v.addition else "")
        cell = shown(sentence.text)
        for finding in v.findings:
            cell.append(f"\n▸ {finding.kind}: {finding.explanation}", style="yellow")
        table.add_row(str(v.derived), cell, source_text, score, shown(label, style=_VERDICT_STYLE[v.verdict]))
    console.print(table)

    if result.omissions:
        omitted = Table(title="Source sentences not reused (numbers and quotes first)", expand=True)
        omitted.add_column("#", justify="right", width=3)
        omitted.add_column("source sentence", ratio=3)
        omitted.add_column("facts it carried", ratio=1)
        for o in result.omissions:
            omitted.add_row(str(o.source), shown(src[o.source].text), shown(", ".join(o.facts)))
        console.print(omitted)
    boiler = [b for seg in (result.source, result.derived) for b in seg.boilerplate]
    if boiler:
        lines = f"{len(boiler)} line{'' if len(boiler) == 1 else 's'}"
        console.print(shown(f"Boilerplate set aside ({lines}): ", style="dim") + shown(
            "; ".join(f"{b.reason}: {b.text[:60]}" for b in boiler), style="dim"
        ))


# Library commands: sources / derivatives / trace / stats -----------------------

_CREDIT = {True: "credited", False: "uncredited", None: "unknown"}


def render_related(kind: str, article, relations, title_of, console: Console) -> None:
    """`kind` is "sources" or "derivatives"; titles come from articles, so they stay plain Text."""
    console.print(shown(f"{kind.capitalize()} of {article.id}: {article.title or ''}", style="bold"))
    if not relations:
        console.print(shown("  none found in the library"))
        return
    table = Table(show_lines=False)
    for column in ("article", "relation", "direction", "conf.", "credit", "verdicts", "shared facts"):
        table.add_column(column)
    for r in relations:
        other = r.source if r.derived == article.id else r.derived
        if not r.direction_known:
            direction = "unknown"
        else:
            direction = "its source" if r.source == other else "retold from it"
        counts = r.verdict_counts
        table.add_row(
            shown(f"{other}\n{(title_of(other) or '')[:50]}"),
            shown(r.relation if r.lead_similarity is None else f"{r.relation}\nbrief ~ lead {r.lead_similarity:.2f}"),
            shown(direction),
            shown(f"{r.direction_confidence:.2f}"),
            shown(_CREDIT[r.credited]),
            shown(f"{counts['supported']}✓ {counts['distorted']}~ {counts['unsupported']}+"),
            shown(", ".join(r.shared_facts[:5])),
        )
    console.print(table)
    console.print(shown("verdicts: ✓ supported, ~ distorted, + unsupported (sentences of the derived article)", style="dim"))


def render_trace(clusters, title_of, console: Console) -> None:
    from rich.tree import Tree

    if not clusters:
        console.print(shown("No stories with more than one article in the library."))
        return
    for c in clusters:
        children: dict[str, list] = {}
        for e in c.edges:
            children.setdefault(e.source, []).append(e)
        tree = Tree(shown(f"{c.id} ({len(c.members)} articles) — root {c.root}: {title_of(c.root) or ''}", style="bold"))

        def grow(node, article_id: str) -> None:
            for e in children.get(article_id, []):
                arrow = "→" if e.direction_known else "–"
                label = shown(
                    f"{arrow} {e.derived}: {(title_of(e.derived) or '')[:50]}  "
                    f"[{e.relation}, {_CREDIT[e.credited]}, {e.distortions} distortions]"
                )
                grow(node.add(label), e.derived)

        grow(tree, c.root)
        console.print(tree)


def render_stats(rows, console: Console) -> None:
    table = Table()
    for column in ("outlet", "articles", "retellings", "uncredited", "distortions / retelling"):
        table.add_column(column, justify="left" if column == "outlet" else "right")
    for r in rows:
        table.add_row(
            shown(r.site),
            str(r.articles),
            str(r.retellings),
            f"{r.uncredited / r.retellings:.0%}" if r.retellings else "–",
            f"{r.distortions / r.retellings:.1f}" if r.retellings else "–",
        )
    console.print(table)
