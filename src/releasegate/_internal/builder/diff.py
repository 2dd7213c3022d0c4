"""Explaining why two builds of one archive differ, one classified problem per cause.

Each class of difference (gzip header time, tar member time, zip timestamp,
permission bits, owners, member order, content, members on one side only) is a
problem with the fix that makes it go away; the reproducible gate and the rebuild
command place them as findings (``problems.to_finding``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.builder.causes import (
    BUILD_PATH,
    BUILD_TIME,
    LISTING_ORDER,
    LOCALE_SORT,
    RANDOM_VALUE,
    UNORDERED,
    classify,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.archives import Archive, Member

CHECK = "reproducible"
_EXAMPLES = 5
_CONTENT_FINDINGS = 10
_DIFF_LINES = 24

HINTS: dict[str, str] = {
    "gzip-mtime": "the backend writes the wall-clock time into the sdist's gzip header; set "
    "SOURCE_DATE_EPOCH (releasegate sets it to the last commit's time) - if it still differs the "
    "backend ignores it (pdm-backend does): report it upstream, change backend, or rewrite the "
    "header with mtime=SOURCE_DATE_EPOCH",
    "gzip-header": "the gzip header stores a file name or OS that changes between builds; the "
    "backend should write an empty name",
    "tar-mtime": "tar member times follow the files' mtimes in the checkout; set SOURCE_DATE_EPOCH "
    "with a backend that clamps to it (hatchling, flit-core and poetry-core do). An sdist whose "
    "gzip header ignores it (setuptools) is stamped by releasegate with SOURCE_DATE_EPOCH; when "
    "the times still differ, the backend set them itself after honouring the variable - report "
    "it upstream or change backend",
    "zip-timestamp": "zip times come from file mtimes or the clock, in local time (TZ leaks); set "
    "SOURCE_DATE_EPOCH and TZ=UTC with a backend that honours them",
    "permissions": "modes follow the umask of the checkout and build (setuptools copies them); "
    "build with `umask 022` (releasegate build does) or use a backend that normalises modes "
    "(hatchling, flit-core)",
    "owner": "uid/gid and owner names of the builder leak into tar members; use a backend that "
    "zeroes them, or build as one fixed user",
    "member-order": "members follow the directory listing order; use a backend (version) that "
    "sorts members, and pin it",
    "content": "the files themselves differ: look for build dates, absolute paths, unordered "
    "output and versions from VCS; pin the backend (two releases write different "
    "METADATA, WHEEL and RECORD)",
    BUILD_TIME: "the project's build code (a build hook, setup.py) writes the current time: take "
    "it from SOURCE_DATE_EPOCH when set (`int(os.environ.get('SOURCE_DATE_EPOCH', time.time()))`) "
    "or leave it out; pinning the backend changes nothing here",
    RANDOM_VALUE: "the project's build code writes a random value (uuid4, random, secrets, a "
    "temporary name): derive it from the sources (a hash of the files, the version) or leave it "
    "out",
    BUILD_PATH: "the build writes the absolute path it ran in: write paths relative to the "
    "project or the package (e.g. `Path(__file__).parent`), never the build directory",
    LISTING_ORDER: "the output follows the directory listing order (os.listdir, os.scandir, glob, "
    "Path.iterdir), which differs between filesystems and machines: sort the listing "
    "(`sorted(...)`) before writing",
    LOCALE_SORT: "the output is sorted by the locale's collation (locale.strxfrm or strcoll after "
    "setlocale), so LANG changes the order: sort with a fixed key (plain `sorted`, or "
    "`key=str.casefold`)",
    UNORDERED: "the output follows an unordered collection (a set, or a dict filled from one; its "
    "order changes with PYTHONHASHSEED) or a directory listing: sort it before writing",
    "line-endings": "the files differ only in line endings (CRLF against LF): a Windows checkout "
    "converts them (core.autocrlf); commit a `.gitattributes` with `* text=auto eol=lf` so that "
    "every runner checks out the same bytes",
    "only-one-side": "the builds hold different files: generated or untracked files reach one "
    "build; build from a clean checkout and list the files to ship explicitly",
    "archive-metadata": "zip header fields (creator system, compression, extra field) differ; "
    "pin the backend and build on the same platform",
    "archive-bytes": "same members and metadata, different bytes: the compression level or zlib "
    "differs; pin the backend and build in the same image",
}

_SAME_BACKEND_CONTENT = (
    "the files differ although both builds ran the same backend in one environment: the "
    "project's build code writes something that changes between runs (a date, a path, an "
    "unordered collection, a version from VCS); the diff shows what"
)
"""A verification's content hint: its builds share one backend, so pinning it cannot help."""

