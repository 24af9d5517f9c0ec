"""`flask tokens create EMAIL --scope ...` prints a token once; list and revoke."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.api.models import ApiToken
from accelerator.core.tokens import hash_token
from accelerator.extensions import db as _db


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_prints_the_token_once_and_stores_its_hash(app, db, client, make):
    user = make.make_user(role="staff", email="rene.equipe@example.com", name="René Équipe")
    result = _run(
        app,
        "tokens",
        "create",
        "Rene.Equipe@example.com",
        "--scope",
        "read",
        "--scope",
        "grants:write",
        "--days",
        "7",
    )
    assert result.exit_code == 0, result.output
    clear = result.stdout.strip().splitlines()[-1]
    token = _db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash == hash_token(clear) and token.scopes == "grants:write read"
    response = client.get("/api/v1/grants", headers={"Authorization": f"Bearer {clear}"})
    assert response.status_code == 200
    listed = _run(app, "tokens", "list", "rene.equipe@example.com")
    assert token.prefix in listed.stdout and clear not in listed.stdout
    revoked = _run(app, "tokens", "revoke", str(token.id))
    assert revoked.exit_code == 0
    assert (
        client.get("/api/v1/grants", headers={"Authorization": f"Bearer {clear}"}).status_code
        == 401
    )


def test_create_refuses_unknown_scopes_and_people(app, db, make):
    make.make_user(role="founder", email="zoe@example.com")
    unknown = _run(app, "tokens", "create", "zoe@example.com", "--scope", "everything")
    assert unknown.exit_code != 0 and "Unknown scope: everything." in unknown.output
    nobody = _run(app, "tokens", "create", "nobody@example.com", "--scope", "read")
    assert nobody.exit_code != 0 and "No user" in nobody.output
    assert _db.session.scalar(select(ApiToken.id)) is None
