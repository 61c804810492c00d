"""A loopback OpenID configuration + JWKS server in its own thread, with test RSA keys.

The SDK (and bot.transport.auth in a worker thread) fetch metadata with blocking HTTP calls, so this server must not run
on the test's event loop: it is a `ThreadingHTTPServer` on 127.0.0.1:0 in a daemon thread.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwt.algorithms import RSAAlgorithm


@dataclass
class TestKey:
    """An RSA signing key with its JWKS entry (kid, endorsements)."""

    __test__ = False  # not a pytest test class

    kid: str
    endorsements: list[str] = field(default_factory=lambda: ["msteams"])
    private_key: RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))

    @property
    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwk(self) -> dict[str, Any]:
        entry: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        entry.update({"kid": self.kid, "use": "sig", "alg": "RS256", "endorsements": list(self.endorsements)})
        return entry


class OpenIdServer:
    """Serves /.well-known/openid-configuration and /keys; keys can be added while it runs (rotation)."""

    def __init__(self, keys: list[TestKey]) -> None:
        self._keys = list(keys)
        self._lock = threading.Lock()
        self.metadata_requests = 0
        self.jwks_requests = 0
        self.fail_with: int | None = None
        # Seconds between the bytes of the JWKS answer (a server that drips), until `stop_dripping()`.
        self.drip_seconds: float | None = None
        self._stop_dripping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="openid-server", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/.well-known/openid-configuration"

    def start(self) -> OpenIdServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def key_ids(self) -> list[str]:
        with self._lock:
            return [k.kid for k in self._keys]

    def add_key(self, key: TestKey) -> None:
        with self._lock:
            self._keys.append(key)

    def remove_key(self, kid: str) -> None:
        with self._lock:
            self._keys = [k for k in self._keys if k.kid != kid]

    def stop_dripping(self) -> None:
        """Back to prompt answers; answers being dripped end at once (connection closed)."""
        self.drip_seconds = None
        self._stop_dripping.set()
        self._stop_dripping = threading.Event()

    def reset_counters(self) -> None:
        with self._lock:
            self.metadata_requests = 0
            self.jwks_requests = 0

    def _document(self, path: str) -> tuple[int, Any]:
        with self._lock:
            if self.fail_with is not None:
                return self.fail_with, {"error": "configured failure"}
            if path == "/.well-known/openid-configuration":
                self.metadata_requests += 1
                return 200, {
                    "issuer": "https://api.botframework.com",
                    "jwks_uri": f"{self.base_url}/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                }
            if path == "/keys":
                self.jwks_requests += 1
                return 200, {"keys": [k.jwk() for k in self._keys]}
        return 404, {"error": "not found"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                status, document = server._document(path)
                body = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                drip, stop = server.drip_seconds, server._stop_dripping
                if drip is None or path != "/keys":
                    self.wfile.write(body)
                    return
                for offset in range(len(body)):
                    if stop.wait(drip):
                        self.close_connection = True
                        return
                    try:
                        self.wfile.write(body[offset : offset + 1])
                        self.wfile.flush()
                    except OSError:  # the client gave up
                        return

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