_FROM_SDIST_HINTS = {
    "only-one-side": "the wheel built from the sdist differs from the wheel built from the tree: "
    "the sdist misses files the wheel needs, or ships extra ones; fix the sdist's include list",
    "content": "the wheel built from the sdist has other file contents than the wheel built from "
    "the tree: the sdist misses a file the build reads, or the build depends on the checkout (VCS)",
}


class Problem(NamedTuple):
    """A difference, verdict or note of the builder (``problems.ProblemLike``): its severity is
    the rule's registered one, and its gate is ``CHECK``, where ``to_finding`` places it."""

    rule: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class Comparison:
    """Two builds of one artifact and what to call them in messages."""

    kind: str
    """``sdist``, ``wheel`` or ``wheel-from-sdist``."""
    first: Archive
    second: Archive
    labels: tuple[str, str] = ("build 1", "build 2")
    same_backend: bool = True
    """Both built with one backend (a verification); False for a rebuild of a published file."""
    unstable: frozenset[str] = frozenset()
    """Members that differ between two builds of the tree too: for ``wheel-from-sdist``, their
    difference is the build's own, not a file the sdist misses."""

    @property
    def title(self) -> str:
        return f"{self.kind} {self.first.path.name}"


def hint_for(rule: str, kind: str, *, same_backend: bool = True) -> str:
    if kind == "wheel-from-sdist" and rule in _FROM_SDIST_HINTS:
        return _FROM_SDIST_HINTS[rule]
    if rule == "content" and same_backend:
        return _SAME_BACKEND_CONTENT
    return HINTS[rule]


def _problem(comparison: Comparison, rule: str, message: str, *, own: bool = False) -> Problem:
    """``own``: the difference is the build's own (it shows between two builds of the tree)."""
    kind = "wheel" if own else comparison.kind
    return Problem(
        rule=rule,
        message=f"{comparison.title}: {message}",
        hint=hint_for(rule, kind, same_backend=comparison.same_backend),
    )


def explain(comparison: Comparison) -> list[Problem]:
    """Every classified difference between the two archives; ``archive-bytes`` when none shows."""
    found = [
        *_header_differences(comparison),
        *_one_side(comparison),
        *_order(comparison),
        *_metadata(comparison),
        *_contents(comparison),
    ]
    if not found:
        found.append(
            _problem(
                comparison,
                "archive-bytes",
                "members and metadata match but the archive bytes differ",
            )
        )
    return found


def umask_only(comparison: Comparison, found: list[Problem], bits: int) -> bool:
    """Whether the archives differ in nothing but mode bits that the umask sets (``bits``).

    Every other class of difference is explained first (``explain``); only when permissions
    are the one class found, and every differing mode differs in ``bits`` alone, is the
    difference the umask's: a condition the build records and a rebuild repeats.
    """
    if not bits or not found or any(p.rule != "permissions" for p in found):
        return False
    return all(not ((a.mode ^ b.mode) & ~bits) for a, b in _pairs(comparison) if a.mode != b.mode)


def _header_differences(comparison: Comparison) -> Iterator[Problem]:
    first, second = dict(comparison.first.header), dict(comparison.second.header)
    for key in sorted(set(first) | set(second)):
        a, b = first.get(key, "(none)"), second.get(key, "(none)")
        if a != b:
            rule = (
                "gzip-mtime"
                if key == "gzip mtime"
                else ("gzip-header" if key.startswith("gzip") else "archive-metadata")
            )
            yield _problem(comparison, rule, f"{key} differs ({a} vs {b})")


def _examples(names: list[str]) -> str:
    shown = ", ".join(names[:_EXAMPLES])
    return shown + (f" and {len(names) - _EXAMPLES} more" if len(names) > _EXAMPLES else "")


def _one_side(comparison: Comparison) -> Iterator[Problem]:
    first, second = comparison.first.by_name(), comparison.second.by_name()
    label_a, label_b = comparison.labels
    only_a = [name for name in first if name not in second]
    only_b = [name for name in second if name not in first]
    if only_a:
        yield _problem(comparison, "only-one-side", f"only in {label_a}: {_examples(only_a)}")
    if only_b:
        yield _problem(comparison, "only-one-side", f"only in {label_b}: {_examples(only_b)}")


def _order(comparison: Comparison) -> Iterator[Problem]:
    second = comparison.second.by_name()
    order_a = [m.name for m in comparison.first.members if m.name in second]
    common = set(order_a)
    order_b = [m.name for m in comparison.second.members if m.name in common]
    if order_a != order_b:
        at = next(i for i, (a, b) in enumerate(zip(order_a, order_b, strict=True)) if a != b)
        yield _problem(
            comparison,
            "member-order",
            f"members are in another order (position {at}: {order_a[at]} vs {order_b[at]})",
        )


