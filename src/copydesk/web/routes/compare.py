"""Comparing two texts: uploaded, pasted, or stored (the form and the API)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from copydesk.errors import InputError
from copydesk.models import Document
from copydesk.web.pages import check_csrf, page
from copydesk.web.state import State, WebState
from copydesk.web.uploads import UPLOAD_TYPES, document_from_paste, document_from_upload
from copydesk.web.work import compare_job

router = APIRouter()


async def form_side(state: WebState, form, side: str) -> Document | str:
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


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request):
    return page(request, "compare.html", {"error": None, "types": sorted(UPLOAD_TYPES)})


@router.post("/compare", include_in_schema=False)
async def compare_form(request: Request, state: State):
    try:
        form = await request.form(max_files=2, max_fields=20, max_part_size=state.settings.max_bytes + 1)
    except MultiPartException as exc:
        raise HTTPException(400, f"unreadable form: {exc.message}") from exc
    check_csrf(request, form.get("csrf") if isinstance(form.get("csrf"), str) else None)
    try:
        source, derived = await form_side(state, form, "source"), await form_side(state, form, "derived")
    except InputError as exc:
        return page(request, "compare.html", {"error": str(exc), "types": sorted(UPLOAD_TYPES)}, status=400)
    return RedirectResponse(f"/jobs/{compare_job(state, source, derived).id}", status_code=303)


def api_side(state: WebState, side: str, item) -> Document | str:
    """One side of an API compare: {"id"} or {"url"} of a stored article, or {"text", "title"?}."""
    if not isinstance(item, dict):
        raise HTTPException(422, f"{side}: expected an object with id, url or text")
    if isinstance(item.get("text"), str):
        title = item.get("title") if isinstance(item.get("title"), str) else None
        doc = document_from_paste(item["text"], f"{side} text", state.settings)
        return doc if title is None else replace(doc, title=title)
    if isinstance(item.get("id") or item.get("url"), str):
        ref = item.get("id") or item.get("url")
        found = state.library().find(ref)
        if found is None:
            raise HTTPException(404, f"{side}: no article {ref!r} in the library")
        return found
    raise HTTPException(422, f"{side}: expected an object with id, url or text")


@router.post("/api/compare", status_code=202, tags=["jobs"])
def api_compare(state: State, body: dict = Body(..., examples=[{"source": {"id": "a1"}, "derived": {"text": "…"}}])) -> dict:
    """Compare two articles in the background. Each side is {"id"}, {"url"} of a stored article,
    or {"text", "title"?}; texts are added to the library unless it is read-only."""
    source, derived = (api_side(state, side, body.get(side)) for side in ("source", "derived"))
    return compare_job(state, source, derived).to_json()
