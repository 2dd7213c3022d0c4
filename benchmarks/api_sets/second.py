"""The second held-out set (issue 28): 43 pairs of 12 libraries."""

from __future__ import annotations

# A second held-out set, measured once the fixes above were made (issue 28): 43 consecutive
# pairs of 12 libraries that neither the corpus nor the issue uses. "Too small" means a break
# the bump does not allow (a major, or a minor below 1.0); additions in a patch release are
# warnings by harm (issue 26), not failures. Where the changelog is silent the code decides,
# and the reason says so.
PAIRS: list[tuple[str, str, str, bool, str]] = [
    ("sqlparse", "0.4.4", "0.5.0", False, "0.5.0: Python 3.5-3.7 dropped, enhancements (0.x)"),
    ("sqlparse", "0.5.0", "0.5.1", False, "0.5.1: compact formatter option, fixes"),
    ("sqlparse", "0.5.1", "0.5.2", False, "0.5.2: fixes"),
    ("sqlparse", "0.5.2", "0.5.3", False, "0.5.3: DoS fix"),
    (
        "pyparsing",
        "3.0.8",
        "3.0.9",
        False,
        "3.0.9: removed OptionalType/DictType/IterableType, typing's own objects that"
        " `from .core import *` copied into helpers and common: not pyparsing's API",
    ),
    (
        "pyparsing",
        "3.1.1",
        "3.1.2",
        True,
        "3.1.2 (code): assertRaisesParseException gained expected_msg before msg, a"
        " positional caller's msg moves; ExceptionWordUnicode removed",
    ),
    (
        "pyparsing",
        "3.1.2",
        "3.1.3",
        True,
        "3.1.3 (code): parseImpl(..., doActions) renamed do_actions in 39 methods: a caller"
        " passing doActions= breaks (changelog: new Tag class, fixes)",
    ),
    ("pyparsing", "3.1.3", "3.1.4", False, "3.1.4: a regression fix"),
    (
        "pyparsing",
        "3.1.4",
        "3.2.0",
        True,
        "3.2.0: POSSIBLE BREAKING CHANGES; NamedDiagram NamedTuple -> dataclass (no longer a"
        " tuple); PrecededBy(retreat: Optional[int]) -> int",
    ),
    ("starlette", "0.38.0", "0.38.1", False, "0.38.1: revert pathsend support (behaviour)"),
    ("starlette", "0.38.1", "0.38.2", False, "0.38.2: fix"),
    ("starlette", "0.38.2", "0.38.3", False, "0.38.3: Python 3.13, fix"),
    ("starlette", "0.38.3", "0.38.4", False, "0.38.4: fix"),
    ("exceptiongroup", "1.1.3", "1.2.0", False, "1.2.0: suppress() backport (addition)"),
    ("exceptiongroup", "1.2.0", "1.2.1", False, "1.2.1: fixes, annotation corrections"),
    ("exceptiongroup", "1.2.1", "1.2.2", False, "1.2.2: fix"),
    (
        "tomlkit",
        "0.12.4",
        "0.12.5",
        False,
        "0.12.5: fixes (array(raw: str = None) -> raw: str = '[]', the value the body used)",
    ),
    ("tomlkit", "0.12.5", "0.13.0", False, "0.13.0: error type changed, Python 3.7 dropped (0.x)"),
    ("tomlkit", "0.13.0", "0.13.1", False, "0.13.1: fixes"),
    ("semver", "3.0.1", "3.0.2", False, "3.0.2: fixes"),
    ("semver", "3.0.2", "3.0.3", False, "3.0.3: fixes, type hints"),
    ("semver", "3.0.3", "3.0.4", False, "3.0.4: packaging fixes"),
    ("async-timeout", "4.0.2", "4.0.3", False, "4.0.3: fixes, Python 3.6 dropped"),
    ("async-timeout", "4.0.3", "5.0.0", False, "5.0.0: sync context manager removed (a major)"),
    ("async-timeout", "5.0.0", "5.0.1", False, "5.0.1: misc"),
    ("httpcore", "1.0.4", "1.0.5", False, "1.0.5: fixes"),
    ("httpcore", "1.0.5", "1.0.6", False, "1.0.6: fixes"),
    (
        "httpcore",
        "1.0.6",
        "1.0.7",
        True,
        "1.0.7: proxy= on ConnectionPool(), inserted before max_connections: every later"
        " positional argument moves (in a patch)",
    ),
    ("zipp", "3.18.0", "3.18.1", False, "3.18.1: no significant changes"),
    ("zipp", "3.18.1", "3.18.2", False, "3.18.2: no significant changes"),
    ("zipp", "3.18.2", "3.19.0", False, "3.19.0: is_symlink (addition)"),
    ("zipp", "3.19.0", "3.19.1", False, "3.19.1: fix"),
    (
        "importlib-metadata",
        "7.0.0",
        "7.0.1",
        False,
        "7.0.1: the SimplePath protocol (private _meta module) corrected",
    ),
    ("importlib-metadata", "7.0.1", "7.0.2", False, "7.0.2: no significant changes"),
    ("importlib-metadata", "7.0.2", "7.1.0", False, "7.1.0: import time, classmethods"),
    ("importlib-metadata", "7.1.0", "7.2.0", False, "7.2.0: deferred imports"),
    ("importlib-metadata", "7.2.0", "7.2.1", False, "7.2.1: fix"),
    ("importlib-metadata", "7.2.1", "8.0.0", False, "8.0.0: removals (a major)"),
    ("typing-extensions", "4.10.0", "4.11.0", False, "4.11.0: additions"),
    (
        "typing-extensions",
        "4.11.0",
        "4.12.0",
        False,
        "4.12.0: PEP 696 backports; TypeVar(default=_marker) -> NoDefault, sentinel for sentinel",
    ),
    ("typing-extensions", "4.12.0", "4.12.1", False, "4.12.1: fixes"),
    (
        "flask-sqlalchemy",
        "3.0.5",
        "3.1.0",
        True,
        "3.1.0: Remove previously deprecated code (in a minor: Pallets' policy, strict SemVer"
        " says too small)",
    ),
    ("flask-sqlalchemy", "3.1.0", "3.1.1", False, "3.1.1: __version__ deprecated"),
]
