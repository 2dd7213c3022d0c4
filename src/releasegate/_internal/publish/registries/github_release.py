"""Assets of the GitHub release for the version's tag, through PyGithub.

The release is created as a draft when missing; assets are uploaded to the
draft; the executor calls ``finish`` only once every asset is verified, and only
then is the draft published, so a failed run never leaves a half release.
``url`` is the API base URL (GitHub Enterprise: ``https://HOST/api/v3``).

GitHub has no yank: ``releasegate yank`` marks the release where people look. Its title
gets ``[yanked]`` in front, its notes a warning with the reason on top, and it becomes a
pre-release, so that it is no longer shown as the latest; the assets stay, as a yanked
file stays installable when pinned. The notes remember whether it was a pre-release
before, so that ``--undo`` puts everything back as it was.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any, TypeVar

from releasegate._internal import http
from releasegate._internal.publish import replies
from releasegate._internal.publish.registries.base import env_value
from releasegate._internal.publish.retry import PermanentError, status_error

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from github.GitRelease import GitRelease
    from github.GitReleaseAsset import GitReleaseAsset

    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.registries.base import RegistryContext

T = TypeVar("T")

YANKED_TITLE = "[yanked] "
_YANK_BLOCK = re.compile(
    r"\A> \[!WARNING\]\n> \*\*Yanked\*\*: (?P<reason>[^\n]*)\n"
    r"<!-- releasegate-yank prerelease=(?P<was>true|false) -->\n\n?"
)


def yank_block(reason: str, was_prerelease: bool) -> str:
    """The warning put on top of a yanked release's notes (one line of reason)."""
    shown = " ".join(reason.split()) or "no reason given"
    flag = "true" if was_prerelease else "false"
    return f"> [!WARNING]\n> **Yanked**: {shown}\n<!-- releasegate-yank prerelease={flag} -->\n\n"


def yank_state(title: str, body: str, prerelease: bool) -> str | None:
    """The reason a release is marked yanked with, or None: the title, the notes and the
    pre-release flag must all say so (one alone is a release someone edited by hand)."""
    match = _YANK_BLOCK.match(body)
    if match is None or not title.startswith(YANKED_TITLE) or not prerelease:
        return None
    reason = match["reason"]
    return "" if reason == "no reason given" else reason


def _translated(action: Callable[[], T], what: str) -> T:
    """Run a PyGithub call; its exceptions become retry-aware errors without their text."""
    import requests
    from github import GithubException

    try:
        return action()
    except GithubException as exc:
        retry_after = (exc.headers or {}).get("retry-after") or (exc.headers or {}).get(
            "Retry-After"
        )
        raise status_error(exc.status, what, retry_after) from None
    except requests.RequestException as exc:
        raise replies.translate(exc, what) from None


