"""What the web app shares between requests: the library connections, the model, kept results, jobs."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from jinja2 import Environment

from copydesk.align.embedder import Embedder, make_embedder
from copydesk.library import Library
from copydesk.models import Cluster, CompareResult
from copydesk.report.html import PairMarkup, pair_markup
from copydesk.settings import Settings
from copydesk.web.jobs import Job, JobRunner

PAIR_CACHE = 256  # compare results kept in memory (a pair page is then a render, not a compare)
SEARCH_CACHE, SEARCH_TTL_S = 512, 5.0


@dataclass(frozen=True)
class Pair:
    result: CompareResult
    markup: PairMarkup  # rendered once: a cached pair page is then only a template fill


@dataclass
class Stories:
    clusters: list[Cluster]
    titles: dict[str, str | None]


class WebState:
    """What the app shares between requests."""

    def __init__(self, db: str, settings: Settings, read_only: bool, embedder: Embedder | None,
                 templates: Environment) -> None:
        self.db, self.settings, self.read_only = db, settings, read_only
        self.templates = templates
        self._embedder = embedder
        self._local = threading.local()
        self._lock = threading.Lock()
        self._model_lock = threading.Lock()
        self.pairs: OrderedDict[tuple[str, str], Pair] = OrderedDict()
        self.relations: dict = {}  # read-only mode's relations, shared by every thread's connection
        self.searches: OrderedDict[tuple, tuple[float, dict]] = OrderedDict()
        self.generation = 0  # bumped when a job changes what pages show
        self.jobs = JobRunner(on_finish=self._job_finished, time_limit_s=settings.job_time_limit_s)
        self.stories: Stories | None = None
        self._started: dict[tuple, str] = {}  # work a GET asked for -> its job, so asking again joins it
        self._starting = threading.Lock()
        library = self.library()  # open now: a bad --db fails at start, not at the first request
        if (clusters := library.last_trace()) is not None:
            self.stories = Stories(clusters, {m: library.article(m).title for c in clusters for m in c.members})

    @property
    def embedder(self) -> Embedder:
        with self._model_lock:  # its own lock: loading takes seconds, and pages that need no model go on
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    def library(self) -> Library:
        """This thread's own connection to the library."""
        if getattr(self._local, "library", None) is None:
            self._local.library = Library.open(
                self.db, self.settings, read_only=self.read_only, embedder=_LazyEmbedder(self),
                relation_cache=self.relations,  # read-only: what a job computes, the request threads see
            )
        return self._local.library

    def stored(self, article_id: str) -> str:
        """An id from a request, checked to be a stored article (so it is never taken for a path)."""
        if self.library().store.get(article_id) is None:
            raise HTTPException(404, f"no article with id {article_id!r} in the library")
        return article_id

    def cached_pair(self, source: str, derived: str) -> Pair | None:
        """The pair's comparison if one is kept; None when it must be computed (in a job)."""
        key = (self.stored(source), self.stored(derived))
        with self._lock:
            if key in self.pairs:
                self.pairs.move_to_end(key)
                return self.pairs[key]
        return None

    def remember_pair(self, key: tuple[str, str], result: CompareResult) -> Pair:
        pair = Pair(result, pair_markup(result))
        with self._lock:
            self.pairs[key] = pair
            while len(self.pairs) > PAIR_CACHE:
                self.pairs.popitem(last=False)
        return pair

    def once(self, key: tuple, start: Callable[[], Job]) -> Job:
        """The job already doing `key`, or a new one from `start`: two requests at once join one job."""
        with self._starting:
            running = self.jobs.get(self._started.get(key, ""))
            if running is not None and running.status in ("queued", "running"):
                return running
            job = start()
            self._started[key] = job.id
            return job

    def _job_finished(self, job: Job) -> None:
        with self._lock:
            self.generation += 1

    def cached_search(self, key: tuple, compute: Callable[[], dict]) -> dict:
        """Library pages, kept a few seconds: under load most requests repeat a handful of pages.
        Adding articles (the count) or finishing a job (the generation) makes a new key."""
        key = (*key, self.library().store.count(), self.generation)
        now = time.monotonic()
        with self._lock:
            hit = self.searches.get(key)
            if hit and now - hit[0] < SEARCH_TTL_S:
                return hit[1]
        value = compute()
        with self._lock:
            self.searches[key] = (now, value)
            while len(self.searches) > SEARCH_CACHE:
                self.searches.popitem(last=False)
        return value


class _LazyEmbedder:
    """Loads the shared model on first use, so pages that need none start fast."""

    def __init__(self, state: WebState) -> None:
        self._state = state

    @property
    def name(self) -> str:
        return self._state.embedder.name

    def embed(self, texts):
        return self._state.embedder.embed(texts)


def web_state(request: Request) -> WebState:
    return request.app.state.copydesk


# What a route declares to be handed the app's state.
State = Annotated[WebState, Depends(web_state)]
