"""A folder written as a PEP 503 simple index: ``<root>/simple/<project>/``.

pip installs from it with ``--index-url file://<root>/simple``. Files are written
to a temporary name and renamed, the project page is rewritten the same way, so
a reader never sees half a file. An existing file is never replaced.

Files first, index last: ``upload`` only places files, and ``finish`` (once every file is
there and verified) lists them all in one atomic rewrite of the page. A run that fails
midway (a full disk) leaves the page as it was, never a version listed with only some
of its files; what it placed is found and kept by the next run. A temporary file is
removed on every outcome, and a failure of the file system is this registry's error,
naming the path and the errno (ENOSPC), not a crash.
"""

from __future__ import annotations

import errno
import html
import os
import secrets
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from releasegate._internal import simple_index
from releasegate._internal.hashing import sha256_file
from releasegate._internal.publish.registries.base import held
from releasegate._internal.publish.retry import PermanentError

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence
    from typing import BinaryIO

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


def _temporary(directory: Path) -> tuple[int, Path]:
    """A new file beside its target, with the mode the umask gives (a web server must
    read a published index; ``mkstemp`` would make it 0600)."""
    while True:
        path = directory / f".tmp-{secrets.token_hex(8)}"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), path
        except FileExistsError:
            continue


def _failed(registry: str, target: Path, error: OSError) -> PermanentError:
    """A file system failure as this registry's error: the path and the errno by name."""
    code = errno.errorcode.get(error.errno or 0, "")
    reason = error.strerror or type(error).__name__
    return PermanentError(
        f"registry {registry}: cannot write {target}: {reason}"
        + (f" (errno {error.errno} {code})" if error.errno else "")
    )


def _place(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """``target`` written through a temporary file beside it and renamed; the temporary is
    removed whatever happens (a full disk, an interrupt)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, path = _temporary(target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        path.replace(target)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_atomic(target: Path, text: str) -> None:
    _place(target, lambda stream: stream.write(text.encode("utf-8")))


def _copy_atomic(source: Path, target: Path) -> None:
    def copy(stream: BinaryIO) -> None:
        with source.open("rb") as data:
            shutil.copyfileobj(data, stream)

    _place(target, copy)


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

    def _listed(self) -> dict[str, simple_index.IndexFile]:
        page = self._project_dir / INDEX
        if not page.is_file():
            return {}
        try:
            files = simple_index.parse_html(page.read_bytes(), page.as_uri())
        except simple_index.IndexFormatError as exc:
            raise PermanentError(f"{page}: {exc}") from None
        return {entry.filename: entry for entry in files}

    def holdings(
        self,
        wanted: Collection[str] | None = None,
        *,
        verify_bytes: bool = False,  # noqa: ARG002 - the bytes on disk are always hashed
    ) -> dict[str, str]:
        # The bytes on disk are the truth; the page says which files are published. A
        # file we want that sits there unlisted (a companion, a half-finished run) counts:
        # it would be overwritten otherwise.
        listed = self._listed()
        names = set(listed) | set(wanted or ())
        result = {}
        for filename in names:
            path = self._project_dir / filename
            if path.is_file():
                entry = listed.get(filename)
                result[filename] = held(entry.sha256 if entry else None, sha256_file(path))
        return result

    def upload(self, artifact: Artifact) -> None:
        """The files only: ``finish`` lists them once all are in place."""
        with _lock_for(self._project_dir):
            for source in (artifact.path, *artifact.companions):
                target = self._project_dir / source.name
                if target.exists() and sha256_file(target) != sha256_file(source):
                    raise PermanentError(
                        f"{target}: a different file with this name exists; not replaced"
                    )
            for source in (*artifact.companions, artifact.path):
                target = self._project_dir / source.name
                if target.exists():
                    continue  # the same bytes, placed by an earlier run that stopped
                try:
                    _copy_atomic(source, target)
                except OSError as exc:
                    raise _failed(self._context.spec.name, target, exc) from None

    def finish(self, artifacts: Sequence[Artifact]) -> None:
        """Every file is in place and verified: list them all in one rewrite of the page."""
        with _lock_for(self._project_dir):
            links = self._links(artifacts)
            try:
                self._write_pages(links)
            except OSError as exc:
                page = exc.filename or self._project_dir / INDEX
                raise _failed(self._context.spec.name, Path(page), exc) from None

    def _links(self, artifacts: Sequence[Artifact]) -> dict[str, str]:
        """Every entry the page had, whatever its fragment, plus ``artifacts``.

        An entry written by hand or by another tool may have no ``#sha256=``: dropping
        it would hide an older release from pip. Its file, when here, gets its hash.
        """
        links = {}
        for name, entry in self._listed().items():
            path = self._project_dir / name
            if entry.sha256 is None and path.is_file():
                links[name] = f"{quote(name)}#sha256={sha256_file(path)}"
            elif entry.url == path.as_uri():
                links[name] = (
                    f"{quote(name)}#sha256={entry.sha256}" if entry.sha256 else quote(name)
                )
            else:
                links[name] = entry.url + (f"#sha256={entry.sha256}" if entry.sha256 else "")
        for artifact in artifacts:
            links[artifact.filename] = f"{quote(artifact.filename)}#sha256={artifact.sha256}"
        return links

    def _write_pages(self, links: dict[str, str]) -> None:
        _write_atomic(
            self._project_dir / INDEX, render_page(f"Links for {self._context.project}", links)
        )
        projects = {
            p.name: f"{quote(p.name)}/" for p in self._simple.iterdir() if (p / INDEX).is_file()
        }
        _write_atomic(self._simple / INDEX, render_page("Simple index", projects))
