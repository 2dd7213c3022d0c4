"""A loopback OIDC issuer with its own keys, GitHub's claim set, and governed repositories.

The issuer speaks real HTTP: ``/.well-known/openid-configuration`` names its JWKS, ``/jwks``
serves the public halves of RSA and EC keys generated here, and ``/_apis/idtoken`` answers
as the Actions runtime does (``ACTIONS_ID_TOKEN_REQUEST_URL``), with a token signed by the
issuer's key for the audience asked. Tests change ``claims``, ``signer`` or ``override`` to
get the token they need refused.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.conftest import GIT_ENV
from tests.github_support import Received, Reply, StandIn

if TYPE_CHECKING:
    import re
    from pathlib import Path

    from tests.conftest import GitRepo

BEARER = "actions-runtime-bearer-Xq7"
REPOSITORY = "acme/demo"
REPOSITORY_ID = 123456
WORKFLOW = ".github/workflows/release.yml"


@dataclass
class Key:
    kid: str
    alg: str
    private: Any

    def jwk(self) -> dict[str, Any]:
        algorithm = RSAAlgorithm if self.alg.startswith("RS") else ECAlgorithm
        data: dict[str, Any] = algorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**data, "kid": self.kid, "alg": self.alg, "use": "sig"}


def rsa_key(kid: str) -> Key:
    return Key(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))


def ec_key(kid: str) -> Key:
    return Key(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))


def github_claims(sha: str, **changes: Any) -> dict[str, Any]:
    """GitHub's claim set for a tag push of ``acme/demo``'s release workflow."""
    now = int(time.time())
    claims = {
        "sub": f"repo:{REPOSITORY}:environment:release",
        "repository": REPOSITORY,
        "repository_id": str(REPOSITORY_ID),
        "repository_owner": "acme",
        "repository_owner_id": "42",
        "workflow_ref": f"{REPOSITORY}/{WORKFLOW}@refs/tags/v1.0.0",
        "job_workflow_ref": f"{REPOSITORY}/{WORKFLOW}@refs/tags/v1.0.0",
        "ref": "refs/tags/v1.0.0",
        "ref_type": "tag",
        "environment": "release",
        "sha": sha,
        "event_name": "push",
        "actor": "maintainer",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


class Issuer(StandIn):
    """The OIDC issuer and the Actions ID-token endpoint on one loopback server."""

    def __init__(self) -> None:
        super().__init__()
        self.keys = [rsa_key("rsa-1"), ec_key("ec-1")]
        self.signer = self.keys[0]
        self.claims: dict[str, Any] = {}
        self.override: dict[str, Any] = {}
        """Claims forced over the ones built (``iss``, ``aud``, ``exp``)."""
        self.issued: list[str] = []
        self.route("GET", "/.well-known/openid-configuration", self._configuration)
        self.route(
            "GET", "/jwks", lambda _r, _m: Reply(200, {"keys": [k.jwk() for k in self.keys]})
        )
        self.route("GET", "/_apis/idtoken", self._id_token)

    def _configuration(self, request: Received, match: re.Match[str]) -> Reply:
        del request, match
        return Reply(200, {"issuer": self.url, "jwks_uri": f"{self.url}/jwks"})

    def _id_token(self, request: Received, match: re.Match[str]) -> Reply:
        del match
        if request.headers.get("authorization") != f"bearer {BEARER}":
            return Reply(401, {"message": "bad bearer"})
        audience = request.query["audience"][0]
        token = self.mint({"iss": self.url, "aud": audience, **self.claims, **self.override})
        self.issued.append(token)
        return Reply(200, {"value": token})

    def mint(self, claims: dict[str, Any], key: Key | None = None) -> str:
        key = key or self.signer
        return jwt.encode(claims, key.private, algorithm=key.alg, headers={"kid": key.kid})

    def environ(self) -> dict[str, str]:
        return {
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{self.url}/_apis/idtoken?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": BEARER,
        }


def policy_toml(issuer: str, api_url: str = "http://127.0.0.1:9", **extra: str) -> str:
    """``[tool.releasegate.governance]`` allowing acme/demo's release workflow on v* tags."""
    lines = [
        "[tool.releasegate.governance]",
        f'issuer = "{issuer}"',
        f'api-url = "{api_url}"',
        "publishers = [{ repository = "
        f'"{REPOSITORY}", repository-id = {REPOSITORY_ID}, workflow = "{WORKFLOW}", '
        'ref = "refs/tags/v*", environment = "release" }]',
        *(f"{key} = {value}" for key, value in extra.items()),
    ]
    return "\n".join(lines) + "\n"