class GithubReleaseRegistry:
    def __init__(self, context: RegistryContext) -> None:
        spec = context.spec
        self._context = context
        token = env_value(context, spec.token_env, f"token of registry {spec.name}")
        if not token:  # a reader too: releases are read through the API with a token
            raise PermanentError(
                f"token of registry {spec.name} not set: "
                f"environment variable {spec.token_env} is empty or missing"
            )
        repository = spec.repository or context.env.get("GITHUB_REPOSITORY")
        if not repository:
            raise PermanentError(
                f"registry {spec.name}: no repository (set `repository` or GITHUB_REPOSITORY)"
            )
        self._token = token or ""
        self._repository = repository
        self._tag = spec.tag_format.format(version=context.version)
        # PyGithub objects share one connection: calls on this registry are serialized.
        self._lock = threading.RLock()
        self._release: GitRelease | None = None
        self._repo: Any = None

    def _repo_object(self) -> Any:
        if self._repo is None:
            from releasegate._internal.github.api import client as github_client

            # The executor retries each step: PyGithub must not retry underneath it.
            client = github_client(
                self._context.spec.url,
                self._token,
                timeout=self._context.policy.timeout,
                transport_retries=False,
            )
            self._repo = _translated(
                lambda: client.get_repo(self._repository, lazy=True), "repository"
            )
        return self._repo

    def _find_release(self) -> GitRelease | None:
        from github import UnknownObjectException

        repo = self._repo_object()
        try:
            release: GitRelease = repo.get_release(self._tag)
            return release
        except UnknownObjectException:
            pass
        # Drafts are not found by tag: look through the list.
        return next((r for r in repo.get_releases() if r.tag_name == self._tag), None)

    def _get_release(self, create: bool) -> GitRelease | None:
        with self._lock:
            if self._release is None:
                self._release = _translated(self._find_release, f"release {self._tag}")
            if self._release is None and create:
                self._release = _translated(
                    lambda: self._repo_object().create_git_release(
                        self._tag, name=self._tag, message="", draft=True
                    ),
                    f"create release {self._tag}",
                )
            return self._release

    def _asset_sha256(self, asset: GitReleaseAsset, verify_bytes: bool) -> str:
        digest = asset.digest or ""
        if digest.startswith("sha256:") and not verify_bytes:
            return digest.removeprefix("sha256:").lower()
        # GitHub redirects the download to its storage host: the token must stay behind.
        credential = http.Credential(f"Bearer {self._token}", [self._context.spec.url])
        headers = {"Accept": "application/octet-stream"}
        limits = self._context.policy.limits
        return replies.sha256_of(http.session(credential), asset.url, limits, headers=headers)

    def _assets(self) -> dict[str, GitReleaseAsset]:
        release = self._get_release(create=False)
        if release is None:
            return {}
        return _translated(
            lambda: {a.name: a for a in release.get_assets()}, f"assets of {self._tag}"
        )

    def _uploaded(self) -> dict[str, GitReleaseAsset]:
        """Assets whose upload completed; an interrupted one stays in state "starter"."""
        return {name: a for name, a in self._assets().items() if a.state == "uploaded"}

    def holdings(
        self, wanted: Collection[str] | None = None, *, verify_bytes: bool = False
    ) -> dict[str, str]:
        with self._lock:
            self._release = None  # read again: another run may have changed it
            assets = self._uploaded()
            return {
                name: self._asset_sha256(asset, verify_bytes)
                for name, asset in assets.items()
                if wanted is None or name in wanted
            }

    def upload(self, artifact: Artifact) -> None:
        with self._lock:
            release = self._get_release(create=True)
            assert release is not None
            assets = self._assets()
            for path in (artifact.path, *artifact.companions):
                asset = assets.get(path.name)
                if asset is not None and asset.state != "uploaded":
                    # A broken upload of an earlier run blocks the name: remove it.
                    _translated(asset.delete_asset, f"delete incomplete {path.name}")
                    asset = None
                if asset is None:
                    _translated(
                        lambda p=path: release.upload_asset(  # type: ignore[misc]
                            str(p), name=p.name, content_type="application/octet-stream"
                        ),
                        f"upload {path.name}",
                    )

    def finish(self, artifacts: Sequence[Artifact]) -> dict[str, str]:
        """The governance decision attached beside the dists, then the draft published."""
        with self._lock:
            release = self._get_release(create=False)
            if release is None:
                return {}
            attached = self._attach_governance(release, artifacts)
            if release.draft:
                _translated(
                    lambda: release.update_release(
                        release.title or self._tag, release.body or "", draft=False
                    ),
                    f"publish release {self._tag}",
                )
            return attached

    def _attach_governance(
        self, release: GitRelease, artifacts: Sequence[Artifact]
    ) -> dict[str, str]:
        """``GOVERNANCE.json`` (the decision that allowed this run, written by ``publish``
        beside the dists) as an asset of the release, read back and verified by sha256.

        A published release keeps the decision it was published under (a re-run's record names
        another run): its asset is never replaced, as no dist is. A draft's other copy (an
        interrupted run's) is replaced. No record of these very files: nothing is attached.
        """
        from releasegate._internal.governance.record import governing
        from releasegate._internal.hashing import sha256_file

        files = {a.filename: a.sha256 for a in artifacts}
        record = governing(artifacts[0].path.parent, files) if artifacts else None
        if record is None:
            return {}
        expected = sha256_file(record)
        asset = self._assets().get(record.name)
        if (
            asset is not None
            and asset.state == "uploaded"
            and (not release.draft or self._asset_sha256(asset, verify_bytes=False) == expected)
        ):
            return {record.name: asset.browser_download_url}
        if asset is not None:
            _translated(asset.delete_asset, f"delete the draft's other {record.name}")
        _translated(
            lambda: release.upload_asset(
                str(record), name=record.name, content_type="application/json"
            ),
            f"upload {record.name}",
        )
        landed = self._uploaded().get(record.name)
        if landed is None or self._asset_sha256(landed, verify_bytes=True) != expected:
            raise PermanentError(
                f"{record.name}: the release {self._tag} does not serve the bytes uploaded"
            )
        return {record.name: landed.browser_download_url}

    def yank_states(
        self,
        names: Collection[str] | None = None,
        *,
        fresh: bool = True,  # noqa: ARG002 - read anew every time
    ) -> dict[str, str | None]:
        """asset name -> the release's yank reason or None: the mark is on the release."""
        with self._lock:
            self._release = None
            release = self._get_release(create=False)
            if release is None or release.draft:
                return {}
            state = yank_state(release.title or "", release.body or "", release.prerelease)
            assets = self._uploaded()
            return {name: state for name in assets if names is None or name in names}

    def set_yanked(self, names: Collection[str], reason: str | None) -> None:  # noqa: ARG002 - the mark is on the release
        """Mark the release yanked with ``reason`` (None: restore it as it was)."""
        with self._lock:
            self._release = None
            release = self._get_release(create=False)
            if release is None:
                raise PermanentError(f"registry {self._context.spec.name}: no release {self._tag}")
            title, body = release.title or self._tag, release.body or ""
            match = _YANK_BLOCK.match(body)
            was = match["was"] == "true" if match else release.prerelease
            title = title.removeprefix(YANKED_TITLE)
            body = body[match.end() :] if match else body
            new = (
                (title, body, was)
                if reason is None
                else (YANKED_TITLE + title, yank_block(reason, was) + body, True)
            )
            _translated(
                lambda: release.update_release(new[0], new[1], draft=False, prerelease=new[2]),
                f"{'un' if reason is None else ''}yank release {self._tag}",
            )
