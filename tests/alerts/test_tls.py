"""An https delivery connects to the checked address yet speaks TLS to the name:
SNI and the certificate check are the name's, not the address's."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from alerts import sending
from alerts.sending import DeliveryRetry, post_webhook
from tests.support.ports import worker_port

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl")
NAME = "hooks.partner.example"


def certificate(directory, name):
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(tmp_path):
    """An https receiver on loopback with a certificate for `served`; it
    records the SNI name and Host header of each request."""
    seen = {"sni": [], "host": []}
    servers = []

    def start(served):
        cert, key = certificate(tmp_path, served)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # noqa: ANN002
                pass

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers["Content-Length"]))
                seen["host"].append(self.headers["Host"])
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        httpd = ThreadingHTTPServer(("127.0.0.1", worker_port(8722)), Handler)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return cert, httpd.server_address[1]

    yield start, seen
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def post(port):
    return post_webhook(
        url=f"https://{NAME}:{port}/hook",
        body=b"{}",
        headers={},
        timeout=3,
        allow_http=False,
        allow_private=True,
    )


def test_tls_goes_to_the_checked_address_with_the_names_sni_and_certificate(
    dns, tls_server, monkeypatch
):
    start, seen = tls_server
    cert, port = start(NAME)
    monkeypatch.setattr(sending.certifi, "where", lambda: str(cert))
    dns[NAME] = ["127.0.0.1"]
    assert post(port) == 204
    assert seen["sni"] == [NAME]
    assert seen["host"] == [f"{NAME}:{port}"]


def test_a_certificate_for_another_name_is_refused(dns, tls_server, monkeypatch):
    start, seen = tls_server
    cert, port = start("elsewhere.example")
    monkeypatch.setattr(sending.certifi, "where", lambda: str(cert))
    dns[NAME] = ["127.0.0.1"]
    with pytest.raises(DeliveryRetry, match="(?i)certificate|hostname"):
        post(port)
    assert seen["host"] == []