def pyproject(policy: str = "", registries: str = "") -> str:
    return f'[project]\nname = "demo"\nversion = "1.0.0"\n{registries}{policy}'


@dataclass
class Governed:
    """An ``origin`` whose main holds the policy, and a clone of it to release from."""

    origin: GitRepo
    checkout: GitRepo
    head: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def git(self, *args: str) -> str:
        return self.checkout.git(*args)

    def fetch(self) -> None:
        self.checkout.git("fetch", "-q", "--force", "--tags", "origin")


def governed(
    make_repo: Any, files: dict[str, str], tmp_path: Path, tag_key: Path | None = None
) -> Governed:
    """``origin`` (main with ``files``, tagged v1.0.0, signed with ``tag_key`` if given)
    cloned to a checkout at the tag."""
    from tests.conftest import GitRepo

    origin = make_repo(files, name="origin")
    if tag_key is None:
        origin.git("tag", "-a", "v1.0.0", "-m", "v1.0.0")
    else:
        signed_tag(origin, "v1.0.0", tag_key)
    clone = tmp_path / "checkout"
    subprocess.run(
        ["git", "clone", "-q", str(origin.root), str(clone)],
        check=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
        capture_output=True,
    )
    checkout = GitRepo(clone)
    return Governed(origin, checkout, checkout.git("rev-parse", "HEAD").strip())


def ssh_key(directory: Path, name: str) -> Path:
    """A real ed25519 key made by ssh-keygen; returns the private key's path."""
    path = directory / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def allowed_signer_line(principal: str, key: Path) -> str:
    public = key.with_suffix(".pub").read_text(encoding="utf-8").split()
    return f'{principal} namespaces="git" {public[0]} {public[1]}\n'


def signed_tag(repo: GitRepo, tag: str, key: Path) -> None:
    """``git tag -s`` with an SSH key, as a maintainer's git does."""
    repo.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={key}",
        "tag",
        "-s",
        "-f",
        tag,
        "-m",
        tag,
    )


@dataclass
class GpgKey:
    """A real GPG key in a keyring of its own (``home``), made by gpg in batch mode."""

    home: Path
    fingerprint: str

    def armored(self) -> str:
        return self.gpg("--armor", "--export", self.fingerprint)

    def gpg(self, *args: str) -> str:
        completed = subprocess.run(
            ["gpg", "--batch", "--quiet", "--homedir", str(self.home), *args],
            check=True,
            capture_output=True,
            text=True,
        )
        return completed.stdout

    def stop_agent(self) -> None:
        """The agent gpg started for this keyring (and only it)."""
        subprocess.run(
            ["gpgconf", "--homedir", str(self.home), "--kill", "gpg-agent"],
            check=False,
            capture_output=True,
        )


def gpg_key(directory: Path, uid: str) -> GpgKey:
    home = directory / f"gnupg-{uid.split('@', maxsplit=1)[0]}"
    home.mkdir(mode=0o700)
    key = GpgKey(home, "")
    key.gpg("--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never")
    listing = key.gpg("--with-colons", "--list-secret-keys")
    key.fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")
    )
    return key


def gpg_signed_tag(repo: GitRepo, tag: str, key: GpgKey) -> None:
    """``git tag -s`` with a GPG key, its keyring given by GNUPGHOME."""
    subprocess.run(
        [
            "git",
            "-c",
            "gpg.format=openpgp",
            "-c",
            f"user.signingkey={key.fingerprint}",
            "tag",
            "-s",
            "-f",
            tag,
            "-m",
            tag,
        ],
        cwd=repo.root,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin", "GNUPGHOME": str(key.home)},
        check=True,
        capture_output=True,
    )
