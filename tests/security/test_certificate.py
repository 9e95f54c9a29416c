"""Issue 14.7: the LAN certificate is no longer a CA for every site. Checked with
`openssl verify`, as a tablet's TLS stack would: certificates for other names, from a sub-CA
or signed with the server's key all fail under the CA the tablets install."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ballot import tls

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

NAMES = ["localhost", "phong-hop", "phong-hop.local"]
IPS = ["127.0.0.1", "::1", "10.1.2.3"]


def _pem(path: Path, *certificates: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates))
    return path


def _verify(tmp_path: Path, ca: Path, leaf: Path, untrusted: Path | None = None) -> str:
    command = ["openssl", "verify", "-CAfile", str(ca)]
    if untrusted is not None:
        command += ["-untrusted", str(untrusted)]
    done = subprocess.run(
        [*command, str(leaf)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    return done.stdout + done.stderr


def _sign(
    issuer: x509.Certificate,
    issuer_key: ec.EllipticCurvePrivateKey,
    names: list[str],
    ips: list[str],
    ca: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cn = ("rogue sub-CA " if ca else "") + (names[0] if names else "rogue")
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in names]
                + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
            ),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256()), key


def test_the_ca_is_constrained_to_this_hosts_names_with_path_length_0(tmp_path: Path) -> None:
    ca, _ca_key, server, _key = tls.issue_certificates(NAMES, IPS)
    constraints = ca.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical and constraints.value.excluded_subtrees is None
    permitted = constraints.value.permitted_subtrees or []
    assert {n.value for n in permitted if isinstance(n, x509.DNSName)} == set(NAMES)
    assert {str(n.value) for n in permitted if isinstance(n, x509.IPAddress)} == {
        "127.0.0.1/32",
        "::1/128",
        "10.1.2.3/32",
    }
    basic = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for certificate in (ca, server):
        lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
        assert lifetime <= dt.timedelta(days=826)  # iPadOS's limit, and shorter than a term
    assert _verify(tmp_path, _pem(tmp_path / "ca.pem", ca), _pem(tmp_path / "s.pem", server)) == (
        f"{tmp_path / 's.pem'}: OK\n"
    )


def test_a_certificate_for_another_name_under_the_lan_ca_fails_openssl_verify(
    tmp_path: Path,
) -> None:
    # Suppose the CA's key had been kept and stolen (it is not: see the next test).
    ca, ca_key, server, server_key = tls.issue_certificates(NAMES, IPS)
    ca_file = _pem(tmp_path / "ca.pem", ca)
    for names, ips in (
        (["bank.example.vn"], []),
        (["evil.localhost.example"], []),
        ([], ["10.1.2.4"]),
        (["localhost", "accounts.google.com"], []),
    ):
        rogue, _ = _sign(ca, ca_key, names, ips)
        out = _verify(tmp_path, ca_file, _pem(tmp_path / "rogue.pem", rogue))
        assert "permitted subtree violation" in out and ": OK" not in out, (names, ips, out)
    # a sub-CA (path length 0 forbids it), even for this host's own name
    sub, sub_key = _sign(ca, ca_key, ["localhost"], [], ca=True)
    leaf, _ = _sign(sub, sub_key, ["localhost"], [])
    out = _verify(
        tmp_path, ca_file, _pem(tmp_path / "leaf.pem", leaf), _pem(tmp_path / "sub.pem", sub)
    )
    assert "path length constraint exceeded" in out and ": OK" not in out, out
    # the server's own key (instance/tls/key.pem) signs nothing a tablet accepts
    forged, _ = _sign(server, server_key, ["localhost"], ["127.0.0.1"])
    out = _verify(
        tmp_path, ca_file, _pem(tmp_path / "forged.pem", forged), _pem(tmp_path / "srv.pem", server)
    )
    assert ": OK" not in out and "invalid CA certificate" in out, out


def test_the_cas_private_key_is_never_written(tmp_path: Path) -> None:
    files = tls.ensure_certificate(tmp_path, ["10.1.2.3"])
    assert files.ca is not None
    ca_public = (
        tls.load_certificate(files.ca)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    keys = []
    for path in (tmp_path / "tls").iterdir():
        if b"PRIVATE KEY" in path.read_bytes():
            keys.append(serialization.load_pem_private_key(path.read_bytes(), password=None))
    assert len(keys) == 1  # the server's key only
    assert (
        keys[0]
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        != ca_public
    )
    chain = _verify(tmp_path, files.ca, files.cert)
    assert chain.endswith(": OK\n"), chain
