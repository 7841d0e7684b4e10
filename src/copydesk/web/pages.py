"""Pages from templates, the CSRF token their forms carry, and errors as a page or as JSON."""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from copydesk.errors import CopydeskError
from copydesk.report.html import KIND_COLOURS
from copydesk.web import views
from copydesk.web.jobs import Busy

CSRF_COOKIE = "copydesk_csrf"


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(Path(str(resources.files("copydesk.web").joinpath("templates"))))),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals.update(safe_link=views.safe_link, kind_colours=KIND_COLOURS)
    return env


def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    state = request.app.state.copydesk
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    body = state.templates.get_template(template).render(
        request=request, read_only=state.read_only, csrf_token=token, **context
    )
    response = HTMLResponse(body, status_code=status)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def check_csrf(request: Request, token: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged token may hold any).
    if not cookie or not token or not secrets.compare_digest(cookie.encode(), token.encode()):
        raise HTTPException(403, "form expired or not sent from this site (CSRF check failed); reload the page")


def error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return page(request, "error.html", {"status": status, "message": message}, status=status)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(CopydeskError)
    async def copydesk_error(request: Request, exc: CopydeskError):
        return error(request, 400, str(exc))

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return error(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        detail = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return error(request, 422, f"invalid request: {detail}")
