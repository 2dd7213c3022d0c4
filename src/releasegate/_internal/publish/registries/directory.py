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

Beside the HTML page, ``index.json`` holds the same list in PEP 691's JSON form, for a web
server that serves it to clients asking for JSON. A yank (PEP 592) is a mark on a file's
entry in both, with its reason: ``data-yanked="reason"`` and ``"yanked": "reason"``. Every
rewrite of the page carries the marks it found, so a later publish never drops them.
"""

from __future__ import annotations

import errno
import html
import json
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
JSON_INDEX = "index.json"
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


def render_page(title: str, links: dict[str, str], yanked: dict[str, str] | None = None) -> str:
    """A PEP 503 page: one anchor per name -> href, with PEP 592's ``data-yanked`` (the
    reason, possibly empty) on the names in ``yanked``."""
    marks = yanked or {}

    def anchor(name: str, href: str) -> str:
        mark = f' data-yanked="{html.escape(marks[name])}"' if name in marks else ""
        return f'    <a href="{html.escape(href)}"{mark}>{html.escape(name)}</a><br/>'

    anchors = "\n".join(anchor(name, href) for name, href in sorted(links.items()))
    return (
        f'<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0">'
        f"<title>{html.escape(title)}</title></head>\n  <body>\n{anchors}\n  </body>\n</html>\n"
    )


def render_json(project: str, links: dict[str, str], yanked: dict[str, str]) -> str:
    """The same page in PEP 691's JSON form (API version 1.0): ``yanked`` is the reason, or
    true when none was given."""
    files = []
    for name, href in sorted(links.items()):
        url, _, fragment = href.partition("#")
        entry: dict[str, object] = {"filename": name, "url": url, "hashes": {}}
        if fragment.startswith("sha256="):
            entry["hashes"] = {"sha256": fragment.removeprefix("sha256=")}
        if name in yanked:
            entry["yanked"] = yanked[name] or True
        files.append(entry)
    document = {"meta": {"api-version": "1.0"}, "name": project, "files": files}
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


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

    def finish(self, artifacts: Sequence[Artifact]) -> dict[str, str]:
        """Every file is in place and verified: list them all in one rewrite of the page."""
        with _lock_for(self._project_dir):
            self._rewrite(self._links(artifacts), self._marks())
        return {}

    def _rewrite(self, links: dict[str, str], yanked: dict[str, str]) -> None:
        try:
            self._write_pages(links, yanked)
        except OSError as exc:
            page = exc.filename or self._project_dir / INDEX
            raise _failed(self._context.spec.name, Path(page), exc) from None

    def _marks(self) -> dict[str, str]:
        """The PEP 592 marks the page carries now: filename -> reason ("" for none)."""
        return {
            name: entry.yanked_reason or ""
            for name, entry in self._listed().items()
            if entry.yanked
        }

    def yank_states(
        self,
        names: Collection[str] | None = None,
        *,
        fresh: bool = True,  # noqa: ARG002 - read anew every time
    ) -> dict[str, str | None]:
        """filename -> the yank reason ("" for none) or None, as both forms of the page say.

        The HTML page is what pip reads from a folder; the JSON form must agree with it. A
        file marked in one and not the other, or with another reason, is reported as not
        yanked: a client reading the other form would install it.
        """
        listed = self._listed()
        in_json = self._listed_json()
        states: dict[str, str | None] = {}
        for name, entry in listed.items():
            if names is not None and name not in names:
                continue
            reason = (entry.yanked_reason or "") if entry.yanked else None
            other = in_json.get(name)
            if in_json and (other is None or other != reason):
                reason = None
            states[name] = reason
        return states

    def _listed_json(self) -> dict[str, str | None]:
        page = self._project_dir / JSON_INDEX
        if not page.is_file():
            return {}
        try:
            files = simple_index.parse_json(page.read_bytes(), page.as_uri())
        except simple_index.IndexFormatError as exc:
            raise PermanentError(f"{page}: {exc}") from None
        return {e.filename: (e.yanked_reason or "") if e.yanked else None for e in files}

    def set_yanked(self, names: Collection[str], reason: str | None) -> None:
        """Mark ``names`` yanked with ``reason`` (None: take the mark off), in one atomic
        rewrite of each form of the page; the files themselves are not touched."""
        with _lock_for(self._project_dir):
            marks = self._marks()
            for name in names:
                if reason is None:
                    marks.pop(name, None)
                else:
                    marks[name] = reason
            self._rewrite(self._links(()), marks)

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

    def _write_pages(self, links: dict[str, str], yanked: dict[str, str]) -> None:
        project = self._context.project
        marks = {name: reason for name, reason in yanked.items() if name in links}
        # JSON first: a reader of the HTML page (pip on a folder) never sees a mark the JSON
        # form lacks for longer than the one rename between them.
        _write_atomic(self._project_dir / JSON_INDEX, render_json(project, links, marks))
        _write_atomic(self._project_dir / INDEX, render_page(f"Links for {project}", links, marks))
        projects = {
            p.name: f"{quote(p.name)}/" for p in self._simple.iterdir() if (p / INDEX).is_file()
        }
        _write_atomic(self._simple / INDEX, render_page("Simple index", projects))
