"""HTTPS on the meeting room's LAN: a certificate made once per instance, served by cheroot.

`ballot serve --tls` makes, once, in instance/tls/ (folder 0700, files 0600):

- `ca.pem`: a CA certificate that tablets install as trusted. Android and iPadOS let a user
  trust only a CA certificate, not a server certificate (README, "Serving over TLS to
  tablets"), so one is needed; it is made harmless: basicConstraints CA:TRUE with path
  length 0, and *critical* name constraints that permit only this laptop's own names
  (localhost, its host name) and IP addresses, so no certificate it signed for any other
  site verifies. Its private key is used once, to sign the server certificate below, and
  never written anywhere: nobody can issue anything else under it, not even for this host.
- `cert.pem` (server certificate, CA:FALSE, then the CA) and `key.pem` (its key): what the
  server presents. Whoever copies key.pem can impersonate this laptop's names only, and
  can sign nothing.

Both last VALIDITY_DAYS (825), at most what iPadOS accepts for a server certificate and
shorter than a party term. The CA's SHA-256 fingerprint is printed, with a QR code of the
download address, so whoever installs it on a tablet can compare the fingerprints.
cheroot (pure Python, runs on Windows) serves both plain HTTP and HTTPS (ballot.serving).
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
CA_NAME = "ca.pem"


@dataclass(frozen=True)
class CertificateFiles:
    #: The server's certificate chain (PEM: server certificate, then the CA).
    cert: Path
    key: Path
    created: bool
    #: What tablets install and whose fingerprint is printed (the organisation's own
    #: certificate when one is given).
    ca: Path | None = None

    @property
    def trusted(self) -> Path:
        return self.ca or self.cert


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
        if not item or item in ("0.0.0.0", "::"):  # noqa: S104 - compared, not bound  # nosec B104
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


def _key_usage(*, server: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=server,
        key_cert_sign=not server,
        crl_sign=not server,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        encipher_only=False,
        decipher_only=False,
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _permitted(names: list[str], ips: list[str]) -> list[x509.GeneralName]:
    subtrees: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    for text in ips:
        address = ipaddress.ip_address(text)
        subtrees.append(x509.IPAddress(ipaddress.ip_network(f"{address}/{address.max_prefixlen}")))
    return subtrees


def issue_certificates(
    names: list[str], ips: list[str]
) -> tuple[
    x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate, ec.EllipticCurvePrivateKey
]:
    """A constrained CA for `names` and `ips` and a server certificate it signed:
    (CA certificate, CA key, server certificate, server key). `make_certificate` drops the
    CA key; tests keep it to show what it could (not) sign."""
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(days=VALIDITY_DAYS)
    host = socket.gethostname()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"ballot CA {host}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ballot (LAN)"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(server=False), critical=True)
        .add_extension(
            x509.NameConstraints(permitted_subtrees=_permitted(names, ips), excluded_subtrees=None),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    san = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    server = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, f"ballot {host}"[:64]),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ballot (LAN)"),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(server=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return ca, ca_key, server, key


def make_certificate(names: list[str], ips: list[str]) -> tuple[bytes, bytes, bytes]:
    """(server chain PEM, server key PEM, CA PEM) for `names` and `ips`; the CA's key is
    dropped here, so nothing else can ever be signed under the CA."""
    ca, _ca_key, server, key = issue_certificates(names, ips)
    pem = serialization.Encoding.PEM
    ca_pem = ca.public_bytes(pem)
    return server.public_bytes(pem) + ca_pem, _pem_key(key), ca_pem


def ensure_certificate(
    instance_path: str | os.PathLike[str], hosts: Iterable[str] = ()
) -> CertificateFiles:
    """Return instance/tls/{cert,key,ca}.pem, creating them the first time (owner only)."""
    folder = Path(instance_path) / "tls"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    cert, key, ca = folder / CERT_NAME, folder / KEY_NAME, folder / CA_NAME
    if cert.exists() and key.exists():
        return CertificateFiles(cert, key, created=False, ca=ca if ca.exists() else None)
    names, ips = subject_names(hosts)
    cert_pem, key_pem, ca_pem = make_certificate(names, ips)
    for path, data in ((key, key_pem), (cert, cert_pem), (ca, ca_pem)):
        path.unlink(missing_ok=True)
        _write_private(path, data)
    return CertificateFiles(cert, key, created=True, ca=ca)


def is_unconstrained_ca(certificate: x509.Certificate) -> bool:
    """A server certificate that is itself a CA without name constraints (made before
    issue 14.7): its key could sign a certificate for any site."""
    try:
        is_ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False
    try:
        certificate.extensions.get_extension_for_class(x509.NameConstraints)
    except x509.ExtensionNotFound:
        return bool(is_ca)
    return False


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
    """/tls/certificate.crt: the CA certificate (public) for tablets to download and install."""
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
    """The HTTPS server (ballot.serving's, with the certificate chain and key)."""
    from ballot.serving import make_server as bounded_server

    return bounded_server(app, host, port, threads, str(cert), str(key))


def prepare_app(app: Flask, cert: Path) -> None:
    """Mark the app as served over TLS: Secure cookies, HSTS, the certificate download."""
    app.config.update(TLS=True, SESSION_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    app.register_blueprint(certificate_blueprint(cert))


def announce(cert: Path, host: str, port: int, server_cert: Path | None = None) -> str:
    """What the operator reads: the address, the fingerprint of what tablets install
    (`cert`) and a QR of the download link."""
    certificate = load_certificate(cert)
    shown = host if host not in ("0.0.0.0", "::") else (lan_addresses() or ["127.0.0.1"])[0]  # noqa: S104 - compared  # nosec B104
    url = f"https://{shown}:{port}/"
    lines = [
        f"Serving on {url} (Ctrl+C to stop)",
        f"Certificate SHA-256 fingerprint (dấu vân tay chứng chỉ):\n  {fingerprint(certificate)}",
        f"Tablets download it from {url}tls/certificate.crt and compare the fingerprint "
        "before trusting it (README: Serving over TLS to tablets).",
        qr_text(f"{url}tls/certificate.crt"),
    ]
    served = load_certificate(server_cert or cert)
    if is_unconstrained_ca(served):
        lines.append(
            f"Warning: {cert.parent} holds an unconstrained CA certificate made by an older "
            "version: whoever copies its key can make certificates for any site. Delete "
            f"{cert.parent} to make a constrained one (tablets must then install it again). "
            "(Chứng chỉ cũ không bị giới hạn tên miền: hãy xóa thư mục tls để tạo lại.)"
        )
    missing = missing_addresses(served, lan_addresses())
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
    prepare_app(app, files.trusted)
    text = announce(files.trusted, host, port, files.cert)
    if cert:  # the organisation's certificate names what it names; no address warning
        text = text.split("\nWarning:")[0]
    echo(text)
    server = make_server(app, host, port, threads, files.cert, files.key)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
