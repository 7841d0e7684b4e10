"""`copydesk serve`: pages and a JSON API over one library.

Every page and API route calls the same `Library` methods as the CLI. Each
request thread gets its own connection to the library file (SQLite in WAL
mode lets them read while a job writes); the embedder is loaded once and shared.

Safety: templates escape every string; the Content-Security-Policy lets only
our own script files run, so text that slips through still cannot execute;
ids from a request are looked up in the library, never opened as paths; forms
that write carry a CSRF token; `--read-only` opens the file read-only.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Body, FastAPI, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from copydesk.align.embedder import Embedder, make_embedder
from copydesk.errors import CopydeskError, InputError
from copydesk.library import Library
from copydesk.models import Cluster, CompareResult, Document
from copydesk.report.html import CSS as REPORT_CSS
from copydesk.report.html import KIND_COLOURS, SCRIPT as REPORT_SCRIPT
from copydesk.report.html import PairMarkup, pair_markup, render_html
from copydesk.report.json import to_json_dict
from copydesk.report.library import related_json, stats_json, trace_json
from copydesk.settings import Settings
from copydesk.web import views
from copydesk.web.jobs import Busy, Job, JobRunner
from copydesk.web.uploads import UPLOAD_TYPES, document_from_paste, document_from_upload

PAGE_SIZE = 20
MAX_PAGE = 10**9  # past any library: SQLite offsets must fit 64 bits
PAIR_CACHE = 256  # compare results kept in memory (a pair page is then a render, not a compare)
SEARCH_CACHE, SEARCH_TTL_S = 512, 5.0
CSRF_COOKIE = "copydesk_csrf"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # our forms then send their Origin (with no-referrer it is "null")
    "X-Frame-Options": "DENY",
}
_STATIC = Path(str(resources.files("copydesk.web").joinpath("static")))
_STATIC_FILES = {"app.css": "text/css", "app.js": "text/javascript"}


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

    def __init__(self, db: str, settings: Settings, read_only: bool, embedder: Embedder | None) -> None:
        self.db, self.settings, self.read_only = db, settings, read_only
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


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(Path(str(resources.files("copydesk.web").joinpath("templates"))))),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals.update(safe_link=views.safe_link, kind_colours=KIND_COLOURS)
    return env


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _hostname(authority: str) -> str:
    """"example.org:8765" -> "example.org"; "[::1]:8765" -> "::1"."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        return authority[1:].split("]", 1)[0]
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def refusal(method: str, headers: Mapping[str, str], hosts: frozenset[str] | set[str]) -> tuple[int, str] | None:
    """Why a request is refused before it reaches a route, or None. The Host must be one we serve;
    an unsafe method must come from our own pages: its Origin (or, without one, its Referer) names
    the same host. A client that sends neither (curl, scripts) is not a browser page and may post."""
    host = headers.get("host", "")
    if _hostname(host) not in hosts:
        return 421, f"host {host[:80]!r} is not served here (copydesk serve --allow-host to add it)"
    if method.upper() in UNSAFE_METHODS:
        origin = headers.get("origin") or headers.get("referer")
        if origin is not None:
            parts = urlsplit(origin)
            if origin == "null" or parts.netloc.lower() != host.lower() or parts.scheme not in ("http", "https"):
                return 403, "cross-site request refused: send it from this site's own pages"
    return None


