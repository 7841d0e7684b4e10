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

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI

from copydesk.align.embedder import Embedder
from copydesk.settings import Settings
from copydesk.web.guard import LOOPBACK_HOSTS, install_guard
from copydesk.web.pages import install_error_pages, templates
from copydesk.web.routes import ROUTERS
from copydesk.web.state import WebState


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
    # No Swagger page: it loads its scripts from a CDN, which neither offline machines nor our policy allow.
    app = FastAPI(title="copydesk", version="1", docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)
    app.state.copydesk = WebState(str(db), settings, read_only, embedder, templates())
    hosts = LOOPBACK_HOSTS | {h.lower() for h in allow_hosts}
    install_guard(app, hosts, body_limit=2 * settings.max_bytes + 65_536)  # two articles and a form's fields
    install_error_pages(app)
    for router in ROUTERS:
        app.include_router(router)
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
