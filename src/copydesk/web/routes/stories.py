"""Stories (the library traced) and outlets."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from copydesk.models import Cluster
from copydesk.report.library import stats_json, trace_json
from copydesk.web import views
from copydesk.web.pages import check_csrf, page
from copydesk.web.state import State, Stories, WebState
from copydesk.web.work import trace_job

router = APIRouter()


def need_stories(state: WebState) -> Stories:
    if state.stories is None:
        raise HTTPException(409, "the library has not been traced yet: start it with POST /api/trace")
    return state.stories


def find_story(state: WebState, story_id: str) -> tuple[Cluster, Stories]:
    stories = need_stories(state)
    for cluster in stories.clusters:
        if cluster.id == story_id:
            return cluster, stories
    raise HTTPException(404, f"no story with id {story_id!r}")


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(request: Request, state: State):
    return page(request, "stories.html", {"stories": state.stories})


@router.post("/stories/trace", include_in_schema=False)
def trace_form(request: Request, state: State, csrf: str = Form("")):
    check_csrf(request, csrf)
    return RedirectResponse(f"/jobs/{trace_job(state).id}", status_code=303)


@router.post("/api/trace", status_code=202, tags=["jobs"])
def api_trace(state: State) -> dict:
    """Trace the whole library in the background; poll the job, then read /api/stories."""
    return trace_job(state).to_json()


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(request: Request, state: State, story_id: str):
    cluster, stories = find_story(state, story_id)
    return page(request, "story.html", {
        "cluster": cluster, "graph": views.story_graph(cluster, stories.titles), "titles": stories.titles,
        "node_w": views.NODE_W, "node_h": views.NODE_H,
    })


@router.get("/api/stories", tags=["stories"])
def api_stories(state: State) -> dict:
    """Every story (schema copydesk.trace/1, as `copydesk trace --json`)."""
    stories = need_stories(state)
    return trace_json(stories.clusters, stories.titles.get)


@router.get("/api/stories/{story_id}", tags=["stories"])
def api_story(state: State, story_id: str) -> dict:
    cluster, stories = find_story(state, story_id)
    return trace_json([cluster], stories.titles.get)["clusters"][0]


def outlet_rows(state: WebState):
    clusters = state.stories.clusters if state.stories else []
    return state.library().stats(clusters)


@router.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
def outlets_page(request: Request, state: State):
    rows = outlet_rows(state)
    return page(request, "outlets.html", {"rows": rows, "bars": views.outlet_bars(rows), "traced": state.stories is not None})


@router.get("/api/outlets", tags=["stories"])
def api_outlets(state: State) -> dict:
    """Per outlet (schema copydesk.stats/1); retellings count only once the library is traced."""
    return {**stats_json(outlet_rows(state)), "traced": state.stories is not None}
