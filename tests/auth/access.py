"""Access expectations for the auth pages."""

from tests.access import LOGIN, Case, admin_only, expect, public, signed_in, staff_only


def build(world) -> None:
    from accelerator.auth import services

    world.invitation, world.invitation_token = services.invite(
        email="matrix-invitee@example.com", role=services.Role.MENTOR, actor=world.users["staff"]
    )
    world.target_user = world.users["other_founder"]
    from tests import factories

    world.two_step_user = factories.enrol_second_factor(
        factories.make_user(role="staff", name="Élodie Société Éclair")
    )


CASES = {
    # Signed-in users are sent home from the login and sign-up pages.
    "auth.login": [
        Case("/login", expect(302, anonymous=200)),
        Case("/login", expect(302, anonymous=422), method="POST", data={}),
    ],
    "auth.signup": [
        Case("/signup", expect(302, anonymous=200)),
        Case("/signup", expect(302, anonymous=422), method="POST", data={}),
    ],
    # Single sign-on is off in the matrix's app (no OIDC_ISSUER): its pages are not there (404);
    # signed-in users are sent home first. tests/auth/test_sso.py drives them when it is on.
    "auth.sso_login": [Case("/auth/sso/login", expect(302, anonymous=404))],
    "auth.sso_callback": [Case("/auth/sso/callback?code=x&state=y", expect(302, anonymous=404))],
    "auth.logout": [Case("/logout", signed_in(302), method="POST")],
    "auth.forgot_password": [
        Case("/password/forgot", public(200)),
        Case("/password/forgot", public(422), method="POST", data={}),
    ],
    # A bad token sends everyone back to ask for a new link.
    "auth.reset_password": [
        Case("/password/reset/not-a-token", public(302)),
        Case("/password/reset/not-a-token", public(302), method="POST"),
    ],
    "auth.account": [
        Case("/account", signed_in(200)),
        Case("/account", signed_in(422), method="POST", data={}),
    ],
    "auth.set_language": [
        Case("/language", public(302), method="POST", data={"lang-language": "fr"})
    ],
    # Anyone holding the link may accept; a signed-in user is signed out first.
    "auth.accept_invitation": [
        Case(lambda w: f"/invitations/accept/{w.invitation_token}", public(200)),
        Case(
            lambda w: f"/invitations/accept/{w.invitation_token}",
            public(422),
            method="POST",
            data={},
        ),
    ],
    "auth.invitations": [
        Case("/invitations", staff_only(200)),
        Case("/invitations", staff_only(422), method="POST", data={}),
    ],
    "auth.revoke_invitation": [
        # Staff revokes it; for the admin after it, it is no longer pending (409).
        Case(
            lambda w: f"/invitations/{w.invitation.id}/revoke",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        )
    ],
    "auth.users": [Case("/users", staff_only(200))],
    "auth.set_user_active": [
        Case(lambda w: f"/users/{w.target_user.id}/active?active=1", admin_only(302), method="POST")
    ],
    "auth.set_user_role": [
        Case(
            lambda w: f"/users/{w.target_user.id}/role",
            admin_only(302),
            method="POST",
            data={"role": "founder"},
        ),
        # An administrator whose second factor is not verified in this session is asked for a
        # code (401); one without a second factor is refused (409).
        Case(
            lambda w: f"/users/{w.target_user.id}/role",
            admin_only(401),
            method="POST",
            data={"role": "founder"},
            extra={"second_factor": "stale"},
        ),
        Case(
            lambda w: f"/users/{w.target_user.id}/role",
            admin_only(409),
            method="POST",
            data={"role": "founder"},
            extra={"second_factor": False},
        ),
    ],
    # Two-step verification: anyone signed in sets it up; empty forms come back (422).
    "auth.second_factor_page": [Case("/account/two-step", signed_in(200))],
    "auth.enable_second_factor": [
        Case("/account/two-step/enable", signed_in(422), method="POST", data={})
    ],
    "auth.regenerate_recovery_codes": [
        Case("/account/two-step/recovery-codes", signed_in(422), method="POST", data={})
    ],
    "auth.disable_second_factor": [
        Case("/account/two-step/disable", signed_in(422), method="POST", data={})
    ],
    "auth.reset_second_factor": [
        Case(
            lambda w: f"/users/{w.two_step_user.id}/second-factor/reset",
            admin_only(302),
            method="POST",
        ),
        Case(
            lambda w: f"/users/{w.two_step_user.id}/second-factor/reset",
            admin_only(401),
            method="POST",
            extra={"second_factor": "stale"},
        ),
    ],
}
