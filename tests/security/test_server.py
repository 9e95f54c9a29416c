"""Issue 14.6 and 14.8: `ballot serve`'s server refuses oversized and malformed bodies
itself (raw sockets on 127.0.0.1), and the instance folder is private to its owner."""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from ballot import serving, tls
from ballot.cli import main
from tests.conftest import PG_URL


@pytest.fixture
def server(app: Flask) -> Iterator[int]:
    """`ballot serve`'s server (plain HTTP) for the test app on a free port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    running = serving.make_server(app, "127.0.0.1", port, 2)
    thread = threading.Thread(target=running.start, daemon=True)
    thread.start()
    for _ in range(200):
        if running.ready:
            break
        time.sleep(0.02)
    yield port
    running.stop()
    thread.join(5)


def _exchange(port: int, head: bytes, body: bytes = b"", wait: float = 5.0) -> tuple[bytes, float]:
    """Send `head`, then as much of `body` as the server takes; return what it answered and
    how long the answer took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as conn:
        conn.sendall(head)
        conn.setblocking(False)
        sent = 0
        answer = b""
        while time.monotonic() - started < wait:
            if sent < len(body):
                with contextlib.suppress(BlockingIOError, ConnectionError):
                    sent += conn.send(body[sent : sent + 65536])
            try:
                data = conn.recv(65536)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            except ConnectionError:
                break
            if not data:
                break
            answer += data
            if _complete(answer):
                break
        return answer, time.monotonic() - started


def _complete(answer: bytes) -> bool:
    """Whether the answer's head and its whole body (by Content-Length) have arrived: the
    server may send them in two packets."""
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return True


def test_a_200_mb_body_is_refused_before_it_is_read(server: int) -> None:
    head = (
        b"POST /api/v1/votes/x/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 209715200\r\n\r\n"
    )
    answer, took = _exchange(server, head)  # not one byte of the body is sent
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert took < 2


def test_a_chunk_size_line_that_never_ends_costs_nothing(server: int) -> None:
    head = (
        b"POST /api/v1/votes/x/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    started = time.process_time()
    answer, took = _exchange(server, head, b"1" * (16 * 1024 * 1024))
    cpu = time.process_time() - started
    # answered after reading at most MAX_CHUNK_LINE bytes of the line, not after 16 MB
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert took < 3 and cpu < 3, (took, cpu)


def test_a_chunked_body_over_the_limit_is_413_and_a_small_one_works(
    server: int, app: Flask
) -> None:
    head = (
        b"POST /api/v1/votes/x/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 80 + b"0\r\n\r\n"  # 5 MiB > 4 MiB
    answer, _ = _exchange(server, head, body)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    small = b'{"code": "ABCD"}'
    answer, _ = _exchange(server, head, b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small))
    # read and parsed (the ballot route reads its body first), then: no such vote
    assert answer.startswith(b"HTTP/1.1 404 ") and b"unknown_vote" in answer, answer[:300]
    for bad in (b"zz\r\nxx\r\n0\r\n\r\n", b"4\r\nabcdef\r\n0\r\n\r\n"):
        answer, _ = _exchange(server, head, bad)
        assert answer.startswith(b"HTTP/1.1 400 "), (bad, answer[:200])
    # a chunked body the application did not read is not taken for a next request
    unread = head.replace(b"/ballots", b"/codes/check")
    smuggled = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    answer, _ = _exchange(
        server, unread, b"%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled), wait=2
    )
    assert answer.count(b"HTTP/1.1 ") == 1 and b"Connection: close" in answer, answer[:400]


def test_plain_and_tls_serving_use_the_same_bounded_server(tmp_path: Path, app: Flask) -> None:
    plain = serving.make_server(app, "127.0.0.1", 0, 1)
    files = tls.ensure_certificate(tmp_path)
    secure = tls.make_server(app, "127.0.0.1", 0, 1, files.cert, files.key)
    for server in (plain, secure):
        assert server.ConnectionClass is serving.BoundedConnection
        assert server.max_request_body_size == app.config["MAX_CONTENT_LENGTH"]
    assert secure.ssl_adapter is not None and plain.ssl_adapter is None


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.skipif(bool(PG_URL), reason="the SQLite file lives in the instance folder")
def test_the_instance_folder_and_its_files_are_private(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BALLOT_VERIFY_PROCESSES", "0")
    monkeypatch.delenv("BALLOT_DATABASE_URL", raising=False)
    old = os.umask(0o022)  # a usual umask: files 0644 unless the code says otherwise
    try:
        instance = tmp_path / "instance"
        result = CliRunner().invoke(main, ["init", "--instance", str(instance)])
        assert result.exit_code == 0, result.output
        backup = CliRunner().invoke(main, ["backup", "--instance", str(instance)])
        assert backup.exit_code == 0, backup.output
        tls.ensure_certificate(instance)
    finally:
        os.umask(old)
    assert _mode(instance) == 0o700
    files = [p for p in instance.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"config.py", "ballot.sqlite", "cert.pem", "key.pem", "ca.pem"} <= names
    assert any(p.parent.name == "backups" for p in files)
    assert {str(p.relative_to(instance)): _mode(p) for p in files} == {
        str(p.relative_to(instance)): 0o600 for p in files
    }
    assert {_mode(p) for p in instance.rglob("*") if p.is_dir()} == {0o700}

    # an instance made by an older version (world-readable) is closed by `ballot init`
    (instance / "ballot.sqlite").chmod(0o644)
    instance.chmod(0o755)
    again = CliRunner().invoke(main, ["init", "--instance", str(instance)])
    assert again.exit_code == 0, again.output
    assert _mode(instance) == 0o700 and _mode(instance / "ballot.sqlite") == 0o600