class BodyLimit:
    """Request bodies counted as they arrive, declared length or chunked: past `limit` bytes the
    request is answered 413 at once and the app is told the client left, so nothing reads the rest
    and no upload holds more than the limit."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            return await self._refuse(scope, send)
        seen = 0
        started = refused = False

        async def counted_receive():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    refused = True
                    if not started:
                        await self._refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message):
            nonlocal started
            if refused:
                return  # answered already: whatever the app says after the disconnect goes nowhere
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except Exception:
            if not refused:
                raise
            # Refused and answered: the app failing on the disconnect it was handed is expected.

    async def _refuse(self, scope, send) -> None:
        message = f"request body over the {self.limit:,}-byte limit"
        body = (json.dumps({"error": message}) if scope["path"].startswith("/api/") else message + "\n").encode()
        kind = b"application/json" if scope["path"].startswith("/api/") else b"text/plain; charset=utf-8"
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def create_app(
    db: str | Path,
    *,
    settings: Settings | None = None,
    read_only: bool = False,
    embedder: Embedder | None = None,
    allow_hosts: Sequence[str] = (),
) -> FastAPI:
    """The ASGI app over the library in `db` (a SQLite file). It answers only requests addressed to
    this machine's loopback names or to `allow_hosts` (a DNS-rebinding page gets nothing), and runs
    no unsafe request sent from another site's page."""
    settings = settings or Settings.load()
    state = WebState(str(db), settings, read_only, embedder)
    env = _templates()
    # No Swagger page: it loads its scripts from a CDN, which neither offline machines nor our policy allow.
    app = FastAPI(title="copydesk", version="1", docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)
    app.state.copydesk = state

    hosts = LOOPBACK_HOSTS | {h.lower() for h in allow_hosts}
    app.add_middleware(BodyLimit, limit=2 * settings.max_bytes + 65_536)  # two articles and a form's fields

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        refused = refusal(request.method, request.headers, hosts)
        if refused is not None:
            status, message = refused
            if request.url.path.startswith("/api/"):
                response = JSONResponse({"error": message}, status_code=status)
            else:
                response = Response(message + "\n", status_code=status, media_type="text/plain")
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(CopydeskError)
    async def copydesk_error(request: Request, exc: CopydeskError):
        return _error(request, 400, str(exc))

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return _error(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        detail = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return _error(request, 422, f"invalid request: {detail}")

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "error.html", {"status": status, "message": message}, status=status)

    def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        body = env.get_template(template).render(
            request=request, read_only=state.read_only, csrf_token=token, **context
        )
        response = HTMLResponse(body, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    def check_csrf(request: Request, token: str | None) -> None:
        cookie = request.cookies.get(CSRF_COOKIE)
        if not cookie or not token or not secrets.compare_digest(cookie, token):
            raise HTTPException(403, "form expired or not sent from this site (CSRF check failed); reload the page")

    # Static files: a fixed set, served from the package (no request path reaches the file system).

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name == "report.css":
            return Response(REPORT_CSS, media_type="text/css")
        if name == "report.js":
            return Response(REPORT_SCRIPT, media_type="text/javascript")
        if name not in _STATIC_FILES:
            raise HTTPException(404, "no such file")
        body = (_STATIC / name).read_text(encoding="utf-8")
        if name == "app.css":  # the finding colours are defined once, in the report
            body += "".join(f".kind.k-{kind}{{background:{colour}}}" for kind, colour in KIND_COLOURS.items())
        return Response(body, media_type=_STATIC_FILES[name])

    # Library ------------------------------------------------------------------------

    def search_page(q: str, outlet: str | None, since: str | None, until: str | None, page_no: int) -> dict:
        if not 1 <= page_no <= MAX_PAGE:
            raise HTTPException(422, f"page must be from 1 to {MAX_PAGE:,}")
        return state.cached_search((q, outlet, since, until, page_no), lambda: search(q, outlet, since, until, page_no))

    def search(q: str, outlet: str | None, since: str | None, until: str | None, page_no: int) -> dict:
        library = state.library()
        found = library.search(
            q, site=outlet or None, since=since or None, until=until or None,
            limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE,
        )
        known = library.known_relations(a.id for a in found.articles)
        rows = []
        for a in found.articles:
            summary = views.row_summary(a.id, known[a.id])
            rows.append({
                "id": a.id, "title": a.title, "site": a.site, "published": a.published, "url": a.url,
                "sources": summary.sources, "retellings": summary.retellings, "related": summary.related,
                "worst_finding": summary.worst_finding,
            })
        pages = max(1, -(-found.total // PAGE_SIZE))
        return {"total": found.total, "page": page_no, "pages": pages, "per_page": PAGE_SIZE, "articles": rows}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def library_page(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = "", page_no: int = 1):
        result = search_page(q, outlet, since, until, page_no)
        filters = {"q": q, "outlet": outlet, "since": since, "until": until}
        return page(request, "library.html", {
            **result, "filters": filters, "outlets": state.library().outlets(), "count": state.library().store.count(),
        })

    @app.get("/api/articles", tags=["library"])
    def api_articles(q: str = "", outlet: str = "", since: str = "", until: str = "", page: int = 1) -> dict:
        """Search the library: all words in title or text, one outlet, a publication date range; 20 per page."""
        return search_page(q, outlet, since, until, page)

    # Article --------------------------------------------------------------------------

    def article_view(article_id: str) -> dict:
        library = state.library()
        record = library.article(state.stored(article_id))
        pending = library.unconfirmed(article_id)
        known = library.known_relations([article_id])[article_id]
        seen = sorted(
            (views.related(article_id, r) for r in known),
            key=lambda x: ({"source": 0, "related": 1, "retelling": 2}[x.role], -x.relation.derived_backed_share, x.other),
        )
        titles = {x.other: library.store.get(x.other).title for x in seen}
        return {"article": record, "related": seen, "titles": titles, "pending": pending}

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str):
        view = article_view(article_id)
        return page(request, "article.html", {**view, "parts": views.text_parts(view["article"])})

    @app.get("/api/articles/{article_id}", tags=["library"])
    def api_article(article_id: str) -> dict:
        """An article's metadata, text, spans, and the relations confirmed so far."""
        view = article_view(article_id)
        a = view["article"]
        return {
            "schema": "copydesk.article/1",
            "id": a.id, "title": a.title, "author": a.author, "published": a.published, "site": a.site,
            "url": a.url, "language": a.language, "text": a.text,
            "sentence_spans": [list(s) for s in a.sentence_spans],
            "boilerplate_spans": [list(b) for b in a.boilerplate_spans],
            "related": [
                {"id": x.other, "role": x.role, "relation": x.relation.relation, "pair": x.pair_url,
                 "credited": x.relation.credited, "distortions": x.relation.distortions,
                 "confidence": x.relation.direction_confidence, "worst_finding": x.worst_finding}
                for x in view["related"]
            ],
            "unconfirmed_candidates": view["pending"],
        }

    started: dict[tuple, str] = {}  # work a GET asked for -> its job, so asking again joins it

    starting = threading.Lock()

    def once(key: tuple, start: Callable[[], Job]) -> Job:
        with starting:  # two requests at once join one job
            running = state.jobs.get(started.get(key, ""))
            if running is not None and running.status in ("queued", "running"):
                return running
            job = start()
            started[key] = job.id
            return job

    def related_api(article_id: str, kind: str):
        """Known relations only: an article with candidates not yet compared answers 202 with the
        job comparing them (a GET never compares inside the request); ask again when it is done."""
        library = state.library()
        state.stored(article_id)
        if library.unconfirmed(article_id):
            job = once(("confirm", article_id), lambda: confirm_job(article_id))
            return JSONResponse(job.to_json(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})
        record, relations = (library.sources if kind == "sources" else library.derivatives)(article_id)
        return related_json(kind, record, relations, lambda i: library.article(i).title)

    @app.get("/api/articles/{article_id}/sources", tags=["library"])
    def api_sources(article_id: str) -> dict:
        """Likely sources, best first (schema copydesk.sources/1, as `copydesk sources --json`)."""
        return related_api(article_id, "sources")

    @app.get("/api/articles/{article_id}/derivatives", tags=["library"])
    def api_derivatives(article_id: str) -> dict:
        """Retellings, best first (schema copydesk.derivatives/1, as `copydesk derivatives --json`)."""
        return related_api(article_id, "derivatives")

    def confirm_job(article_id: str) -> Job:
        def work(job: Job) -> str:
            library = state.library()
            pending = library.unconfirmed(article_id)
            for done, other in enumerate(pending, 1):
                library.relate(article_id, other)
                job.progress(done, len(pending), f"compared with {other}")
            library.sources(article_id)  # and how its sources relate to each other (siblings), kept too
            return f"/articles/{article_id}"

        return state.jobs.submit("confirm", f"confirm the candidates of {article_id}", work)

    @app.post("/articles/{article_id}/confirm", include_in_schema=False)
    def confirm_form(request: Request, article_id: str, csrf: str = Form("")):
        check_csrf(request, csrf)
        return RedirectResponse(f"/jobs/{confirm_job(state.stored(article_id)).id}", status_code=303)

    @app.post("/api/articles/{article_id}/confirm", status_code=202, tags=["jobs"])
    def api_confirm(article_id: str) -> dict:
        """Compare the article with its unconfirmed candidates, in the background."""
        return confirm_job(state.stored(article_id)).to_json()

    # Pair ---------------------------------------------------------------------------

    def pair_or_job(source: str, derived: str) -> Pair | Job:
        """The kept comparison, or the job computing it: a GET never compares inside the request."""
        pair = state.cached_pair(source, derived)
        return pair if pair is not None else once(("compare", source, derived), lambda: compare_job(source, derived))

    def to_job_page(job: Job) -> RedirectResponse:
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/pairs/{source}/{derived}", response_class=HTMLResponse, include_in_schema=False)
    def pair_page(request: Request, source: str, derived: str):
        pair = pair_or_job(source, derived)
        if isinstance(pair, Job):
            return to_job_page(pair)
        return page(request, "pair.html", {
            "m": pair.markup, "result": pair.result, "source": source, "derived": derived,
            "json_url": f"/api/pairs/{source}/{derived}", "report_url": f"/pairs/{source}/{derived}/report.html",
        })

    @app.get("/pairs/{source}/{derived}/report.html", include_in_schema=False)
    def pair_report(source: str, derived: str):
        pair = pair_or_job(source, derived)
        if isinstance(pair, Job):
            return to_job_page(pair)
        body = render_html(pair.result)
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"copydesk-{source}-{derived}")[:150]  # no CR/LF or quotes in a header
        disposition = f'attachment; filename="{name}.html"'
        # The report carries its own policy (its inline script by hash); ours would block it.
        return HTMLResponse(body, headers={"Content-Disposition": disposition, "Content-Security-Policy": ""})

    @app.get("/api/pairs/{source}/{derived}", tags=["pairs"])
    def api_pair(source: str, derived: str):
        """`derived` read as a retelling of `source` (schema copydesk.compare/1, as `copydesk compare --json`).
        A pair not compared yet answers 202 with the job computing it; ask again when it is done."""
        pair = pair_or_job(source, derived)
        if isinstance(pair, Job):
            return JSONResponse(pair.to_json(), status_code=202, headers={"Location": f"/api/jobs/{pair.id}"})
        return to_json_dict(pair.result)

    # Stories ------------------------------------------------------------------------------

    def trace_job() -> Job:
        def work(job: Job) -> str:
            library = state.library()
            clusters = library.trace(on_progress=lambda done, total: job.progress(done, total, "pairs confirmed"))
            titles = {m: library.article(m).title for c in clusters for m in c.members}
            state.stories = Stories(clusters, titles)
            return "/stories"

        return state.jobs.submit("trace", "trace the whole library", work)

    def need_stories() -> Stories:
        if state.stories is None:
            raise HTTPException(409, "the library has not been traced yet: start it with POST /api/trace")
        return state.stories

    def find_story(story_id: str) -> tuple[Cluster, Stories]:
        stories = need_stories()
        for cluster in stories.clusters:
            if cluster.id == story_id:
                return cluster, stories
        raise HTTPException(404, f"no story with id {story_id!r}")

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request):
        return page(request, "stories.html", {"stories": state.stories})

    @app.post("/stories/trace", include_in_schema=False)
    def trace_form(request: Request, csrf: str = Form("")):
        check_csrf(request, csrf)
        return RedirectResponse(f"/jobs/{trace_job().id}", status_code=303)

    @app.post("/api/trace", status_code=202, tags=["jobs"])
    def api_trace() -> dict:
        """Trace the whole library in the background; poll the job, then read /api/stories."""
        return trace_job().to_json()

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        cluster, stories = find_story(story_id)
        return page(request, "story.html", {
            "cluster": cluster, "graph": views.story_graph(cluster, stories.titles), "titles": stories.titles,
            "node_w": views.NODE_W, "node_h": views.NODE_H,
        })

    @app.get("/api/stories", tags=["stories"])
    def api_stories() -> dict:
        """Every story (schema copydesk.trace/1, as `copydesk trace --json`)."""
        stories = need_stories()
        return trace_json(stories.clusters, stories.titles.get)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str) -> dict:
        cluster, stories = find_story(story_id)
        return trace_json([cluster], stories.titles.get)["clusters"][0]

    # Outlets ------------------------------------------------------------------------------

    def outlet_rows():
        clusters = state.stories.clusters if state.stories else []
        return state.library().stats(clusters)

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request):
        rows = outlet_rows()
        return page(request, "outlets.html", {"rows": rows, "bars": views.outlet_bars(rows), "traced": state.stories is not None})

    @app.get("/api/outlets", tags=["stories"])
    def api_outlets() -> dict:
        """Per outlet (schema copydesk.stats/1); retellings count only once the library is traced."""
        return {**stats_json(outlet_rows()), "traced": state.stories is not None}

    # Compare ------------------------------------------------------------------------------

    def compare_job(source: Document | str, derived: Document | str) -> Job:
        def work(job: Job) -> str:
            library = state.library()
            ids = []
            for n, item in enumerate((source, derived), 1):
                if isinstance(item, Document) and not state.read_only:
                    report = library.add([item])
                    item = (report.added or report.present)[0]
                ids.append(item)
                job.progress(n, 3, "read the articles")
            result = library.compare(ids[0], ids[1])
            job.progress(3, 3, "compared")
            if all(isinstance(i, str) for i in ids):
                state.remember_pair((ids[0], ids[1]), result)
                return f"/pairs/{ids[0]}/{ids[1]}"
            job.result = result  # read-only: the uploads are not stored, the result lives with the job
            return f"/jobs/{job.id}/pair"

        return state.jobs.submit("compare", "compare two articles", work)

    async def form_side(form, side: str) -> Document | str:
        upload = form.get(f"{side}_file")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(state.settings.max_bytes + 1)
            return document_from_upload(data, upload.filename, state.settings)
        text = form.get(f"{side}_text") or ""
        if isinstance(text, str) and text.strip():
            return document_from_paste(text, f"{side} text", state.settings)
        ref = form.get(f"{side}_ref") or ""
        if isinstance(ref, str) and ref.strip():
            found = state.library().find(ref)
            if found is None:
                raise InputError(f"{side}", f"{ref.strip()!r} is neither an article id nor the URL of an article in the library")
            return found
        raise InputError(side, "give a text, a file, or an article id or URL from the library")

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request):
        return page(request, "compare.html", {"error": None, "types": sorted(UPLOAD_TYPES)})

    @app.post("/compare", include_in_schema=False)
    async def compare_form(request: Request):
        try:
            form = await request.form(max_files=2, max_fields=20, max_part_size=state.settings.max_bytes + 1)
        except MultiPartException as exc:
            raise HTTPException(400, f"unreadable form: {exc.message}") from exc
        check_csrf(request, form.get("csrf") if isinstance(form.get("csrf"), str) else None)
        try:
            source, derived = await form_side(form, "source"), await form_side(form, "derived")
        except InputError as exc:
            return page(request, "compare.html", {"error": str(exc), "types": sorted(UPLOAD_TYPES)}, status=400)
        return RedirectResponse(f"/jobs/{compare_job(source, derived).id}", status_code=303)

    @app.post("/api/compare", status_code=202, tags=["jobs"])
    def api_compare(request: Request, body: dict = Body(..., examples=[{"source": {"id": "a1"}, "derived": {"text": "…"}}])) -> dict:
        """Compare two articles in the background. Each side is {"id"}, {"url"} of a stored article,
        or {"text", "title"?}; texts are added to the library unless it is read-only."""
        sides = []
        for side in ("source", "derived"):
            item = body.get(side)
            if not isinstance(item, dict):
                raise HTTPException(422, f"{side}: expected an object with id, url or text")
            if isinstance(item.get("text"), str):
                title = item.get("title") if isinstance(item.get("title"), str) else None
                doc = document_from_paste(item["text"], f"{side} text", state.settings)
                sides.append(doc if title is None else replace(doc, title=title))
            elif isinstance(item.get("id") or item.get("url"), str):
                ref = item.get("id") or item.get("url")
                found = state.library().find(ref)
                if found is None:
                    raise HTTPException(404, f"{side}: no article {ref!r} in the library")
                sides.append(found)
            else:
                raise HTTPException(422, f"{side}: expected an object with id, url or text")
        return compare_job(sides[0], sides[1]).to_json()

    # Jobs -----------------------------------------------------------------------------------

    def find_job(job_id: str) -> Job:
        job = state.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r} (jobs are kept until the server restarts)")
        return job

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str):
        return page(request, "job.html", {"job": find_job(job_id)})

    @app.get("/jobs/{job_id}/pair", response_class=HTMLResponse, include_in_schema=False)
    def job_pair_page(request: Request, job_id: str):
        job = find_job(job_id)
        if not isinstance(job.result, CompareResult):
            raise HTTPException(404, f"job {job_id!r} holds no comparison")
        return page(request, "pair.html", {
            "m": pair_markup(job.result), "result": job.result, "source": None, "derived": None,
            "json_url": None, "report_url": None,
        })

    @app.get("/api/jobs/{job_id}", tags=["jobs"])
    def api_job(job_id: str) -> dict:
        """A background job's status and progress; `result_url` once done."""
        return find_job(job_id).to_json()

    @app.get("/api/health", tags=["library"])
    def health() -> dict:
        return {"articles": state.library().store.count(), "read_only": state.read_only, "traced": state.stories is not None}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/robots.txt", include_in_schema=False)
    def robots() -> PlainTextResponse:
        return PlainTextResponse("User-agent: *\nDisallow: /\n")

    return app


def serve(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    read_only: bool = False,
    settings: Settings | None = None,
    allow_hosts: Sequence[str] = (),
) -> None:
    import uvicorn

    named = () if host in ("0.0.0.0", "::") else (host,)  # a wildcard bind is no name a request carries
    app = create_app(db, settings=settings, read_only=read_only, allow_hosts=(*named, *allow_hosts))
    uvicorn.run(app, host=host, port=port, log_level="info")


@contextmanager
def serve_in_thread(app: FastAPI, host: str = "127.0.0.1") -> Iterator[str]:
    """Run `app` on a free local port in a background thread; yields its base URL (tests, screenshots)."""
    import socket

    import uvicorn

    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the web app did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.copydesk.jobs.shutdown()
