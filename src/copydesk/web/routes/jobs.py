"""Background jobs: their page, a read-only comparison they hold, their status."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from copydesk.models import CompareResult
from copydesk.report.html import pair_markup
from copydesk.web.jobs import Job
from copydesk.web.pages import page
from copydesk.web.state import State, WebState

router = APIRouter()


def find_job(state: WebState, job_id: str) -> Job:
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r} (jobs are kept until the server restarts)")
    return job


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, state: State, job_id: str):
    return page(request, "job.html", {"job": find_job(state, job_id)})


@router.get("/jobs/{job_id}/pair", response_class=HTMLResponse, include_in_schema=False)
def job_pair_page(request: Request, state: State, job_id: str):
    job = find_job(state, job_id)
    if not isinstance(job.result, CompareResult):
        raise HTTPException(404, f"job {job_id!r} holds no comparison")
    return page(request, "pair.html", {
        "m": pair_markup(job.result), "result": job.result, "source": None, "derived": None,
        "json_url": None, "report_url": None,
    })


@router.get("/api/jobs/{job_id}", tags=["jobs"])
def api_job(state: State, job_id: str) -> dict:
    """A background job's status and progress; `result_url` once done."""
    return find_job(state, job_id).to_json()
