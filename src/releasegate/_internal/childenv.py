"""The one environment every child process gets: an allowlist, never the job's secrets.

releasegate runs in jobs that hold tokens (``GITHUB_TOKEN``, ``PYPI_TOKEN``, the OIDC request
token ``ACTIONS_ID_TOKEN_REQUEST_TOKEN``, cloud credentials), and some of its children run code
that is not releasegate's: a build backend in the opt-in build gates, pip or uv resolving from
an index. A child inherits nothing by default: only what a program needs to run (PATH, HOME,
locale, temporary folders, proxies and certificates, the interpreter's own switches) and, when
the caller names its tool, that tool's own settings (``PIP_*``, ``UV_*``) without anything that
looks like a credential. Every ``subprocess`` call in the package passes ``env=`` from here
(``tests/test_child_environment.py`` walks the code and fails on any that does not).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

ALLOWED = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "TEMP",
        "TMP",
        "SOURCE_DATE_EPOCH",
        "VIRTUAL_ENV",
        "XDG_CACHE_HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "PYTHONPATH",
        "PYTHONHASHSEED",
        "PYTHONUTF8",
        "PYTHONIOENCODING",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONNOUSERSITE",
        # git reads its own configuration files (safe.directory in containers); never the
        # GIT_CONFIG_KEY_n / GIT_CONFIG_PARAMETERS pairs, where CI passes http.extraheader tokens.
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CEILING_DIRECTORIES",
        "GIT_EXEC_PATH",
        # Windows needs these to start any program at all.
        "SYSTEMROOT",
        "SYSTEMDRIVE",
        "COMSPEC",
        "PATHEXT",
        "WINDIR",
        "APPDATA",
        "LOCALAPPDATA",
        "USERPROFILE",
    }
)
PROXIES = frozenset(
    name
    for base in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    for name in (base, base.lower())
)
LOCALE_PREFIX = "LC_"
TOOLS = {
    "pip": ("PIP_",),
    "uv": ("UV_",),
    # A build backend's own settings and a compiler's (the opt-in build gates).
    "build": (
        "CC",
        "CXX",
        "CFLAGS",
        "CXXFLAGS",
        "CPPFLAGS",
        "LDFLAGS",
        "PKG_CONFIG",
        "MAKEFLAGS",
        "MACOSX_DEPLOYMENT_TARGET",
        "ARCHFLAGS",
        "SETUPTOOLS_",
        "HATCH_",
        "PDM_",
        "FLIT_",
        "POETRY_",
        "MATURIN_",
        "CARGO",
        "RUSTFLAGS",
    ),
}
"""The settings prefixes of the tools a caller may name."""
TOOL_NAMES = {
    # git fetches (--new-since) the way the user's own git would: through their ssh agent and
    # askpass helper, which hand out nothing but to git's own connection.
    "git": frozenset({"SSH_AUTH_SOCK", "SSH_ASKPASS", "GIT_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND"}),
}
"""Exact names a tool needs, passed even where a name looks like a credential's."""
_SECRET = re.compile(
    r"TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL|AUTH|API_?KEY|PRIVATE|_KEY$|KEYRING|NETRC",
    re.IGNORECASE,
)
"""Names never passed, even under an allowed prefix (``UV_PUBLISH_TOKEN``,
``UV_INDEX_<NAME>_PASSWORD``, ``PIP_KEYRING_PROVIDER``)."""


def is_secret_name(name: str) -> bool:
    return _SECRET.search(name) is not None


def _allowed(name: str, prefixes: tuple[str, ...], exact: frozenset[str]) -> bool:
    if name in exact:
        return True
    if is_secret_name(name):
        return False
    if name in ALLOWED or name in PROXIES:
        return True
    return name.startswith(LOCALE_PREFIX) or name.startswith(prefixes)


def child_environment(
    extra: Mapping[str, str] | None = None,
    *,
    tools: Iterable[str] = (),
    unset: Iterable[str] = (),
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of one child process.

    ``tools`` names the programs whose own settings pass (``"pip"``, ``"uv"``); ``extra`` is
    what the caller sets itself (it wins, and is the caller's responsibility); ``unset`` drops
    allowed names (the reproducibility builds vary the locale); ``base`` replaces
    ``os.environ`` (tests).
    """
    source = os.environ if base is None else base
    chosen = tuple(tools)
    prefixes = tuple(p for tool in chosen for p in TOOLS.get(tool, ()))
    exact = frozenset().union(*(TOOL_NAMES.get(tool, frozenset()) for tool in chosen))
    env = {name: value for name, value in source.items() if _allowed(name, prefixes, exact)}
    for name in unset:
        env.pop(name, None)
    env.update(extra or {})
    return env