def _pairs(comparison: Comparison) -> Iterator[tuple[Member, Member]]:
    second = comparison.second.by_name()
    for member in comparison.first.members:
        other = second.get(member.name)
        if other is not None:
            yield member, other


def _metadata(comparison: Comparison) -> Iterator[Problem]:
    time_rule = "zip-timestamp" if comparison.first.format == "zip" else "tar-mtime"
    fields = (
        (
            time_rule,
            "tar member mtime" if time_rule == "tar-mtime" else "zip timestamp",
            lambda m: m.mtime,
        ),
        ("permissions", "mode", lambda m: oct(m.mode)),
        ("owner", "owner", lambda m: "{}:{} {}:{}".format(*m.owner) if m.owner else "-"),
        ("archive-metadata", "zip fields", lambda m: ", ".join(f"{k}={v}" for k, v in m.extra)),
    )
    pairs = list(_pairs(comparison))
    for rule, what, read in fields:
        differing = [(a.name, read(a), read(b)) for a, b in pairs if read(a) != read(b)]
        if differing:
            name, before, after = differing[0]
            names = _examples([d[0] for d in differing])
            yield _problem(
                comparison,
                rule,
                f"{what} differs in {len(differing)} member(s): {names}"
                f" (e.g. {name}: {before} vs {after})",
            )


def _lf(content: bytes | None) -> bytes | None:
    return None if content is None else content.replace(b"\r\n", b"\n")


def _line_endings_only(first: Member, second: Member) -> bool:
    a, b = _lf(first.content), _lf(second.content)
    return a is not None and a == b and first.content != second.content


_RECORD = ".dist-info/RECORD"


def _contents(comparison: Comparison) -> Iterator[Problem]:
    differing = [(a, b) for a, b in _pairs(comparison) if (a.kind, a.sha256) != (b.kind, b.sha256)]
    if any(not a.name.endswith(_RECORD) for a, _ in differing):
        # RECORD lists every file's hash: it differs because another file does, nothing more.
        differing = [(a, b) for a, b in differing if not a.name.endswith(_RECORD)]
    endings = [a.name for a, b in differing if _line_endings_only(a, b)]
    if endings:
        # One finding for all of them: a CRLF checkout changes every text file at once.
        yield _problem(
            comparison,
            "line-endings",
            f"{len(endings)} member(s) differ only in line endings: {_examples(endings)}",
        )
        differing = [(a, b) for a, b in differing if a.name not in set(endings)]
    for first, second in differing[:_CONTENT_FINDINGS]:
        rule = _cause(first, second)
        yield _problem(
            comparison,
            rule,
            f"content of {first.name} differs{_CAUSES.get(rule, '')}\n"
            f"{content_diff(first, second, comparison.labels)}",
            own=first.name in comparison.unstable,
        )
    if len(differing) > _CONTENT_FINDINGS:
        rest = [a.name for a, _ in differing[_CONTENT_FINDINGS:]]
        yield _problem(
            comparison,
            "content",
            f"content differs in {len(rest)} more member(s): {_examples(rest)}",
        )


_CAUSES = {
    BUILD_TIME: ": it holds the time of the build",
    RANDOM_VALUE: ": it holds a value that changes on every build",
    BUILD_PATH: ": it holds the path the build ran in",
    LISTING_ORDER: ": the same lines in reversed order, as the varied directory listings are",
    LOCALE_SORT: ": the same lines, sorted by another locale's collation",
    UNORDERED: ": the same lines in another order",
}


def _cause(first: Member, second: Member) -> str:
    """The class of cause of a content difference (``causes.py``), ``content`` when none fits."""
    a, b = _text(first.content), _text(second.content)
    if a is None or b is None or first.kind != second.kind:
        return "content"
    return classify("\n".join(a), "\n".join(b)) or "content"


def _text(content: bytes | None) -> list[str] | None:
    if content is None or b"\0" in content:
        return None
    try:
        return content.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def content_diff(first: Member, second: Member, labels: tuple[str, str]) -> str:
    """A unified diff for text members, sizes and hashes for anything else."""
    if first.kind != second.kind:
        return f"  {labels[0]}: a {first.kind}; {labels[1]}: a {second.kind}"
    a, b = _text(first.content), _text(second.content)
    if a is None or b is None:
        return (
            f"  {labels[0]}: {first.size} bytes, sha256 {first.sha256}\n"
            f"  {labels[1]}: {second.size} bytes, sha256 {second.sha256}"
        )
    lines = list(
        difflib.unified_diff(
            a, b, f"{labels[0]}/{first.name}", f"{labels[1]}/{second.name}", lineterm="", n=1
        )
    )
    shown = lines[:_DIFF_LINES]
    if len(lines) > _DIFF_LINES:
        shown.append(f"... ({len(lines) - _DIFF_LINES} more diff lines)")
    return "\n".join(f"  {line}" for line in shown)
