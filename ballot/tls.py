"""HTTPS on the meeting room's LAN: a certificate made once per instance, served by cheroot.

`ballot serve --tls` keeps a private key (mode 0600) and a self-signed certificate in
instance/tls/. The certificate names the laptop's LAN addresses, its host name, localhost
and 127.0.0.1, so a tablet that trusts it (README: "Serving over TLS to tablets") sees a
valid site at https://<address>:<port>/. It is its own CA (basicConstraints CA:TRUE, the
only kind Android and iPadOS let a user install as trusted) and lasts 825 days, the most
iPadOS accepts for a server certificate. Its SHA-256 fingerprint is printed, with a QR code
of the download address, so whoever installs it on a tablet can compare the fingerprints.

waitress has no TLS; cheroot (CherryPy's server, pure Python, runs on Windows) serves the
same WSGI app with Python's own ssl module.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import Blueprint, Flask, Response

#: iPadOS refuses server certificates valid for longer (Apple, "Requirements for trusted
#: certificates in iOS 13 and macOS 10.15").
VALIDITY_DAYS = 825
CERT_NAME = "cert.pem"
KEY_NAME = "key.pem"


@dataclass(frozen=True)
class CertificateFiles:
    cert: Path
    key: Path
    created: bool


def lan_addresses() -> list[str]:
    """The host's own IP addresses other than loopback, best effort and without traffic."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.append(str(info[4][0]))
    except OSError:
        pass
    # The address of the default route: connect() on a UDP socket only picks a route and
    # sends nothing. 192.0.2.1 is a documentation address (RFC 5737).
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(str(probe.getsockname()[0]))
    except OSError:
        pass
    out = []
    for text in found:
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if (
            not (address.is_loopback or address.is_unspecified or address.is_link_local)
            and str(address) not in out
        ):
            out.append(str(address))
    return out


def subject_names(hosts: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """DNS names and IP addresses for the certificate: localhost, the host name, the LAN
    addresses and any `hosts` given (names or addresses)."""
    names = ["localhost"]
    host = socket.gethostname()
    if host and host != "localhost":
        names += [host, f"{host}.local"] if "." not in host else [host]
    ips = ["127.0.0.1", "::1", *lan_addresses()]
    for item in hosts:
        if not item or item in ("0.0.0.0", "::"):  # noqa: S104 - compared, not bound
            continue
        try:
            ipaddress.ip_address(item)
            ips.append(item)
        except ValueError:
            names.append(item)
    return list(dict.fromkeys(names)), list(dict.fromkeys(ips))


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, refusing to overwrite."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def make_certificate(names: list[str], ips: list[str]) -> tuple[bytes, bytes]:
    """A new P-256 key and a self-signed certificate for `names` and `ips` (PEM, PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"ballot {socket.gethostname()}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ballot (LAN)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    san = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def ensure_certificate(
    instance_path: str | os.PathLike[str], hosts: Iterable[str] = ()
) -> CertificateFiles:
    """Return instance/tls/{cert,key}.pem, creating them the first time (key mode 0600)."""
    folder = Path(instance_path) / "tls"
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / CERT_NAME, folder / KEY_NAME
    if cert.exists() and key.exists():
        return CertificateFiles(cert, key, created=False)
    names, ips = subject_names(hosts)
    cert_pem, key_pem = make_certificate(names, ips)
    key.unlink(missing_ok=True)
    _write_private(key, key_pem)
    cert.write_bytes(cert_pem)
    return CertificateFiles(cert, key, created=True)


def load_certificate(path: str | os.PathLike[str]) -> x509.Certificate:
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 fingerprint as tablets show it: "AB:CD:...", 32 bytes."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def missing_addresses(certificate: x509.Certificate, addresses: Iterable[str]) -> list[str]:
    """Which of `addresses` the certificate does not name (the laptop's address changed)."""
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    named = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return [a for a in addresses if a not in named]


def certificate_blueprint(cert_path: Path) -> Blueprint:
    """/tls/certificate.crt: the certificate (public) for tablets to download and install."""
    bp = Blueprint("tls", __name__)

    @bp.get("/tls/certificate.crt")
    def certificate() -> Response:
        """The site's certificate, to install on a tablet (compare its fingerprint first)."""
        der = load_certificate(cert_path).public_bytes(serialization.Encoding.DER)
        response = Response(der, mimetype="application/x-x509-ca-cert")
        response.headers["Content-Disposition"] = 'attachment; filename="ballot.crt"'
        return response

    return bp


def qr_text(data: str) -> str:
    """A QR code drawn with text characters, for a terminal."""
    import io

    import segno

    out = io.StringIO()
    segno.make(data, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def make_server(app: Flask, host: str, port: int, threads: int, cert: Path, key: Path):  # type: ignore[no-untyped-def]
    """A cheroot HTTPS server for `app` (call .start(); .stop() from another thread)."""
    from cheroot.ssl.builtin import BuiltinSSLAdapter
    from cheroot.wsgi import Server

    server = Server((host, port), app, numthreads=threads, server_name="ballot")
    server.ssl_adapter = BuiltinSSLAdapter(str(cert), str(key))
    return server


def prepare_app(app: Flask, cert: Path) -> None:
    """Mark the app as served over TLS: Secure cookies, HSTS, the certificate download."""
    app.config.update(TLS=True, SESSION_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    app.register_blueprint(certificate_blueprint(cert))


def announce(cert: Path, host: str, port: int) -> str:
    """What the operator reads: the address, the fingerprint and a QR of the download link."""
    certificate = load_certificate(cert)
    shown = host if host not in ("0.0.0.0", "::") else (lan_addresses() or ["127.0.0.1"])[0]  # noqa: S104 - compared
    url = f"https://{shown}:{port}/"
    lines = [
        f"Serving on {url} (Ctrl+C to stop)",
        f"Certificate SHA-256 fingerprint (dấu vân tay chứng chỉ):\n  {fingerprint(certificate)}",
        f"Tablets download it from {url}tls/certificate.crt and compare the fingerprint "
        "before trusting it (README: Serving over TLS to tablets).",
        qr_text(f"{url}tls/certificate.crt"),
    ]
    missing = missing_addresses(certificate, lan_addresses())
    if missing:
        lines.append(
            f"Warning: the certificate does not name {', '.join(missing)}; delete "
            f"{cert.parent} to make a new one (tablets must then install it again). "
            "(Chứng chỉ không có địa chỉ này.)"
        )
    return "\n".join(lines)


def serve_over_tls(
    app: Flask,
    instance_path: str,
    host: str,
    port: int,
    threads: int,
    cert: str | None = None,
    key: str | None = None,
    echo=print,
) -> None:  # type: ignore[no-untyped-def]
    """Serve `app` over HTTPS until Ctrl+C: with the organisation's `cert` and `key` if
    given, else with the instance's own certificate (made the first time)."""
    if cert or key:
        if not (cert and key):
            raise ValueError("give both --cert and --key (cần cả tệp chứng chỉ và tệp khóa)")
        files = CertificateFiles(Path(cert), Path(key), created=False)
        load_certificate(files.cert)  # a clear error now rather than at the first connection
    else:
        files = ensure_certificate(instance_path, [host])
        echo(
            f"{'Created' if files.created else 'Using'} certificate {files.cert} (key {files.key}, owner only)"
        )
    prepare_app(app, files.cert)
    text = announce(files.cert, host, port)
    if cert:  # the organisation's certificate names what it names; no address warning
        text = text.split("\nWarning:")[0]
    echo(text)
    server = make_server(app, host, port, threads, files.cert, files.key)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
