"""`ballot serve`'s one server, plain HTTP and HTTPS alike: cheroot, with the request size
enforced in the server itself.

- A body whose Content-Length exceeds MAX_CONTENT_LENGTH is refused (413) right after its
  headers, before a byte of it is read (cheroot's `max_request_body_size`).
- A chunked body is read through `BoundedChunkedRFile`: a chunk-size line longer than
  `MAX_CHUNK_LINE` bytes (or cut off) is a 400 after reading at most that many bytes, and
  the whole body is capped at the same limit; cheroot's own reader reads a size line to its
  end, however long, before looking at it.
- After a chunked request the connection is closed: what the application did not read of
  the body is never parsed as a next request.
- Request headers are capped at `MAX_HEADER_BYTES`; a connection idle for `TIMEOUT` seconds
  is closed.

Before serving, `demo_guard` refuses a demo instance on anything but a loopback address
while the demo accounts still accept the passwords printed in the README (issue 14.4).
"""

from __future__ import annotations

import ipaddress
from typing import Any, NoReturn

from cheroot.server import ChunkedRFile, HTTPConnection, HTTPRequest
from cheroot.wsgi import Server
from flask import Flask
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

#: Longest chunk-size line accepted (hex size plus extensions): 1 KiB is far beyond any client.
MAX_CHUNK_LINE = 1024
MAX_HEADER_BYTES = 64 * 1024
TIMEOUT = 10


class BoundedChunkedRFile(ChunkedRFile):  # type: ignore[misc]
    """cheroot's chunked reader with a bounded size line; malformed input is a 400 (a
    werkzeug error, which Flask answers), an oversized body a 413, and the connection is
    closed afterwards (its stream is no longer in step)."""

    def __init__(self, rfile: Any, maxlen: int, request: HTTPRequest) -> None:
        super().__init__(rfile, maxlen)
        self.request = request

    def _refuse(self, error: Exception) -> NoReturn:
        self.request.close_connection = True
        self.closed = True
        raise error

    def _fetch(self) -> None:
        if self.closed:
            return
        line = self.rfile.readline(MAX_CHUNK_LINE)
        self.bytes_read += len(line)
        if not line.endswith(b"\n"):
            self._refuse(BadRequest("chunk-size line too long or cut off"))
        if self.maxlen and self.bytes_read > self.maxlen:
            self._refuse(RequestEntityTooLarge())
        text = line.strip().split(b";", 1)[0]
        try:
            size = int(text, 16)
        except ValueError:
            self._refuse(BadRequest("bad chunk size"))
        if size < 0:
            self._refuse(BadRequest("bad chunk size"))
        if size == 0:
            self.closed = True
            return
        if self.maxlen and self.bytes_read + size > self.maxlen:
            self._refuse(RequestEntityTooLarge())
        chunk = self.rfile.read(size)
        self.bytes_read += len(chunk)
        self.buffer += chunk
        if len(chunk) != size or self.rfile.read(2) != b"\r\n":
            self._refuse(BadRequest("bad chunked transfer coding"))


class BoundedRequest(HTTPRequest):  # type: ignore[misc]
    def respond(self) -> None:
        if self.chunked_read:
            # What cheroot's respond() does, with the bounded reader.
            self.rfile = BoundedChunkedRFile(
                self.conn.rfile, self.server.max_request_body_size, self
            )
            # The application may answer without reading the body (a refusal before it):
            # close the connection after a chunked request, rather than parse what is left
            # of its body as a next request. Browsers never send chunked request bodies.
            self.close_connection = True
            self.server.gateway(self).respond()
            return
        super().respond()


class BoundedConnection(HTTPConnection):  # type: ignore[misc]
    RequestHandlerClass = BoundedRequest


def make_server(
    app: Flask,
    host: str,
    port: int,
    threads: int,
    cert: str | None = None,
    key: str | None = None,
) -> Server:
    """A cheroot server for `app` (HTTPS when `cert` and `key` are given); call .start(),
    and .stop() from another thread or on Ctrl+C."""
    server = Server((host, port), app, numthreads=threads, server_name="ballot", timeout=TIMEOUT)
    server.ConnectionClass = BoundedConnection
    server.max_request_body_size = int(app.config.get("MAX_CONTENT_LENGTH") or 0)
    server.max_request_header_size = MAX_HEADER_BYTES
    if cert and key:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
    return server


def is_loopback(host: str) -> bool:
    """Whether `host` (as given to --host) only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DemoPasswordsError(RuntimeError):
    """A demo instance would face the network with the published passwords."""


def demo_guard(app: Flask, host: str, allow: bool) -> str | None:
    """Refuse (DemoPasswordsError) to serve on a non-loopback address while demo accounts
    accept their published passwords, unless `allow`; then return a loud warning."""
    if is_loopback(host):
        return None
    from ballot.auth.accounts import unchanged_demo_passwords

    with app.app_context():
        unchanged = unchanged_demo_passwords()
    if not unchanged:
        return None
    names = ", ".join(unchanged)
    if not allow:
        raise DemoPasswordsError(
            f"Refusing to serve on {host}: the demo accounts {names} still have the passwords "
            "printed in the README. Change them with `ballot users passwd NAME` (or disable "
            "them with `ballot users disable NAME`), or pass --allow-demo-passwords to serve a "
            "throwaway demonstration anyway. (Tài khoản mẫu vẫn dùng mật khẩu công khai: hãy "
            "đổi mật khẩu trước khi phục vụ trên mạng.)"
        )
    bar = "!" * 78
    return (
        f"{bar}\nWARNING: serving on {host} with the PUBLISHED demo passwords of {names}.\n"
        "Anyone on this network can log in as these accounts. Use this only for a throwaway "
        "demonstration.\n(CẢNH BÁO: tài khoản mẫu đang dùng mật khẩu công khai.)\n"
        f"{bar}"
    )
