"""Stories from pairwise relations: connected components of the relations that join stories, each with its
earliest source at the root and a provenance tree (who retold whom)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from copydesk.models import DERIVATIONS, Cluster, Relation
from copydesk.settings import Settings
from copydesk.timestamps import parse_time


def joins_stories(r: Relation, settings: Settings) -> bool:
    """Does this relation make its two articles one story? A retelling does. Two reports of the same
    event do only when both the text and the facts tie them: at least `same_story_min_share` of one
    backed by the other and `same_event_min_facts` facts shared. Either alone (how `same_event` is
    found) also ties topic neighbours, two reports of different matches of one club, and a
    one-sentence brief is close to many leads: chained, those made one story of half a library."""
    if r.relation in DERIVATIONS:
        return True
    return (r.relation == "same_event" and r.derived_backed_share >= settings.same_story_min_share
            and len(r.shared_facts) >= settings.same_event_min_facts)


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


def siblings(related: Mapping[str, Relation], between: Callable[[str, str], Relation | None]) -> dict[str, str]:
    """Which of an article's related articles are other retellings of one of them, not its source:
    {sibling: the related article it was told from}.

    `related`: other article -> its relation with the article; `between(a, b)`: the relation of two
    of them (None when they are not related). `o` is a sibling when another related article `s` is
    known to be o's source (a derivation) and `s` is at least as strong a source of the article as
    `o` is: both were told from `s`, and nothing says the article was told from `o` rather than from
    `s`. (A chain s -> o -> article shows as `o` the stronger source, and `o` stays.)"""
    out = {}
    for o, r_o in related.items():
        for s, r_s in related.items():
            if s == o or source_strength(r_s, s) < source_strength(r_o, o):
                continue
            link = between(s, o)
            if link is not None and link.relation in DERIVATIONS and link.direction_known and link.source == s:
                out[o] = s
                break
    return out


_REHANG_PASSES = 2  # a second pass lets an article follow its source once the source has moved


def _parent_link(
    child: str, allowed: Callable[[str], bool], by_node: Mapping[str, list[Relation]],
    between: Mapping[frozenset[str], Relation],
) -> tuple[tuple[Relation, str] | None, Mapping[str, str]]:
    """The child's best link to an allowed article, and the siblings set aside: as in `sources`,
    another retelling of an allowed article that is at least as strong a source of the child is its
    sibling, not its parent."""
    links = [(r, r.source if r.derived == child else r.derived) for r in by_node[child]]
    links = [link for link in links if allowed(link[1])]
    if not links:
        return None, {}
    sibling = siblings({p: r for r, p in links}, lambda a, b: between.get(frozenset((a, b))))
    links = [link for link in links if link[1] not in sibling] or links
    return min(links, key=lambda link: _edge_preference(link[0], link[1], child)), sibling


def _hangs_under(node: str, ancestor: str, parent: Mapping[str, tuple[Relation, str]]) -> bool:
    while node in parent:
        node = parent[node][1]
        if node == ancestor:
            return True
    return False


def _tree(
    members: set[str],
    root: str,
    order_key: Callable[[str], tuple],
    by_node: Mapping[str, list[Relation]],
    between: Mapping[frozenset[str], Relation],
) -> list[Relation]:
    """The provenance tree's edges. Grown from the root: the next article is the earliest-looking
    neighbour of what is placed, hung from its best placed link. In a story joined through other
    articles a source can be reached only through its own retelling and is hung under it; so then,
    worst-hung first, an article hung by less than a known derivation (or with more than one known
    source) moves to its best link outside its own subtree, when that link is better or its parent
    is a sibling."""
    parent: dict[str, tuple[Relation, str]] = {}  # child -> (link, parent), in placement order
    placed = {root}
    while len(placed) < len(members):
        frontier = {
            (r.derived if r.source in placed else r.source)
            for m in placed
            for r in by_node[m]
            if (r.derived if r.source in placed else r.source) not in placed
        }
        child = min(frontier, key=order_key)
        link, _ = _parent_link(child, placed.__contains__, by_node, between)
        assert link is not None  # the child is a neighbour of a placed article
        parent[child] = link
        placed.add(child)

    def could_move(c: str) -> bool:
        known = [r for r in by_node[c] if r.derived == c and r.direction_known and r.relation in DERIVATIONS]
        return _edge_preference(*parent[c], c)[0] > 0 or len(known) > 1

    def worst_hung_first(c: str) -> tuple:
        return (_edge_preference(*parent[c], c), c)

    for _ in range(_REHANG_PASSES):
        for child in sorted(filter(could_move, parent), key=worst_hung_first, reverse=True):
            link, sibling = _parent_link(child, lambda a: not _hangs_under(a, child, parent), by_node, between)
            current = parent[child]
            if link is not None and link[1] != current[1] and (
                current[1] in sibling or _edge_preference(*link, child) < _edge_preference(*current, child)
            ):
                parent[child] = link
    return [_oriented(r, p, c) for c, (r, p) in parent.items()]


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
        edges = _tree(members, root, order_key, by_node, between)
        ordered = sorted(members)
        cluster_id = "story-" + hashlib.sha1("\n".join(ordered).encode()).hexdigest()[:10]
        out.append(Cluster(cluster_id, root, tuple(ordered), tuple(edges)))
    return sorted(out, key=lambda c: (-len(c.members), c.id))
