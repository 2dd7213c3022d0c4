"""A folder written as a PEP 503 simple index: ``<root>/simple/<project>/``.

pip installs from it with ``--index-url file://<root>/simple``. Files are written
to a temporary name and renamed, the project page is rewritten the same way, so
a reader never sees half a file. An existing file is never replaced.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from releasegate._internal import simple_index
from releasegate._internal.hashing import sha256_file
from releasegate._internal.publish.retry import PermanentError

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.registries.base import RegistryContext

INDEX = "index.html"
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def directory_root(url: str, project_root: Path) -> Path:
    if url.startswith("file:"):
        return Path(unquote(urlsplit(url).path))
    path = Path(url)
    return path if path.is_absolute() else project_root / path


def _write_atomic(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    Path(name).replace(target)


def _copy_atomic(source: Path, target: Path) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    os.close(handle)
    shutil.copyfile(source, name)
    Path(name).replace(target)


def render_page(title: str, links: dict[str, str]) -> str:
    """A PEP 503 page: one anchor per name -> href."""
    anchors = "\n".join(
        f'    <a href="{html.escape(href)}">{html.escape(name)}</a><br/>'
        for name, href in sorted(links.items())
    )
    return (
        f'<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0">'
        f"<title>{html.escape(title)}</title></head>\n  <body>\n{anchors}\n  </body>\n</html>\n"
    )


class DirectoryRegistry:
    def __init__(self, context: RegistryContext) -> None:
        self._context = context
        self._simple = directory_root(context.spec.url, context.root) / "simple"
        self._project_dir = self._simple / context.project

    def _listed(self) -> dict[str, str | None]:
        page = self._project_dir / INDEX
        if not page.is_file():
            return {}
        try:
            files = simple_index.parse_html(page.read_bytes(), page.as_uri())
        except simple_index.IndexFormatError as exc:
            raise PermanentError(f"{page}: {exc}") from None
        return {entry.filename: entry.sha256 for entry in files}

    def holdings(self, wanted: Collection[str] | None = None) -> dict[str, str]:  # noqa: ARG002
        # ``wanted`` saves downloads elsewhere; local files are hashed anyway.
        # The bytes on disk are the truth; the page only says which files are published.
        result = {}
        for filename in self._listed():
            path = self._project_dir / filename
            if path.is_file():
                result[filename] = sha256_file(path)
        return result

    def upload(self, artifact: Artifact) -> None:
        self._project_dir.mkdir(parents=True, exist_ok=True)
        target = self._project_dir / artifact.filename
        with _lock_for(self._project_dir):
            if target.exists() and sha256_file(target) != artifact.sha256:
                raise PermanentError(
                    f"{target}: a different file with this name exists; not replaced"
                )
            _copy_atomic(artifact.path, target)
            for companion in artifact.companions:
                _copy_atomic(companion, self._project_dir / companion.name)
            listed = {name: sha for name, sha in self._listed().items() if sha}
            listed[artifact.filename] = artifact.sha256
            self._write_pages(listed)

    def _write_pages(self, listed: dict[str, str]) -> None:
        links = {name: f"{quote(name)}#sha256={sha}" for name, sha in listed.items()}
        _write_atomic(
            self._project_dir / INDEX, render_page(f"Links for {self._context.project}", links)
        )
        projects = {
            p.name: f"{quote(p.name)}/" for p in self._simple.iterdir() if (p / INDEX).is_file()
        }
        _write_atomic(self._simple / INDEX, render_page("Simple index", projects))

    def finish(self, artifacts: Sequence[Artifact]) -> None:
        """Nothing to do: files are served once the page lists them."""
