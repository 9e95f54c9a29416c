"""Browser tests: the real app served in a thread, driven through Debian's Chromium.

Playwright cannot download its own browsers here, so it launches /usr/bin/chromium; without
it every browser test is skipped with the reason. The app is the one `demo_app` builds (a
fresh, migrated database with the demo organisation) with CSRF on, served by werkzeug on
127.0.0.1 on a free port, threaded, so that several browser contexts (tablets, counting-
committee members) talk to it at the same time.

Every test here is `slow` (Chromium costs 5-45 s a test): the quick run skips them and
`--runslow` (CI) runs them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory `slow` (the root conftest then skips it without
    --runslow)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


@dataclass
class LiveServer:
    url: str
    app: Flask

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def app_config() -> dict[str, Any]:
    """CSRF on (as in production); the booth's code checks get a roomier limit so that a
    test's deliberate mistakes never lock a tablet out."""
    return {"WTF_CSRF_ENABLED": True, "CODE_RATE_LIMIT": "60 per minute"}


@pytest.fixture
def live_server(demo_app: Flask) -> Iterator[LiveServer]:
    """The demo app served over HTTP in a background thread (with the app's own security
    headers, Content-Security-Policy included: tests collect its violations)."""
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", demo_app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per module (each test opens its own contexts). Module scope,
    so that it never overlaps another module's Playwright instance."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
