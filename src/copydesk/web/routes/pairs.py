"""Two stored articles side by side: the page, the downloadable report, the JSON."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from copydesk.report.html import render_html
from copydesk.report.json import to_json_dict
from copydesk.web.jobs import Job
from copydesk.web.pages import page
from copydesk.web.state import Pair, State, WebState
from copydesk.web.work import compare_job

router = APIRouter()


def pair_or_job(state: WebState, source: str, derived: str) -> Pair | Job:
    """The kept comparison, or the job computing it: a GET never compares inside the request."""
    pair = state.cached_pair(source, derived)
    return pair if pair is not None else state.once(("compare", source, derived), lambda: compare_job(state, source, derived))


def to_job_page(job: Job) -> RedirectResponse:
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/pairs/{source}/{derived}", response_class=HTMLResponse, include_in_schema=False)
def pair_page(request: Request, state: State, source: str, derived: str):
    pair = pair_or_job(state, source, derived)
    if isinstance(pair, Job):
        return to_job_page(pair)
    return page(request, "pair.html", {
        "m": pair.markup, "result": pair.result, "source": source, "derived": derived,
        "json_url": f"/api/pairs/{source}/{derived}", "report_url": f"/pairs/{source}/{derived}/report.html",
    })


@router.get("/pairs/{source}/{derived}/report.html", include_in_schema=False)
def pair_report(state: State, source: str, derived: str):
    pair = pair_or_job(state, source, derived)
    if isinstance(pair, Job):
        return to_job_page(pair)
    body = render_html(pair.result)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"copydesk-{source}-{derived}")[:150]  # no CR/LF or quotes in a header
    disposition = f'attachment; filename="{name}.html"'
    # The report carries its own policy (its inline script by hash); ours would block it.
    return HTMLResponse(body, headers={"Content-Disposition": disposition, "Content-Security-Policy": ""})


@router.get("/api/pairs/{source}/{derived}", tags=["pairs"])
def api_pair(state: State, source: str, derived: str):
    """`derived` read as a retelling of `source` (schema copydesk.compare/1, as `copydesk compare --json`).
    A pair not compared yet answers 202 with the job computing it; ask again when it is done."""
    pair = pair_or_job(state, source, derived)
    if isinstance(pair, Job):
        return JSONResponse(pair.to_json(), status_code=202, headers={"Location": f"/api/jobs/{pair.id}"})
    return to_json_dict(pair.result)
