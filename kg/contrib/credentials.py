"""Write credentials (issue 20): each names the local graphs it may write, a label, an expiry, and
can be revoked. The file holds SHA-256 digests only, so reading it gives no one a token.

A scope is one slug ('camden'), a slug prefix ending in '*' ('herts-*': 'herts-cluster-2' and the
like), or '*' for an admin, who may write any local graph and restore deleted ones. The server
reads the file at every write, so an issue or a revocation holds at once in every API process.
Digests in OTKG_WRITE_TOKEN_SHA256 (the older setting) count as admin credentials.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ADMIN = "*"
SCOPE = re.compile(r"\*|[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?|[a-z0-9][a-z0-9-]{0,62}\*")
PREFIX = "otkg_"  # marks a token, so secret scanners and people can tell one apart


class CredentialError(Exception):
    """A write refused for its credential; `status` 401 (none or unknown) or 403 (not allowed)."""

    def __init__(self, status: int, detail: str, scope: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scope = status, detail, scope  # scope: the 403's credential's


@dataclass(frozen=True)
class Credential:
    label: str
    sha256: str
    scope: str
    issued: str
    expires: str | None = None  # an ISO date: the last day the credential works
    revoked: str | None = None  # when it was revoked (ISO date-time)

    @property
    def admin(self) -> bool:
        return self.scope == ADMIN

    def covers(self, slug: str) -> bool:
        if self.scope.endswith("*"):
            return slug.startswith(self.scope[:-1])
        return slug == self.scope

    def state(self, today: date) -> str:
        if self.revoked:
            return "revoked"
        if self.expires and date.fromisoformat(self.expires) < today:
            return "expired"
        return "active"


def digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8", "surrogatepass")).hexdigest()


def load(path: Path) -> list[Credential]:
    """The credentials in the file; none if there is no file."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return [Credential(**row) for row in rows]


def _save(path: Path, creds: list[Credential]) -> None:
    """Write the file whole under a new name, then rename: a reader sees the old file or the new."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump([asdict(c) for c in creds], f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(path.with_name(path.name + ".lock"), "w")  # noqa: SIM115 (closed by the caller's with)
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def issue(path: Path, label: str, scope: str, expires: date | None = None) -> str:
    """Add a credential; returns its token, which is shown once and stored nowhere."""
    if not SCOPE.fullmatch(scope):
        raise ValueError(f"scope {scope!r}: a graph slug, a slug prefix ending in '*', or '*' for an admin")
    if not label.strip() or len(label) > 200:
        raise ValueError("a label of 1-200 characters says whose credential it is")
    token = PREFIX + secrets.token_urlsafe(32)
    with _locked(path):
        creds = load(path)
        if any(c.label == label for c in creds):
            raise ValueError(f"a credential labelled {label!r} exists; revoke it or choose another label")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        creds.append(Credential(label, digest(token), scope, now, expires.isoformat() if expires else None))
        _save(path, creds)
    return token


def revoke(path: Path, label: str) -> Credential:
    """Mark the credential labelled `label` revoked (kept, so the history still names it)."""
    with _locked(path):
        creds = load(path)
        found = next((c for c in creds if c.label == label), None)
        if found is None:
            raise LookupError(f"no credential labelled {label!r}")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        done = Credential(**{**asdict(found), "revoked": found.revoked or now})
        _save(path, [done if c is found else c for c in creds])
    return done


def authenticate(path: Path, token: str, env_digests: str = "", today: date | None = None) -> Credential:
    """The active credential a token belongs to; CredentialError 401 when it belongs to none."""
    given = digest(token)
    today = today or datetime.now(UTC).date()
    legacy = [d.strip().lower() for d in env_digests.split(",") if d.strip()]
    creds = load(path) + [
        Credential(f"OTKG_WRITE_TOKEN_SHA256 #{i + 1}", d, ADMIN, "") for i, d in enumerate(legacy)
    ]
    found = next((c for c in creds if hmac.compare_digest(given, c.sha256)), None)
    if found is None:
        raise CredentialError(401, "the credential is not valid")
    state = found.state(today)
    if state != "active":
        raise CredentialError(401, f"the credential '{found.label}' is {state}")
    return found


def authorise(cred: Credential, slug: str) -> None:
    """403 naming the credential's scope unless it may write local graph `slug`."""
    if not cred.covers(slug):
        raise CredentialError(
            403,
            f"the credential '{cred.label}' may write local graphs '{cred.scope}' only, not '{slug}'",
            cred.scope,
        )


def configured(path: Path, env_digests: str = "") -> bool:
    """Whether any credential could write: with none, the server takes no uploads."""
    return bool(env_digests.strip()) or bool(load(path))
