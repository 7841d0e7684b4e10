"""What the pages show, computed from library records: plain data for the
templates (which escape every string), no markup here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlparse

from copydesk.check.findings import most_severe
from copydesk.models import Cluster, LibraryArticle, OutletStats, Relation


def safe_link(url: str | None) -> str | None:
    """A link target only for http(s) URLs: `javascript:` and the like are shown as text, never followed."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None


def text_parts(article: LibraryArticle) -> list[tuple[str, str | None]]:
    """The article text cut into (text, boilerplate reason or None), in order."""
    parts, pos = [], 0
    for start, end, reason in sorted(article.boilerplate_spans):
        if start < pos:
            continue
        if start > pos:
            parts.append((article.text[pos:start], None))
        parts.append((article.text[start:end], reason))
        pos = end
    if pos < len(article.text):
        parts.append((article.text[pos:], None))
    return parts


@dataclass(frozen=True)
class Related:
    """One relation seen from an article: the other article and how they relate."""

    other: str
    role: str  # "source", "retelling" or "related" (direction unknown)
    relation: Relation
    worst_finding: str | None  # in the derived article of the pair

    @property
    def pair_url(self) -> str:
        return f"/pairs/{self.relation.source}/{self.relation.derived}"


def related(article_id: str, relation: Relation) -> Related:
    other = relation.derived if relation.source == article_id else relation.source
    if not relation.direction_known:
        role = "related"
    else:
        role = "source" if relation.source == other else "retelling"
    return Related(other, role, relation, most_severe(relation.finding_kinds))


@dataclass(frozen=True)
class RowSummary:
    sources: int
    retellings: int
    related: int
    worst_finding: str | None


def row_summary(article_id: str, relations: list[Relation]) -> RowSummary:
    seen = [related(article_id, r) for r in relations]
    kinds: dict[str, int] = defaultdict(int)
    for r in relations:
        if r.derived == article_id:
            for kind, n in r.finding_kinds.items():
                kinds[kind] += n
    return RowSummary(
        sum(s.role == "source" for s in seen),
        sum(s.role == "retelling" for s in seen),
        sum(s.role == "related" for s in seen),
        most_severe(dict(kinds)),
    )


# Story graph -----------------------------------------------------------------

NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 250, 54, 70, 110, 20


@dataclass(frozen=True)
class GraphNode:
    id: str
    title: str
    x: int
    y: int
    root: bool


@dataclass(frozen=True)
class GraphEdge:
    source: str
    derived: str
    x1: int
    y1: int
    x2: int
    y2: int
    relation: str
    detail: str
    credited: bool | None
    known: bool

    @property
    def label_x(self) -> int:  # labels sit nearer the retelling, so sibling edges' labels do not meet
        return round(self.x1 + 0.62 * (self.x2 - self.x1))

    @property
    def label_y(self) -> int:
        return round(self.y1 + 0.62 * (self.y2 - self.y1))

    @property
    def pair_url(self) -> str:
        return f"/pairs/{self.source}/{self.derived}"


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]


def story_graph(cluster: Cluster, titles: dict[str, str | None]) -> Graph:
    """A layered drawing of the provenance tree: the root on top, each retelling one row below its source."""
    children: dict[str, list[str]] = defaultdict(list)
    for e in cluster.edges:
        if e.direction_known:
            children[e.source].append(e.derived)
    depth = {cluster.root: 0}
    queue = [cluster.root]
    while queue:
        node = queue.pop(0)
        for child in sorted(children[node]):
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    bottom = max(depth.values(), default=0) + 1
    for member in cluster.members:  # linked only by same_event or unknown direction: a row of their own
        depth.setdefault(member, bottom)
    rows: dict[int, list[str]] = defaultdict(list)
    for member in sorted(cluster.members, key=lambda m: (depth[m], m)):
        rows[depth[member]].append(member)
    widest = max(len(r) for r in rows.values())
    width = PAD * 2 + widest * NODE_W + (widest - 1) * GAP_X
    position = {}
    for level, members in rows.items():
        span = len(members) * NODE_W + (len(members) - 1) * GAP_X
        left = (width - span) // 2
        for i, m in enumerate(members):
            position[m] = (left + i * (NODE_W + GAP_X), PAD + level * (NODE_H + GAP_Y))
    nodes = tuple(
        GraphNode(m, _short(titles.get(m) or m, 30), *position[m], m == cluster.root) for m in cluster.members
    )
    edges = []
    for e in cluster.edges:
        (sx, sy), (dx, dy) = position[e.source], position[e.derived]
        credit = {True: "credited", False: "uncredited", None: "credit unknown"}[e.credited]
        detail = f"{credit} · {e.distortions} distortion{'s' * (e.distortions != 1)}"
        edges.append(
            GraphEdge(
                e.source, e.derived, sx + NODE_W // 2, sy + NODE_H, dx + NODE_W // 2, dy,
                e.relation.replace("_", " "), detail, e.credited, e.direction_known,
            )
        )
    height = PAD * 2 + len(rows) * NODE_H + (len(rows) - 1) * GAP_Y
    return Graph(width, height, nodes, tuple(edges))


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# Outlet chart -----------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    articles: int
    retellings: int
    uncredited: int
    y: int
    articles_w: int
    retellings_w: int
    uncredited_w: int


def outlet_bars(rows: list[OutletStats], width: int = 420, row_h: int = 26) -> list[Bar]:
    top = max((r.articles for r in rows), default=1) or 1
    scale = width / top
    return [
        Bar(
            r.site, r.articles, r.retellings, r.uncredited, i * row_h,
            round(r.articles * scale), round(r.retellings * scale), round(r.uncredited * scale),
        )
        for i, r in enumerate(rows)
    ]
