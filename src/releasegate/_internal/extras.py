"""Optional parts of releasegate: which extra brings a library, and the error that names it.

The base install is what the gates need, because every pre-commit hook environment installs it
(issue 32). Publishing, signing, SBOMs, the GitHub side, REUSE and check-manifest come with
extras. A command that reaches a missing one fails with the exact ``pip install`` to run,
decided here from the import that failed, so no call site has to remember which extra it is in.
"""

from __future__ import annotations

from releasegate._internal.errors import FatalError

EXTRA_OF_MODULE: dict[str, str] = {
    "reuse": "reuse",
    "check_manifest": "manifest",
    "twine": "publish",
    "requests_toolbelt": "publish",
    "sigstore": "sign",
    "pypi_attestations": "sign",
    "cyclonedx": "sbom",
    "github": "github",
    "jwt": "publish",  # governance's OIDC token check (the sign extra has it too)
}
"""Top-level import name -> the extra that installs it (see ``[project.optional-dependencies]``)."""


class MissingExtraError(FatalError):
    """Raised when a command needs a library of an extra that is not installed.

    What to do: install the extra it names (the Action installs every extra).
    """

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this needs {module!r}, which comes with releasegate's {extra!r} extra",
            hint=f"pip install 'releasegate[{extra}]' (or 'releasegate[all]')",
        )
        self.module = module
        self.extra = extra


def missing_extra(exc: ImportError) -> MissingExtraError | None:
    """The error naming the extra that would have provided what ``exc`` could not import.

    None when the missing module belongs to no extra: a broken install, which stays a bug.
    """
    name = getattr(exc, "name", None) or ""
    top = name.partition(".")[0]
    extra = EXTRA_OF_MODULE.get(top)
    return MissingExtraError(top, extra) if extra else None


def installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it."""
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or half-installed package counts as absent
        return False
