"""The library page and its search API."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from copydesk.web import views
from copydesk.web.pages import page
from copydesk.web.state import State, WebState

router = APIRouter()
PAGE_SIZE = 20  # articles per library page
MAX_PAGE = 10**9  # past any library: SQLite offsets must fit 64 bits


def search_page(state: WebState, q: str, outlet: str | None, since: str | None, until: str | None, page_no: int) -> dict:
    if not 1 <= page_no <= MAX_PAGE:
        raise HTTPException(422, f"page must be from 1 to {MAX_PAGE:,}")
    return state.cached_search((q, outlet, since, until, page_no), lambda: search(state, q, outlet, since, until, page_no))


def search(state: WebState, q: str, outlet: str | None, since: str | None, until: str | None, page_no: int) -> dict:
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


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def library_page(request: Request, state: State, q: str = "", outlet: str = "", since: str = "", until: str = "", page_no: int = 1):
    result = search_page(state, q, outlet, since, until, page_no)
    filters = {"q": q, "outlet": outlet, "since": since, "until": until}
    return page(request, "library.html", {
        **result, "filters": filters, "outlets": state.library().outlets(), "count": state.library().store.count(),
    })


@router.get("/api/articles", tags=["library"])
def api_articles(state: State, q: str = "", outlet: str = "", since: str = "", until: str = "", page: int = 1) -> dict:
    """Search the library: all words in title or text, one outlet, a publication date range; 20 per page."""
    return search_page(state, q, outlet, since, until, page)
