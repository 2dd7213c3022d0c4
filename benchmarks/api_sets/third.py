"""The third held-out set (issue 28): 33 pairs of 10 libraries, labelled before any run."""

from __future__ import annotations

# A third held-out set (helper api3): 33 pairs (consecutive releases) of 10 libraries that no other set
# or the corpus uses, labelled from their changelogs (in the sdist, or the project's
# repository where the sdist has none) before either tool was run. Where the changelog is
# silent about a change the code makes, the code decides and the reason says so: these are
# names public by Python's conventions (no underscore, no __all__) that the projects do not
# document, removed or re-signed outside a major release.
PAIRS: list[tuple[str, str, str, bool, str]] = [
    (
        "asgiref",
        "3.7.2",
        "3.8.0",
        True,
        "3.8.0: Python 3.12, task cancellation fixes; code: AsyncToSync.main_wrap lost"
        " source_thread and gained task_context mid-signature, SyncToAsync.thread_handler's"
        " source_task became task_context (undocumented methods, public names, a minor)",
    ),
    ("asgiref", "3.8.0", "3.8.1", False, "3.8.1: fixes a regression in nested task cancellation"),
    (
        "asgiref",
        "3.8.1",
        "3.9.0",
        True,
        "3.9.0: fixes a deadlock in CurrentThreadExecutor; code: CurrentThreadExecutor.__init__"
        " gained a required old_executor argument, AsyncToSync.main_wrap(*args, **kwargs) ->"
        " main_wrap(awaitable) (public names, a minor)",
    ),
    ("typeguard", "4.2.1", "4.3.0", False, "4.3.0: static protocol checks added, fixes"),
    ("typeguard", "4.3.0", "4.4.0", False, "4.4.0: protocol method signatures checked, fixes"),
    (
        "typeguard",
        "4.4.0",
        "4.4.1",
        False,
        "4.4.1: 'Changed the signature of typeguard_ignore() to be compatible with"
        " typing.no_type_check()': the TYPE_CHECKING stub's f -> arg; at run time it is"
        " no_type_check(arg) in both; Python 3.8 dropped, fixes",
    ),
    ("typeguard", "4.4.1", "4.4.2", False, "4.4.2: fixes"),
    ("loguru", "0.7.0", "0.7.1", False, "0.7.1: logger.add(context=) added (keyword-only), fixes"),
    ("loguru", "0.7.1", "0.7.2", False, "0.7.2: ExceptionGroup formatting, fixes"),
    ("loguru", "0.7.2", "0.7.3", False, "0.7.3: fixes"),
    ("argcomplete", "3.3.0", "3.4.0", False, "3.4.0: no stdin for completion calls, fixes"),
    (
        "argcomplete",
        "3.4.0",
        "3.5.0",
        False,
        "3.5.0: project.scripts instead of setuptools scripts (argcomplete.scripts added)",
    ),
    ("argcomplete", "3.5.0", "3.5.1", False, "3.5.1: argparse 3.12.7+ compatibility restored"),
    ("argcomplete", "3.5.1", "3.5.2", False, "3.5.2: _parse_known_args monkeypatching fixed"),
    ("tzlocal", "5.1", "5.2", False, "5.2: type hints for the public functions, pyproject"),
    ("tzlocal", "5.2", "5.3", False, "5.3: Python 3.9-3.13, /etc/timezone handling"),
    ("tzlocal", "5.3", "5.3.1", False, "5.3.1: warns only on conflicting /etc/timezone"),
    (
        "freezegun",
        "1.3.1",
        "1.4.0",
        False,
        "1.4.0: asyncio support behind freeze_time(real_asyncio=) (a parameter added)",
    ),
    (
        "freezegun",
        "1.4.0",
        "1.5.0",
        True,
        "1.5.0: 'Type improvements'; code: the api.pyi stub was dropped for inline"
        " annotations, freeze_time(tick, as_arg, as_kwarg, auto_tick_seconds, real_asyncio)"
        " no longer accept None (static only: None still works at run time). Labelled too"
        " small before the run for a misread reason (module globals removed: they were kept,"
        " as annotated assignments); too small only if a static narrowing counts",
    ),
    ("freezegun", "1.5.0", "1.5.1", False, "1.5.1: tick() typing fixed (delta int -> float)"),
    ("freezegun", "1.5.1", "1.5.2", False, "1.5.2: Python 3.7 dropped, docs"),
    ("isodate", "0.6.1", "0.7.2", False, "0.7.2: potentially breaking changes (0.x minor)"),
    ("waitress", "2.1.2", "3.0.0", False, "3.0.0: Python 3.7 dropped, defaults changed (a major)"),
    (
        "waitress",
        "3.0.0",
        "3.0.1",
        True,
        "3.0.1: Python 3.8 dropped, security fixes; code: wasyncore.dispatcher_with_send and"
        " dispatcher.connect removed (the vendored asyncore, public names, a patch)",
    ),
    (
        "waitress",
        "3.0.1",
        "3.0.2",
        True,
        "3.0.2: security fix (proxy headers); code: waitress.runner.match, resolve and"
        " RUNNER_PATTERN removed (public names, a patch)",
    ),
    ("webob", "1.8.6", "1.8.7", False, "1.8.7: deflate decoding fix"),
    ("webob", "1.8.7", "1.8.8", False, "1.8.8: open redirect security fix"),
    ("webob", "1.8.8", "1.8.9", False, "1.8.9: legacy-cgi required on Python 3.13"),
    ("webob", "1.8.9", "1.8.10", False, "1.8.10: security fix"),
    (
        "oauthlib",
        "3.1.1",
        "3.2.0",
        True,
        "3.2.0: 'The RefreshTokenGrant modifiers now take the same arguments as the"
        " AuthorizationCodeGrant modifiers (token, token_handler, request)': a registered"
        " modifier is called modifier(token, token_handler, request), was modifier(token)"
        " (a callback's contract, in a minor; added after the first run, labelled before its own)",
    ),
    (
        "oauthlib",
        "3.2.0",
        "3.2.1",
        False,
        "3.2.1: metadata endpoint non-HTTPS, IPv6 in signatures (authorization_code's"
        " incidental import of utils.is_secure_transport dropped: not its API)",
    ),
    ("oauthlib", "3.2.1", "3.2.2", False, "3.2.2: CVE-2022-36087"),
    ("oauthlib", "3.2.2", "3.3.0", False, "3.3.0: device authorization grant added, fixes"),
]
