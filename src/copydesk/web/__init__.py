"""The web app: `copydesk serve` (see app.py)."""

from copydesk.web.app import create_app, serve_in_thread

__all__ = ["create_app", "serve_in_thread"]
