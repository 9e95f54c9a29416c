"""A tiny local web server for the browser crypto test and benchmark.

Serves only the crypto modules and the test pages, from 127.0.0.1 (a secure context for
WebCrypto without TLS), on a free port, in a background thread. No Flask app involved.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
ALLOWED = ("/ballot/static/js/crypto/", "/tests/browser/pages/")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def do_GET(self) -> None:
        if not self.path.split("?")[0].startswith(ALLOWED) or ".." in self.path:
            self.send_error(404)
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve() -> Iterator[str]:
    """Yield the base URL of a server for the crypto test pages; stop it afterwards."""
    handler = functools.partial(_Handler, directory=str(ROOT))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def open_page(browser: Any, base_url: str) -> Any:
    """A new page with the crypto module loaded (window.ballotCrypto)."""
    page = browser.new_page()
    page.goto(f"{base_url}/tests/browser/pages/crypto.html")
    page.wait_for_function("window.cryptoReady === true")
    return page
