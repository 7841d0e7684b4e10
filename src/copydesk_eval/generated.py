"""A tracing corpus of any size: real articles with planted retellings of known kinds, among
synthetic distractors; and how well the library finds and labels what was planted.

Planted: for each of `sources` real articles from the test half of the tracing set, a verbatim
copy (boilerplate added), a light edit and its human reference summary (a real paraphrase). Half
of the families carry publication times (source first), half none (direction from text alone).
Distractors are made of real news sentences (from the other FRANK articles) with numbers shifted
and names swapped for made-up ones, so that sharing a sentence does not make two stories one.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from copydesk.align.embedder import Embedder
from copydesk.ingest import document_from_text
from copydesk.library import Library
from copydesk.settings import Settings
from copydesk.store.memory import MemoryStore
from copydesk_eval.alignment import is_dev_article
from copydesk_eval.tracing import light_edit, percent, relation_figures, stable_order, tracing_corpus, verbatim_copy

KINDS = ("verbatim_copy", "light_edit", "paraphrase")
_NUMBER = re.compile(r"\b\d+\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}")
_SYLLABLES = "ka lo mi ra ten vos dar eli un pra ost vel mer dun sa gri tho bel".split()


@dataclass(frozen=True)
class GeneratedArticle:
    id: str
    text: str
    site: str
    published: str | None = None
    planted_source: str | None = None  # a retelling's source id
    planted_kind: str | None = None  # one of KINDS

    def record(self) -> dict[str, Any]:
        """A JSON record `copydesk add` reads (the planted_* fields are ignored there)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def sentence_pool(data_dir: Path, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Sentences of 40 to 300 characters from FRANK's articles, except those whose key is excluded."""
    pool = []
    with (data_dir / "frank" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["hash"] in exclude:
                continue
            lines = record.get("article_lines") or re.split(r"(?<=[.!?])\s+", record["article"])
            pool.extend(s.strip() for s in lines if 40 <= len(s.strip()) <= 300)
    return pool


def synthetic_story(number: int, pool: list[str], rng: random.Random) -> str:
    """A headline and 20 pool sentences, numbers shifted and capitalised names made up for this story."""
    shift = rng.randrange(1, 997)
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        if m.group() not in names:
            names[m.group()] = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
        return names[m.group()]

    sentences = [_NAME.sub(rename, _NUMBER.sub(lambda m: str(int(m.group()) + shift), s)) for s in rng.sample(pool, 20)]
    return f"Story {number}: {sentences[0][:60]}\n\n" + "\n\n".join(sentences)


def generate_corpus(data_dir: Path, size: int, sources: int = 40, seed: int = 7) -> list[GeneratedArticle]:
    """`sources` planted families (source + 3 retellings) and distractors up to `size` articles, shuffled."""
    articles, summaries = tracing_corpus(data_dir)
    chosen = [k for k in sorted(articles, key=stable_order) if k in summaries and not is_dev_article(k)][:sources]
    planted: list[GeneratedArticle] = []
    for i, key in enumerate(chosen):
        timed = i % 2 == 0
        when = (lambda hour: f"2024-03-{1 + i % 28:02d}T{hour:02d}:00:00Z") if timed else (lambda hour: None)
        source = f"src-{i}"
        planted.append(GeneratedArticle(source, articles[key], f"wire{i % 3}.example", when(6)))
        retold = (verbatim_copy(articles[key]), light_edit(articles[key]), summaries[key])
        for n, (kind, text) in enumerate(zip(KINDS, retold)):
            planted.append(GeneratedArticle(f"{kind}-{i}", text, f"farm{n}.example", when(8 + n), source, kind))
    rng = random.Random(seed)
    pool = sentence_pool(data_dir, exclude=frozenset(chosen))
    fill = [
        GeneratedArticle(f"other-{n}", synthetic_story(n, pool, rng), f"outlet{n % 7}.example")
        for n in range(max(0, size - len(planted)))
    ]
    corpus = planted + fill
    rng.shuffle(corpus)
    return corpus


def write_corpus(corpus: list[GeneratedArticle], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for article in corpus:
            fh.write(json.dumps(article.record(), ensure_ascii=False) + "\n")


def _documents(corpus: list[GeneratedArticle], settings: Settings) -> Iterator:
    for a in corpus:
        yield document_from_text(a.text, id=a.id, settings=settings, format="text", site=a.site, published=a.published)


def evaluate_generated(
    data_dir: Path, embedder: Embedder, settings: Settings, size: int, sources: int = 40, seed: int = 7
) -> dict[str, Any]:
    """Each planted retelling is looked up with `Library.sources`: is its source listed (first, top 5),
    with the planted relation and the right direction? Articles listed that are not of its family
    (its source and the source's other retellings) are false links."""
    corpus = generate_corpus(data_dir, size, sources, seed)
    library = Library(MemoryStore(), settings, embedder=embedder)
    library.add(_documents(corpus, settings), on_error=lambda e: None)
    timed = {a.id for a in corpus if a.published}
    family = {a.id: a.planted_source or a.id for a in corpus if a.planted_kind or a.id.startswith("src-")}
    confusion: Counter[tuple[str, str]] = Counter()
    at1 = at5 = listed_pairs = false_links = 0
    direction: dict[str, list[bool]] = {"times": [], "text": []}
    queries = [a for a in corpus if a.planted_kind]
    for query in sorted(queries, key=lambda a: a.id):
        _, relations = library.sources(query.id)
        listed = [r.source if r.derived == query.id else r.derived for r in relations]
        rank = listed.index(query.planted_source) if query.planted_source in listed else None
        at1 += rank == 0
        at5 += rank is not None and rank < 5
        false_links += sum(family.get(other) != query.planted_source for other in listed)
        found = relations[rank] if rank is not None else None
        listed_pairs += found is not None
        confusion[(query.planted_kind, found.relation if found else "not listed")] += 1
        if found is not None and found.direction_known:
            direction["times" if query.id in timed else "text"].append(found.source == query.planted_source)
    n = len(queries)
    return {
        "articles": library.store.count(),
        "queries": n,
        "source_recall_at_1": percent(at1, n),
        "source_recall_at_5": percent(at5, n),
        "false_links_per_query": round(false_links / n, 2) if n else 0.0,
        # Precision counts the planted pairs only: listings outside a family are reported as false links.
        **relation_figures(confusion, KINDS),
        "direction_decided": percent(sum(len(v) for v in direction.values()), listed_pairs),
        "direction_accuracy_times": percent(sum(direction["times"]), len(direction["times"])),
        "direction_accuracy_text": percent(sum(direction["text"]), len(direction["text"])),
        "embedder": embedder.name,
    }
