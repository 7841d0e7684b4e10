"""Stories from pairwise relations: connected components, each with its
earliest source at the root and a provenance tree (who retold whom)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from copydesk.models import DERIVATIONS, Cluster, Relation
from copydesk.timestamps import parse_time


def _components(relations: Sequence[Relation]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        parent[find(r.source)] = find(r.derived)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    return list(groups.values())


def _edge_preference(r: Relation, parent: str, child: str) -> tuple:
    """Lower is better: a known derivation from parent to child, then an undecided
    derivation, then independent reporting of the same event."""
    if r.relation in DERIVATIONS and r.direction_known and r.source == parent:
        return (0, -r.direction_confidence)
    if r.relation in DERIVATIONS and not r.direction_known:
        return (1, -r.derived_backed_share)
    if r.relation == "same_event":
        return (2, -r.derived_backed_share)
    return (3, 0.0)  # a known derivation the other way: only when nothing else links them


def _oriented(r: Relation, parent: str, child: str) -> Relation:
    """Undecided edges are drawn from the earlier-placed article; decided ones keep their direction."""
    if r.direction_known or r.source == parent:
        return r
    return replace(r, source=parent, derived=child)


def source_strength(r: Relation, source: str) -> tuple[float, float]:
    """How strongly `r` says `source` is the other article's source: the direction's confidence
    (0 when undecided, negative when known the other way), then the share of the derived backed."""
    confidence = 0.0
    if r.direction_known:
        confidence = r.direction_confidence if r.source == source else -r.direction_confidence
    return (confidence, r.derived_backed_share)


def siblings(related: Mapping[str, Relation], between: Callable[[str, str], Relation | None]) -> set[str]:
    """Which of an article's related articles are other retellings of one of them, not its source.

    `related`: other article -> its relation with the article; `between(a, b)`: the relation of two
    of them (None when they are not related). `o` is a sibling when another related article `s` is known to be o's source (a
    derivation) and `s` is at least as strong a source of the article as `o` is: both were told from
    `s`, and nothing says the article was told from `o` rather than from `s`. (A chain s -> o ->
    article shows as `o` the stronger source, and `o` stays.)"""
    out = set()
    for o, r_o in related.items():
        for s, r_s in related.items():
            if s == o or source_strength(r_s, s) < source_strength(r_o, o):
                continue
            link = between(s, o)
            if link is not None and link.relation in DERIVATIONS and link.direction_known and link.source == s:
                out.add(o)
                break
    return out


def clusters(relations: Sequence[Relation], published: Mapping[str, str | None]) -> list[Cluster]:
    by_node: defaultdict[str, list[Relation]] = defaultdict(list)
    between: dict[frozenset[str], Relation] = {}
    for r in relations:
        by_node[r.source].append(r)
        by_node[r.derived].append(r)
        between[frozenset((r.source, r.derived))] = r
    out = []
    for members in _components(relations):
        incoming = {m: sum(1 for r in by_node[m] if r.derived == m and r.direction_known and r.relation in DERIVATIONS) for m in members}
        outgoing = {m: sum(1 for r in by_node[m] if r.source == m and r.direction_known and r.relation in DERIVATIONS) for m in members}
        # An undecided derivation is read the way the other text is better backed (relate): its source
        # side is the likelier source, which beats ordering by id.
        backs = {m: sum(1 for r in by_node[m] if r.source == m and not r.direction_known and r.relation in DERIVATIONS) for m in members}

        def order_key(m: str) -> tuple:
            when = parse_time(published.get(m))
            return (incoming[m] > 0, when is None, when.isoformat() if when else "", -outgoing[m], -backs[m], m)

        root = min(members, key=order_key)
        placed = {root}
        edges = []
        while len(placed) < len(members):
            # Grow the tree from what is placed; the next article is the earliest-looking neighbour.
            frontier = {
                (r.derived if r.source in placed else r.source)
                for m in placed
                for r in by_node[m]
                if (r.derived if r.source in placed else r.source) not in placed
            }
            child = min(frontier, key=order_key)
            links = [
                (r, r.source if r.source in placed else r.derived)
                for r in by_node[child]
                if (r.source in placed) != (r.derived in placed)
            ]
            # As in `sources`: another retelling of a placed article that is at least as strong a
            # source of the child is the child's sibling, not its parent.
            sibling = siblings({p: r for r, p in links}, lambda a, b: between.get(frozenset((a, b))))
            links = [link for link in links if link[1] not in sibling] or links
            best, parent = min(links, key=lambda link: _edge_preference(link[0], link[1], child))
            edges.append(_oriented(best, parent, child))
            placed.add(child)
        ordered = sorted(members)
        cluster_id = "story-" + hashlib.sha1("\n".join(ordered).encode()).hexdigest()[:10]
        out.append(Cluster(cluster_id, root, tuple(ordered), tuple(edges)))
    return sorted(out, key=lambda c: (-len(c.members), c.id))
