"""An article's page and API: its text, the relations known, its sources and retellings, confirming."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from copydesk.report.library import related_json
from copydesk.web import views
from copydesk.web.pages import check_csrf, page
from copydesk.web.state import State, WebState
from copydesk.web.work import confirm_job

router = APIRouter()


def article_view(state: WebState, article_id: str) -> dict:
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


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, state: State, article_id: str):
    view = article_view(state, article_id)
    return page(request, "article.html", {**view, "parts": views.text_parts(view["article"])})


@router.get("/api/articles/{article_id}", tags=["library"])
def api_article(state: State, article_id: str) -> dict:
    """An article's metadata, text, spans, and the relations confirmed so far."""
    view = article_view(state, article_id)
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


def related_api(state: WebState, article_id: str, kind: str):
    """Known relations only: an article with candidates not yet compared answers 202 with the
    job comparing them (a GET never compares inside the request); ask again when it is done."""
    library = state.library()
    state.stored(article_id)
    if library.unconfirmed(article_id):
        job = state.once(("confirm", article_id), lambda: confirm_job(state, article_id))
        return JSONResponse(job.to_json(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})
    record, relations = (library.sources if kind == "sources" else library.derivatives)(article_id)
    return related_json(kind, record, relations, lambda i: library.article(i).title)


@router.get("/api/articles/{article_id}/sources", tags=["library"])
def api_sources(state: State, article_id: str) -> dict:
    """Likely sources, best first (schema copydesk.sources/1, as `copydesk sources --json`)."""
    return related_api(state, article_id, "sources")


@router.get("/api/articles/{article_id}/derivatives", tags=["library"])
def api_derivatives(state: State, article_id: str) -> dict:
    """Retellings, best first (schema copydesk.derivatives/1, as `copydesk derivatives --json`)."""
    return related_api(state, article_id, "derivatives")


@router.post("/articles/{article_id}/confirm", include_in_schema=False)
def confirm_form(request: Request, state: State, article_id: str, csrf: str = Form("")):
    check_csrf(request, csrf)
    return RedirectResponse(f"/jobs/{confirm_job(state, state.stored(article_id)).id}", status_code=303)


@router.post("/api/articles/{article_id}/confirm", status_code=202, tags=["jobs"])
def api_confirm(state: State, article_id: str) -> dict:
    """Compare the article with its unconfirmed candidates, in the background."""
    return confirm_job(state, state.stored(article_id)).to_json()
