"""Sign artifacts with sigstore's API and write bundles and PEP 740 attestations.

Wheels and sdists are signed as an in-toto statement in a DSSE envelope (PEP 740's
publish predicate), so that one bundle is both the ``.sigstore.json`` beside the
file and, converted, its ``.publish.attestation``: sign once in the build job,
attest on every registry. Other files (``SHA256SUMS``) get a plain artifact bundle.
Nothing is written until every signature exists, and then each file is renamed
into place from a temporary name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.sign.outputs import (
    ATTESTATION_SUFFIX,
    BUNDLE_SUFFIX,
    CHECKSUMS,
    is_signing_output,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from sigstore.dsse import Statement
    from sigstore.models import ClientTrustConfig
    from sigstore.sign import Signer

    from releasegate._internal.sign.token import Identity

PUBLISH_PREDICATE = "https://docs.pypi.org/attestations/publish/v1"


@dataclass(frozen=True)
class Target:
    path: Path
    content: bytes
    distribution: bool
    """A wheel or sdist: signed as a PEP 740 statement and attested."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Signed:
    target: Target
    bundle_json: str
    attestation_json: str | None

    def outputs(self) -> list[tuple[Path, str]]:
        path = self.target.path
        written = [(path.with_name(path.name + BUNDLE_SUFFIX), self.bundle_json)]
        if self.attestation_json is not None:
            written.append((path.with_name(path.name + ATTESTATION_SUFFIX), self.attestation_json))
        return written


def default_files(root: Path, dist_dir: str) -> list[Path]:
    """Everything in the dist directory, plus a SHA256SUMS at the root if there is one.

    ``dist_dir`` comes from the checkout's configuration and bundles are written beside each
    file: it must stay inside the project.
    """
    from releasegate._internal.paths import inside

    directory = inside(root, dist_dir, "[tool.releasegate.sign] dist-dir")
    files = (
        sorted(p for p in directory.iterdir() if p.is_file() and not is_signing_output(p.name))
        if directory.is_dir()
        else []
    )
    checksums = root / CHECKSUMS
    if checksums.is_file():
        files.append(checksums)
    if not files:
        raise UsageError(
            f"nothing to sign: {directory} has no files",
            hint="build first, or name the files to sign",
        )
    return files


def is_distribution(name: str) -> bool:
    from pydantic import ValidationError
    from pypi_attestations import Distribution

    try:
        Distribution(name=name, digest="0" * 64)
    except (ValidationError, ValueError):
        return False
    return True


def load_targets(files: Iterable[Path], attest: bool) -> list[Target]:
    """Read every file before anything touches the network, so a typo fails first."""
    targets = []
    for path in files:
        if is_signing_output(path.name):
            raise UsageError(f"{path}: is a signature or attestation, not an artifact")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
        targets.append(Target(path, content, attest and is_distribution(path.name)))
    return targets


def publish_statement(target: Target) -> Statement:
    """The in-toto statement PEP 740 attests for a dist: its file name and SHA-256."""
    from sigstore.dsse import DigestSet, StatementBuilder, Subject

    subject = Subject(name=target.path.name, digest=DigestSet(root={"sha256": target.sha256}))
    return StatementBuilder().subjects([subject]).predicate_type(PUBLISH_PREDICATE).build()


def _sign_one(signer: Signer, target: Target) -> Signed:
    from pypi_attestations import Attestation

    if not target.distribution:
        return Signed(target, signer.sign_artifact(target.content).to_json(), None)
    bundle = signer.sign_dsse(publish_statement(target))
    attestation = Attestation.from_bundle(bundle)
    return Signed(target, bundle.to_json(), attestation.model_dump_json())


def sign_targets(
    targets: Sequence[Target], identity: Identity, trust: ClientTrustConfig
) -> list[Signed]:
    """Sign everything in memory with one certificate; any failure leaves nothing behind."""
    import requests
    from sigstore.errors import Error as SigstoreError
    from sigstore.oidc import ExpiredIdentity
    from sigstore.sign import SigningContext

    context = SigningContext.from_trust_config(trust)
    try:
        with context.signer(identity.token, cache=True) as signer:
            return [_sign_one(signer, target) for target in targets]
    except requests.ConnectionError as exc:
        raise FatalError(
            f"no network: Sigstore could not be reached while signing: {type(exc).__name__}"
        ) from None
    except ExpiredIdentity:
        raise FatalError(
            "the identity token expired before signing finished", hint="request a fresh token"
        ) from None
    except SigstoreError as exc:
        # Servers may quote what they were sent; the token must never reach the output.
        message = str(exc).replace(str(identity.token), "<identity token>")
        raise FatalError(f"signing failed: {message}") from None


def _discard(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def write_outputs(signed: Sequence[Signed]) -> list[Path]:
    """Write every output under a temporary name, then rename them all into place.

    If any write or rename fails, every output of this run is removed again, so the
    directory never holds signatures for some files and not others.
    """
    pending: list[tuple[Path, Path]] = []
    renamed: list[Path] = []
    try:
        for item in signed:
            for final, text in item.outputs():
                temporary = final.with_name(f".{final.name}.{os.getpid()}.partial")
                pending.append((temporary, final))
                temporary.write_text(text, encoding="utf-8")
        for temporary, final in pending:
            temporary.replace(final)
            renamed.append(final)
    except OSError as exc:
        _discard([temporary for temporary, _ in pending] + renamed)
        raise FatalError(f"cannot write signatures, none were kept: {exc}") from None
    return renamed
