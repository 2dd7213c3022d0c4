"""The governance policy as data: allowed publishers and the conditions on what is released."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping

SECTION = "governance"


@dataclass(frozen=True)
class Publisher:
    """One allowed publisher, as PyPI lists a trusted publisher."""

    repository: str
    repository_id: int
    workflow: str
    ref: str
    environment: str

    def describe(self) -> str:
        where = f" in environment {self.environment!r}" if self.environment else ""
        return f"{self.repository} (id {self.repository_id}) {self.workflow} at {self.ref}{where}"


@dataclass(frozen=True)
class Signers:
    """Files of the default branch naming who may sign a release tag."""

    ssh: str | None
    """git's gpg.ssh.allowedSignersFile format."""
    gpg: str | None
    """ASCII-armoured GPG public keys."""


@dataclass(frozen=True)
class Policy:
    """``[tool.releasegate.governance]``: only ever the default branch's copy (source.py)."""

    SECTION: ClassVar[str] = SECTION
    publishers: tuple[Publisher, ...]
    protected_branch: tuple[str, ...]
    """Branch names or globs (maintenance lines); empty: the default branch."""
    required_checks: tuple[str, ...]
    signed_tags: Signers | None
    """None when tags need no signature."""
    reviewed_pull_request: bool
    local: str
    issuer: str
    audience: str
    api_url: str
    digest: str
    """sha256 of the policy's canonical JSON: the audit record names the policy it applied."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Policy:
        return cls.from_section(section)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Policy:
        """A validated section with its defaults filled in (config.from_document did both)."""
        publishers = tuple(
            Publisher(
                str(p["repository"]),
                int(p["repository-id"]),
                str(p["workflow"]),
                str(p["ref"]),
                str(p["environment"]),
            )
            for p in section["publishers"]
        )
        canonical = json.dumps(section, sort_keys=True, separators=(",", ":"))
        return cls(
            publishers=publishers,
            protected_branch=_branches(section["protected-branch"]),
            required_checks=tuple(str(c) for c in section["required-checks"]),
            signed_tags=_signers(section.get("signed-tags", {})),
            reviewed_pull_request=bool(section["reviewed-pull-request"]),
            local=str(section["local"]),
            issuer=str(section["issuer"]).rstrip("/"),
            audience=str(section["audience"]),
            api_url=str(section["api-url"]).rstrip("/"),
            digest="sha256:" + hashlib.sha256(canonical.encode()).hexdigest(),
        )


def _branches(value: str | list[str]) -> tuple[str, ...]:
    """``"main"`` or ``["main", "1.*.x"]``; empty: the default branch."""
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(str(v) for v in value)


def _signers(table: Mapping[str, Any]) -> Signers | None:
    ssh, gpg = table.get("allowed-signers"), table.get("gpg-keys")
    return Signers(ssh, gpg) if ssh or gpg else None
