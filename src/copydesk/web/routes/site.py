"""Static files, health, favicon and robots."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse, Response

from copydesk.report.html import CSS as REPORT_CSS
from copydesk.report.html import KIND_COLOURS, SCRIPT as REPORT_SCRIPT
from copydesk.web.state import State

router = APIRouter()
_STATIC = Path(str(resources.files("copydesk.web").joinpath("static")))
_STATIC_FILES = {"app.css": "text/css", "app.js": "text/javascript"}


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    """A fixed set of files, served from the package: no request path reaches the file system."""
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


@router.get("/api/health", tags=["library"])
def health(state: State) -> dict:
    return {"articles": state.library().store.count(), "read_only": state.read_only, "traced": state.stories is not None}


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/robots.txt", include_in_schema=False)
def robots() -> PlainTextResponse:
    return PlainTextResponse("User-agent: *\nDisallow: /\n")
