"""JSON, GraphML and Graphviz DOT for `sources`, `derivatives`, `trace` and `stats`.

Schemas copydesk.sources/1, copydesk.derivatives/1, copydesk.trace/1 and
copydesk.stats/1 are documented in docs/schema.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from xml.sax.saxutils import escape, quoteattr

from copydesk.models import Cluster, LibraryArticle, OutletStats, Relation
from copydesk.report.safe_text import for_terminal, for_xml

TitleOf = Callable[[str], str | None]


def _direction(relation: Relation, candidate: str) -> str:
    """From the candidate's point of view."""
    if not relation.direction_known:
        return "unknown"
    return "source_of_article" if relation.source == candidate else "derived_from_article"


def related_json(kind: str, article: LibraryArticle, relations: Sequence[Relation], title_of: TitleOf) -> dict:
    """`kind` is "sources" or "derivatives"."""
    items = []
    for r in relations:
        other = r.source if r.derived == article.id else r.derived
        items.append(
            {
                "id": other,
                "title": title_of(other),
                "relation": r.relation,
                "direction": _direction(r, other),
                "confidence": r.direction_confidence,
                "direction_evidence": list(r.direction_evidence),
                "credited": r.credited,
                "shared_facts": list(r.shared_facts),
                "verdict_counts": r.verdict_counts,
                "distortions": r.distortions,
                "jaccard": r.jaccard,
                "derived_backed_share": r.derived_backed_share,
                "lead_similarity": r.lead_similarity,
            }
        )
    return {"schema": f"copydesk.{kind}/1", "article": {"id": article.id, "title": article.title}, kind: items}


def _edge_json(r: Relation) -> dict:
    return {
        "source": r.source,
        "derived": r.derived,
        "relation": r.relation,
        "direction_known": r.direction_known,
        "confidence": r.direction_confidence,
        "credited": r.credited,
        "distortions": r.distortions,
        "verdict_counts": r.verdict_counts,
    }


def trace_json(clusters: Sequence[Cluster], title_of: TitleOf) -> dict:
    return {
        "schema": "copydesk.trace/1",
        "clusters": [
            {
                "id": c.id,
                "root": c.root,
                "members": list(c.members),
                "titles": {m: title_of(m) for m in c.members},
                "edges": [_edge_json(e) for e in c.edges],
            }
            for c in clusters
        ],
    }


def stats_json(rows: Sequence[OutletStats]) -> dict:
    return {"schema": "copydesk.stats/1", "outlets": [asdict(r) for r in rows]}


def trace_graphml(clusters: Sequence[Cluster], title_of: TitleOf) -> str:
    keys = (
        ("title", "node", "string"), ("cluster", "node", "string"), ("root", "node", "boolean"),
        ("relation", "edge", "string"), ("confidence", "edge", "double"), ("credited", "edge", "string"),
        ("distortions", "edge", "int"),
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        *(f'  <key id="{k}" for="{f}" attr.name="{k}" attr.type="{t}"/>' for k, f, t in keys),
        '  <graph id="copydesk-trace" edgedefault="directed">',
    ]
    for c in clusters:
        for m in c.members:
            lines.append(f"    <node id={quoteattr(for_xml(m))}>")
            lines.append(f'      <data key="title">{escape(for_xml(title_of(m) or ""))}</data>')
            lines.append(f'      <data key="cluster">{escape(c.id)}</data>')
            lines.append(f'      <data key="root">{"true" if m == c.root else "false"}</data>')
            lines.append("    </node>")
        for e in c.edges:
            lines.append(f"    <edge source={quoteattr(for_xml(e.source))} target={quoteattr(for_xml(e.derived))}>")
            lines.append(f'      <data key="relation">{e.relation}</data>')
            lines.append(f'      <data key="confidence">{e.direction_confidence}</data>')
            lines.append(f'      <data key="credited">{"unknown" if e.credited is None else str(e.credited).lower()}</data>')
            lines.append(f'      <data key="distortions">{e.distortions}</data>')
            lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    text = for_terminal(text.replace("\n", " "))  # a .dot file is often printed: no live escapes in it
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def trace_dot(clusters: Sequence[Cluster], title_of: TitleOf) -> str:
    lines = ["digraph copydesk_trace {", "  rankdir=LR;", "  node [shape=box];"]
    for c in clusters:
        lines.append(f"  subgraph {_dot_quote('cluster_' + c.id)} {{")
        lines.append(f"    label={_dot_quote(c.id)};")
        for m in c.members:
            label = f"{m}: {(title_of(m) or '')[:60]}"
            style = ", style=bold" if m == c.root else ""
            lines.append(f"    {_dot_quote(m)} [label={_dot_quote(label)}{style}];")
        for e in c.edges:
            credit = {True: "credited", False: "uncredited", None: "credit unknown"}[e.credited]
            label = f"{e.relation}, {credit}, {e.distortions} distortions"
            dashed = "" if e.direction_known else ", style=dashed"
            lines.append(f"    {_dot_quote(e.source)} -> {_dot_quote(e.derived)} [label={_dot_quote(label)}{dashed}];")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
