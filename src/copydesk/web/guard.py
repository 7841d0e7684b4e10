"""What every request passes before it reaches a route: the Host allowlist, the cross-site check on
unsafe methods, the request-body limit, and the security headers on every answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # our forms then send their Origin (with no-referrer it is "null")
    "X-Frame-Options": "DENY",
}
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


def install_guard(app: FastAPI, hosts: frozenset[str], body_limit: int) -> None:
    """Refuse what `refusal` refuses and bodies over `body_limit` bytes; add SECURITY_HEADERS to every answer."""
    app.add_middleware(BodyLimit, limit=body_limit)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        refused = refusal(request.method, request.headers, hosts)
        if refused is not None:
            status, message = refused
            if request.url.path.startswith("/api/"):
                response = JSONResponse({"error": message}, status_code=status)
            else:
                response = Response(message + "\n", status_code=status, media_type="text/plain")
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
