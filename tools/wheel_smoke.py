"""CI's check that the wheel is complete: build it, install it (not editable) into a fresh
virtual environment, run `ballot serve --demo` from a folder outside the repository, and
fetch the login page, a booth and the minutes PDF of the demo rehearsal as the admin.

Usage: python tools/wheel_smoke.py [--constraints requirements/ci.txt]
Exit status 0 when every page came back right; otherwise 1, with the server's output.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path, cwd: Path | None = None) -> None:
    print("$", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=cwd)


def check(condition: object, failure: object) -> None:
    """Fail the smoke test with `failure` unless `condition` holds (not `assert`: python -O)."""
    if not condition:
        raise RuntimeError(str(failure))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


class Browser:
    """A cookie-keeping HTTP client for the served app."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, bytes]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read()


def check_pages(base: str) -> None:
    browser = Browser(base)
    status, _, body = browser.get("/login")
    page = body.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    check(status == 200 and token, "the login page has no form")
    print(f"login page: {status}, {len(body):,} bytes", flush=True)

    browser.post(
        "/login",
        {"username": "admin", "password": "admin-demo-2024", "csrf_token": token.group(1)},
    )
    status, _, body = browser.get("/")
    check(status == 200 and b'action="/logout"' in body, "logging in as admin failed")

    status, _, body = browser.get("/api/v1/votes")
    votes = json.loads(body)["votes"]
    rehearsal = next(v for v in votes if v["ballots_cast"] > 0)
    waiting = next(v for v in votes if v["ballots_cast"] == 0)
    status, _, body = browser.get(f"/booth/{waiting['id']}")
    check(status == 200 and b"<html" in body.lower(), "the booth did not render")
    print(f"booth of {waiting['id']}: {status}, {len(body):,} bytes", flush=True)

    status, kind, body = browser.get(f"/documents/{rehearsal['id']}/minutes.pdf")
    check(status == 200 and kind == "application/pdf", (status, kind))
    check(body.startswith(b"%PDF-"), f"not a PDF: {body[:16]!r}")
    print(f"minutes of {rehearsal['id']}: {kind}, {len(body):,} bytes, starts %PDF-", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--constraints", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ballot-wheel-") as tmp_name:
        tmp = Path(tmp_name)
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", ROOT)
        (wheel,) = (tmp / "dist").glob("ballot-*.whl")
        run(sys.executable, "-m", "venv", tmp / "venv")
        python = tmp / "venv" / "bin" / "python"
        constraints = ["-c", str(args.constraints.resolve())] if args.constraints else []
        run(python, "-m", "pip", "install", "-q", *constraints, wheel)
        site = subprocess.run(
            [python, "-c", "import ballot.app as a; print(a.TEMPLATES_DIR)"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        check("site-packages" in site, f"templates come from {site}, not from the wheel")
        print(f"templates served from {site}", flush=True)

        port = free_port()
        env = {
            k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BALLOT_INSTANCE_PATH")
        }
        # the minutes print the record's public address: a deployment sets it (README)
        env["BALLOT_PUBLIC_BASE_URL"] = "https://ballot.example.org"
        log = (tmp / "server.log").open("w+b")
        server = subprocess.Popen(
            [tmp / "venv" / "bin" / "ballot", "serve", "--demo", "--port", str(port),
             "--instance", tmp / "instance"],
            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_for(port, server)
            check_pages(f"http://127.0.0.1:{port}")
            log.seek(0)
            events = [line for line in log.read().decode().splitlines() if " event=" in line]
            check(events, "the server wrote no log line")
            print("the server's log:", *events, sep="\n  ", flush=True)
        except Exception as exc:
            log.seek(0)
            print(log.read().decode(errors="replace"), file=sys.stderr)
            print(f"wheel smoke test FAILED: {exc!r}", file=sys.stderr)
            return 1
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
            log.close()
    print("wheel smoke test: 3 pages fetched from a non-editable install", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
