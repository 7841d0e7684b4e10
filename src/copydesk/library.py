"""The library: add articles, find who retold whom, trace stories, count per outlet.

Cheap signals (trace/signals.py) index every article as it is added; only
candidate pairs get the full compare and claim check, once, cached in the
store under the settings that produced them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from copydesk.align.embedder import Embedder, make_embedder
from copydesk.errors import CopydeskError, InputError
from copydesk.ingest import load_document
from copydesk.ingest.language import english_share
from copydesk.models import (
    DERIVATIONS,
    ArticleSignals,
    Cluster,
    CompareResult,
    Document,
    LibraryArticle,
    OutletStats,
    Relation,
    SegmentedDocument,
)
from copydesk.engines.stages import cluster_from_dict, relate_pair, relation_from_dict, segmented, stories
from copydesk.pipeline import check_sentence_limit, compare_segmented
from copydesk.segment import segment
from copydesk.settings import Settings
from copydesk.store import Store, open_store
from copydesk.trace.candidates import Candidate, posting_cap, rarest_keys, score_candidates
from copydesk.trace.cluster import siblings
from copydesk.trace.relate import RULES_VERSION
from copydesk.trace.signals import article_signals

ArticleRef = str | Path | Document  # an id in the library, a file, or a Document


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # already in the library: no-op
    skipped: int = 0


@dataclass(frozen=True)
class SearchPage:
    total: int  # articles matching, over all pages
    articles: tuple[LibraryArticle, ...]
    limit: int
    offset: int


@dataclass(frozen=True)
class _Article:
    """An article ready to relate: as stored (or as it would be), segmented, indexed."""

    record: LibraryArticle
    doc: SegmentedDocument
    signals: ArticleSignals
    stored: bool


def content_hash(doc: Document) -> str:
    return hashlib.sha256(doc.clean.strip().encode("utf-8")).hexdigest()


def closeness(relation: Relation) -> tuple[int, float]:
    """How closely a related article ties to the one asked about, for ordering `sources`: (tier, tie),
    the lower tier first, then the higher index score plus `tie`. Copies first, then paraphrases, then
    reports of the same event, each by the share backed. A brief is "backed" whole by any one sentence
    that reads like it, which other articles on the topic have as well as its source: where one text
    is a brief, paraphrases and same-event reports share a tier, with the similarity to the lead as tie
    (a brief retells its source's lead)."""
    if relation.relation in ("verbatim_copy", "light_edit"):
        return 0, relation.derived_backed_share
    if relation.lead_similarity is not None:
        return 1, relation.lead_similarity
    return (1 if relation.relation in DERIVATIONS else 2), relation.derived_backed_share


class Library:
    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or Settings.load()
        self._embedder = embedder
        self._docs: dict[str, SegmentedDocument] = {}
        self._key: str | None = None

    @classmethod
    def open(
        cls,
        path: str | Path | None = "copydesk.db",
        settings: Settings | None = None,
        *,
        read_only: bool = False,
        relation_cache: dict | None = None,
        **kwargs,
    ) -> Library:
        """A library in a SQLite file (created if missing unless `read_only`); None for one in memory.
        `relation_cache`: read-only, where relations computed are kept (give several connections one)."""
        store = open_store(str(path) if path is not None else None, read_only=read_only, relation_cache=relation_cache)
        return cls(store, settings, **kwargs)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    def _settings_key(self) -> str:
        """Relations are cached per settings, embedder and relation rules: change one and they are recomputed."""
        if self._key is None:
            record = {**self.settings.to_dict(), "embedder": self.embedder.name, "rules": RULES_VERSION}
            self._key = hashlib.sha1(json.dumps(record, sort_keys=True).encode()).hexdigest()[:12]
        return self._key

    # Adding ---------------------------------------------------------------

    def _record(self, doc: Document, seg: SegmentedDocument) -> LibraryArticle:
        return LibraryArticle(
            id=doc.id,
            content_hash=content_hash(doc),
            text=doc.text,
            title=doc.title,
            author=doc.author,
            published=doc.published,
            site=doc.site,
            url=doc.url,
            language="en" if english_share(doc.clean) >= self.settings.english_min_share else "und",
            format=doc.format,
            path=doc.path,
            sentence_spans=tuple((s.start, s.end) for s in seg.sentences),
            boilerplate_spans=tuple((b.start, b.end, b.reason) for b in seg.boilerplate),
        )

    def add(
        self,
        documents: Iterable[Document],
        *,
        batch_size: int = 100,
        on_error: Callable[[InputError], None] | None = None,
        on_progress: Callable[[AddReport], None] | None = None,
    ) -> AddReport:
        """Index and store documents, committing every `batch_size`. Re-adding an article is a no-op.

        A document that cannot be stored (no sentences, an id taken by other text) goes to
        `on_error` (or raises when there is none); committed batches survive an interruption."""
        report = AddReport()
        pending: list[tuple[LibraryArticle, ArticleSignals]] = []
        pending_ids: set[str] = set()  # for duplicates inside one batch
        pending_hashes: dict[str, str] = {}

        def flush() -> None:
            if pending:
                present = set(self.store.put(pending))
                report.added.extend(a.id for a, _ in pending if a.id not in present)
                report.present.extend(self.store.id_for_hash(a.content_hash) for a, _ in pending if a.id in present)
                pending.clear()
                pending_ids.clear()
                pending_hashes.clear()
            if on_progress:
                on_progress(report)

        for doc in documents:
            try:
                seg = segment(doc)
                record = self._record(doc, seg)
                existing = pending_hashes.get(record.content_hash) or self.store.id_for_hash(record.content_hash)
                if existing is not None:
                    report.present.append(existing)
                    continue
                if record.id in pending_ids or self.store.get(record.id) is not None:
                    raise InputError(doc.path or record.id, f"id {record.id!r} is already used by a different article")
                if not seg.sentences:
                    raise InputError(doc.path or record.id, "no story sentences (only boilerplate)")
                check_sentence_limit(seg, self.settings)  # stored, it could never be compared
                pending.append((record, article_signals(seg, self.settings)))
                pending_ids.add(record.id)
                pending_hashes[record.content_hash] = record.id
            except InputError as exc:
                if on_error is None:
                    raise
                report.skipped += 1
                on_error(exc)
                continue
            if len(pending) >= batch_size:
                flush()
        flush()
        return report

    # Reading --------------------------------------------------------------

    def article(self, article_id: str) -> LibraryArticle:
        record = self.store.get(article_id)
        if record is None:
            raise CopydeskError(f"{article_id}: no article with this id in the library")
        return record

    def document(self, article_id: str) -> SegmentedDocument:
        """The stored article, segmented again (the same spans it was stored with)."""
        if article_id not in self._docs:
            if len(self._docs) > 512:
                self._docs.clear()
            self._docs[article_id] = segmented(self.article(article_id), self.settings)
        return self._docs[article_id]

    def find(self, ref: str) -> str | None:
        """The id of a stored article named by its id or its url; None when neither."""
        ref = ref.strip()
        if ref and self.store.get(ref) is not None:
            return ref
        return self.store.id_for_url(ref) if ref else None

    def unconfirmed(self, article_id: str) -> list[str]:
        """Candidates of a stored article whose relation to it is not computed yet."""
        return [
            c.id
            for c in self._candidates(article_id, self.store.signals(article_id))
            if self._cached(article_id, c.id) is None
        ]

    def search(
        self,
        words: str = "",
        *,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Articles holding all these words (title or text), from one outlet and date range, newest first."""
        total, found = self.store.search(words, site, since, until, limit, offset)
        return SearchPage(total, tuple(found), limit, offset)

    def outlets(self) -> list[str]:
        return sorted(site for site in self.store.site_counts() if site)

    def _resolve(self, ref: ArticleRef) -> _Article:
        """An id in the library, a file path (not added), or a Document."""
        if isinstance(ref, str) and self.store.get(ref) is not None:
            return _Article(self.article(ref), self.document(ref), self.store.signals(ref), True)
        if isinstance(ref, Document):
            doc = ref
        elif Path(ref).exists():
            doc = load_document(Path(ref), self.settings)
        else:
            raise CopydeskError(f"{ref}: neither an article id in the library nor a file")
        seg = segment(doc)
        record = self._record(doc, seg)
        stored_id = self.store.id_for_hash(record.content_hash)
        if stored_id is not None:  # the same text is in the library already
            return self._resolve(stored_id)
        if not seg.sentences:
            raise InputError(doc.path or doc.id, "no story sentences (only boilerplate)")
        self._docs[record.id] = seg
        return _Article(record, seg, article_signals(seg, self.settings), False)

    # Candidates and relations ---------------------------------------------

    def _candidates(self, target_id: str, sig: ArticleSignals, stored: bool = True) -> list[Candidate]:
        n = max(self.store.count(), 1)
        cap = posting_cap(n, self.settings)
        frequency = self.store.key_frequency(sorted(sig.keys))
        rarest = rarest_keys(frequency, cap, self.settings, counts_itself=stored)
        shared_keys = self.store.key_matches(rarest, cap)
        return score_candidates(
            target_id,
            self.store.bucket_matches(sig.buckets, cap),
            len(sig.buckets),
            rarest,
            frequency,
            shared_keys,
            self.store.fingerprint_sizes(sorted(shared_keys)),
            self.store.mean_fingerprint_size(),
            n,
            self.settings,
        )

    def candidates(self, ref: ArticleRef) -> list[Candidate]:
        """Articles in the library that may tell the same story, best first (cheap signals only)."""
        target = self._resolve(ref)
        return self._candidates(target.record.id, target.signals, target.stored)

    def _cached(self, a: str, b: str) -> Relation | None:
        body = self.store.get_relation(*sorted((a, b)), self._settings_key())
        return relation_from_dict(body) if body else None

    def _relate(self, a: _Article, b: _Article | str) -> Relation:
        """`b` may be a stored article's id: a cached relation then needs no reading or segmenting."""
        if isinstance(b, str):
            if a.stored and (cached := self._cached(a.record.id, b)):
                return cached
            b = self._resolve(b)
        cacheable = a.stored and b.stored
        if cacheable and (cached := self._cached(a.record.id, b.record.id)):
            return cached
        relation = relate_pair((a.record, a.doc), (b.record, b.doc), self.settings, self.embedder)
        if cacheable:
            self.store.put_relation(*sorted((a.record.id, b.record.id)), self._settings_key(), asdict(relation))
        return relation

    def relate(self, a: ArticleRef, b: ArticleRef) -> Relation:
        """Relation, direction, credit and claim-check counts between two articles."""
        return self._relate(self._resolve(a), self._resolve(b))

    def compare(self, source: ArticleRef, derived: ArticleRef) -> CompareResult:
        """`derived` read as a retelling of `source`: alignment, verdicts, findings, omissions."""
        return compare_segmented(self._resolve(source).doc, self._resolve(derived).doc, self.settings, self.embedder)

    def known_relations(self, article_ids: Iterable[str]) -> dict[str, list[Relation]]:
        """Relations already confirmed (by sources, derivatives or trace) for each article; computes none."""
        ids = list(article_ids)
        out: dict[str, list[Relation]] = {i: [] for i in ids}
        for body in self.store.relations_of(ids, self._settings_key()) if ids else ():
            relation = relation_from_dict(body)
            if relation.relation != "unrelated":
                for end in {relation.source, relation.derived} & out.keys():
                    out[end].append(relation)
        return out

    def _related(self, ref: ArticleRef, want_sources: bool) -> tuple[LibraryArticle, list[Relation]]:
        target = self._resolve(ref)
        relations = []
        cheap: dict[str, float] = {}
        for candidate in self._candidates(target.record.id, target.signals, target.stored):
            relation = self._relate(target, candidate.id)
            if relation.relation != "unrelated":
                relations.append(relation)
                cheap[candidate.id] = candidate.score

        def other(r: Relation) -> str:
            return r.derived if r.source == target.record.id else r.source

        def wrong_way(r: Relation) -> bool:
            return r.direction_known and (r.source == other(r)) != want_sources

        def order(r: Relation) -> tuple:
            # An article known to point the other way last.
            tier, tie = closeness(r)
            return (wrong_way(r), tier, -(cheap[other(r)] + tie), other(r))

        def rank(r: Relation) -> tuple:
            # Another retelling of a listed source right after that source (the first of a chain).
            first, seen = other(r), {other(r)}
            while sibling.get(first) not in (None, *seen):
                first = sibling[first]
                seen.add(first)
            return (*order(by_other[first]), first != other(r), *order(r))

        by_other = {other(r): r for r in relations}
        sibling: dict[str, str] = {}
        if want_sources:
            top = sorted(relations, key=rank)[: self.settings.sibling_check_top]
            related = {other(r): r for r in top if not wrong_way(r)}
            sibling = siblings(related, lambda a, b: self._relate(self._resolve(a), b))
        return target.record, sorted(relations, key=rank)

    def sources(self, ref: ArticleRef) -> tuple[LibraryArticle, list[Relation]]:
        """Likely sources of an article, closest relation first (copy, edit, paraphrase, same event; a brief's
        paraphrases and same-event reports together, by index score and similarity to the lead);
        another retelling of a listed source (a sibling) right after that source; articles found to be
        retold from it last."""
        return self._related(ref, want_sources=True)

    def derivatives(self, ref: ArticleRef) -> tuple[LibraryArticle, list[Relation]]:
        """Articles retold from this one, best first."""
        return self._related(ref, want_sources=False)

    # Whole library --------------------------------------------------------

    def candidate_pairs(self) -> list[tuple[str, str]]:
        """Every pair (in id order) that some article lists among its candidates."""
        pairs: set[tuple[str, str]] = set()
        for article_id in self.store.article_ids():
            for candidate in self._candidates(article_id, self.store.signals(article_id)):
                pairs.add(tuple(sorted((article_id, candidate.id))))  # type: ignore[arg-type]
        return sorted(pairs)

    def relate_pairs(
        self, pairs: list[tuple[str, str]], on_progress: Callable[[int, int], None] | None = None
    ) -> list[Relation]:
        """The relation of each pair of stored articles (cached ones are read, not recomputed)."""
        out = []
        for done, (a, b) in enumerate(pairs, 1):
            out.append(self._cached(a, b) or self._relate(self._resolve(a), b))
            if on_progress:
                on_progress(done, len(pairs))
        return out

    def relations(self, on_progress: Callable[[int, int], None] | None = None) -> list[Relation]:
        """Every related pair among the candidates of every article (confirmed, cached)."""
        return [r for r in self.relate_pairs(self.candidate_pairs(), on_progress) if r.relation != "unrelated"]

    def trace(self, on_progress: Callable[[int, int], None] | None = None) -> list[Cluster]:
        """Story clusters with their earliest source and provenance tree."""
        return self.stories(self.relations(on_progress))

    def stories(self, relations: list[Relation]) -> list[Cluster]:
        """The stories these confirmed relations make, kept as the library's last trace."""
        published = {i: self.article(i).published for i in {x for r in relations for x in (r.source, r.derived)}}
        clusters = stories(relations, published, self.settings)
        if not self.store.read_only:  # kept, so the web app and `last_trace` need not trace again
            saved = {"for": self._trace_key(), "clusters": [asdict(c) for c in clusters]}
            self.store.set_meta("last_trace", json.dumps(saved))
        return clusters

    def _trace_key(self) -> str:
        return f"{self._settings_key()}:{self.store.count()}"

    def last_trace(self) -> list[Cluster] | None:
        """The stories of the last `trace` under these settings, if no article was added since."""
        saved = json.loads(self.store.meta("last_trace") or "{}")
        if saved.get("for") != self._trace_key():
            return None
        return [cluster_from_dict(c) for c in saved["clusters"]]

    def stats(self, clusters: list[Cluster] | None = None) -> list[OutletStats]:
        """Per outlet: articles, retellings of other articles, how many uncredited, distortions."""
        clusters = self.trace() if clusters is None else clusters
        site = {}
        derived_edges = [e for c in clusters for e in c.edges if e.relation in DERIVATIONS and e.direction_known]
        for edge in derived_edges:
            site[edge.derived] = self.article(edge.derived).site
        rows = []
        for name, count in self.store.site_counts().items():
            mine = [e for e in derived_edges if site[e.derived] == name]
            rows.append(
                OutletStats(
                    site=name or "(unknown)",
                    articles=count,
                    retellings=len(mine),
                    uncredited=sum(1 for e in mine if e.credited is False),
                    distortions=sum(e.distortions for e in mine),
                )
            )
        return sorted(rows, key=lambda r: (-r.retellings, -r.articles, r.site))
