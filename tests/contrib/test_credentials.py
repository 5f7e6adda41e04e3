"""Write credentials (kg.contrib.credentials) and the `otkg token` command: scopes, expiry,
revocation, and a file that holds digests only."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from otkg.kg import cli
from otkg.kg.contrib import credentials
from otkg.kg.contrib.credentials import CredentialError


@pytest.fixture
def creds(tmp_path):
    return tmp_path / "credentials.json"


def test_a_token_works_for_its_scope_only_and_the_file_holds_its_digest(creds):
    token = credentials.issue(creds, "Herts OT lead", "herts-*", date(2030, 1, 31))
    assert token.startswith("otkg_") and token not in creds.read_text()
    assert hashlib.sha256(token.encode()).hexdigest() in creds.read_text()
    cred = credentials.authenticate(creds, token, today=date(2030, 1, 31))
    assert (cred.label, cred.scope, cred.admin) == ("Herts OT lead", "herts-*", False)
    credentials.authorise(cred, "herts-cluster-2")
    with pytest.raises(CredentialError) as refused:
        credentials.authorise(cred, "camden")
    assert refused.value.status == 403
    assert (
        refused.value.detail
        == "the credential 'Herts OT lead' may write local graphs 'herts-*' only, not 'camden'"
    )


def test_expired_revoked_and_unknown_tokens_are_refused(creds):
    token = credentials.issue(creds, "lead", "camden", date(2027, 1, 1))
    with pytest.raises(CredentialError, match="'lead' is expired") as expired:
        credentials.authenticate(creds, token, today=date(2027, 1, 2))
    assert expired.value.status == 401
    credentials.revoke(creds, "lead")
    with pytest.raises(CredentialError, match="'lead' is revoked"):
        credentials.authenticate(creds, token, today=date(2026, 12, 7))
    with pytest.raises(CredentialError, match="not valid"):
        credentials.authenticate(creds, "otkg_made-up", today=date(2026, 12, 7))


def test_an_exact_scope_is_not_a_prefix_and_admins_cover_every_slug(creds):
    one = credentials.authenticate(creds, credentials.issue(creds, "one", "camden"))
    assert one.covers("camden") and not one.covers("camden-2")
    admin = credentials.authenticate(creds, credentials.issue(creds, "admin", "*"))
    assert admin.admin and admin.covers("anything")


@pytest.mark.parametrize("scope", ["", "Herts", "a*b", "-x", "x" * 70, "herts/*"])
def test_bad_scopes_and_repeated_labels_are_refused(creds, scope):
    with pytest.raises(ValueError, match="scope"):
        credentials.issue(creds, "lead", scope)
    credentials.issue(creds, "lead", "camden")
    with pytest.raises(ValueError, match="exists"):
        credentials.issue(creds, "lead", "camden")


def test_the_older_setting_gives_admin_credentials(creds):
    digest = hashlib.sha256(b"old-token").hexdigest()
    cred = credentials.authenticate(creds, "old-token", env_digests=f" {digest.upper()} ,")
    assert cred.admin and cred.label == "OTKG_WRITE_TOKEN_SHA256 #1"
    assert credentials.configured(creds, digest) and not credentials.configured(creds)


def test_token_command_issues_lists_and_revokes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OTKG_STORE_DIR", str(tmp_path))
    assert (
        cli.main(["token", "issue", "--scope", "camden", "--label", "Camden lead", "--expires", "2031-03-31"])
        == 0
    )
    token = capsys.readouterr().out.split()[1]
    assert credentials.authenticate(tmp_path / "credentials.json", token).label == "Camden lead"
    assert cli.main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Camden lead\tscope camden\t" in listed and "expires 2031-03-31\tactive" in listed
    assert token not in listed
    assert cli.main(["token", "revoke", "Camden lead"]) == 0
    assert cli.main(["token", "list"]) == 0 and capsys.readouterr().out.rstrip().endswith("revoked")
    assert cli.main(["token", "revoke", "nobody"]) == 1
    assert "no credential labelled 'nobody'" in capsys.readouterr().err
