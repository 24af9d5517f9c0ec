"""A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

It serves discovery, its JWKS, `/authorize` (straight back to the client with a code and the
state, or with the error a test asks for) and `/token` (checks the client's secret, the code
and its PKCE verifier, and answers an RS256-signed ID token carrying the nonce given at
`/authorize`). A test decides the claims and may spoil the token: another audience or issuer,
expired, signed by a key not in the JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "accelerator-tests"
CLIENT_SECRET = "fake-issuer-secret"


class FakeIssuer:
    """The provider's state: the claims of the next sign-in and how to spoil its token."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "fake-1", "use": "sig"})
        self.url = ""
        self.reset()
        self.app = self._make_app()

    def reset(self) -> None:
        self.claims: dict = {}
        self.error: str | None = None
        self.audience: str | None = None  # another audience than the client's
        self.issuer: str | None = None  # another issuer than its own
        self.expires_in = 300
        self.signing_key: RSAKey | None = None  # a key the JWKS does not hold
        self.omit_nonce = False
        self.codes: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []

    def sign_in_as(self, email: str, *, sub: str | None = None, verified=True, **more) -> None:
        """The person the next /authorize signs in."""
        self.claims = {
            "sub": sub or f"sub-{email}",
            "email": email,
            "email_verified": verified,
            **more,
        }

    def _make_app(self) -> Flask:
        app = Flask("fake_oidc_issuer")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.url,
                authorization_endpoint=f"{self.url}/authorize",
                token_endpoint=f"{self.url}/token",
                jwks_uri=f"{self.url}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
            )

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            args = request.args.to_dict()
            self.authorize_requests.append(args)
            back = args["redirect_uri"]
            if self.error:
                query = {"error": self.error, "state": args.get("state", "")}
                return redirect(f"{back}?{urlencode(query)}")
            code = secrets.token_urlsafe(16)
            self.codes[code] = args
            return redirect(f"{back}?{urlencode({'code': code, 'state': args['state']})}")

        @app.post("/token")
        def token():
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            asked = self.codes.pop(request.form.get("code", ""), None)
            if asked is None or request.form.get("redirect_uri") != asked["redirect_uri"]:
                return jsonify(error="invalid_grant"), 400
            verifier = request.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if challenge.rstrip(b"=").decode() != asked.get("code_challenge"):
                return jsonify(error="invalid_grant", error_description="PKCE"), 400
            return jsonify(
                access_token=secrets.token_urlsafe(16),
                token_type="Bearer",
                expires_in=300,
                id_token=self._id_token(asked),
            )

        @app.get("/")
        def home():
            abort(404)

        return app

    def _id_token(self, asked: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer or self.url,
            "aud": self.audience or asked["client_id"],
            "iat": now if self.expires_in > 0 else now - 3600,
            "exp": now + self.expires_in,
            **self.claims,
        }
        if not self.omit_nonce:
            claims["nonce"] = asked.get("nonce")
        key = self.signing_key or self.key
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)


@contextmanager
def running_issuer() -> Iterator[FakeIssuer]:
    """A fake issuer served on a free port of 127.0.0.1 in a thread."""
    issuer = FakeIssuer()
    server = make_server("127.0.0.1", 0, issuer.app, threaded=True)
    issuer.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def configure(app, issuer: FakeIssuer, monkeypatch, *, domains="orange.example") -> None:
    """Point the app's single sign-on at the fake issuer for one test."""
    for key, value in {
        "OIDC_ISSUER": issuer.url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ALLOWED_DOMAINS": domains,
        "OIDC_PROVIDER_NAME": "Orange",
    }.items():
        monkeypatch.setitem(app.config, key, value)


def spoiled_key() -> RSAKey:
    """A key of the same kid the provider never published."""
    return RSAKey.generate_key(2048, parameters={"kid": "fake-1"})
