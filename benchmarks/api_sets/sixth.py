"""The sixth held-out set (issue 28): labelled from changelogs before either tool ran."""

from __future__ import annotations

# A sixth held-out set (helper api6): 49 pairs of consecutive releases of 10 libraries that no
# other set or the corpus uses (mistune, python-json-logger, xmltodict, colorlog,
# requests-oauthlib, toolz, boltons, rfc3986, python-slugify, jsonpointer), every release
# inside each window. The windows were chosen from the changelogs and a diff of the sdists'
# public names and signatures (a script of the labeller's own, not releasegate or griffe), to
# hold at least 8 true "too small" bumps among plenty of "ok" ones. Changelogs: mistune
# docs/changes.rst, python-json-logger docs/changelog.md and xmltodict CHANGELOG.md (in their
# repositories, not in the sdists); requests-oauthlib HISTORY.rst, rfc3986
# docs/source/release-notes/, boltons CHANGELOG.md and python-slugify CHANGELOG.md (in the
# sdists); colorlog, toolz and jsonpointer publish GitHub release notes only, so their labels
# are the code's. Where the changelog is silent about a change the code makes, the code decides
# and the reason says "code:" (a public name: no underscore, in the module's __all__ where it
# has one, removed or re-signed incompatibly). boltons numbers its releases by calendar
# (YY.MINOR.MICRO, its CHANGELOG says): no bump-size claim, labelled ok as attrs and cattrs are
# in the first set. mistune 2.0.x was looked at and left out (no public name or signature
# changed in any of its patches). Labelled and committed before any run: 8 too small. One
# label was corrected after the first run (mistune 3.1.1, it says so): 9 too small after.
PAIRS: list[tuple[str, str, str, bool, str]] = [
    # mistune 3: the changelog is silent about the public names its minors remove.
    (
        "mistune",
        "3.0.0",
        "3.0.1",
        False,
        "3.0.1: 'Add py.typed', 'Support renderer=\"ast\" for rendering AST' (an addition)",
    ),
    ("mistune", "3.0.1", "3.0.2", False, "3.0.2: 'Fix list parser to avoid RecursionError'"),
    (
        "mistune",
        "3.0.2",
        "3.1.0",
        True,
        "3.1.0: 'Fix only HTML-escape URLs when rendering to HTML', block_quote prefix; code:"
        " BlockParser.parse_axt_heading (a public method of a public class, the atx heading"
        " rule's parser) renamed parse_atx_heading with no alias, a minor",
    ),
    (
        "mistune",
        "3.1.0",
        "3.1.1",
        True,
        "3.1.1: 'Fix render_toc_ul method for empty iterable', ruby plugin regex; code: the"
        " typing Protocol plugins.Plugin.__call__(self, markdown) -> (self, md). Label corrected"
        " after the run (was ok, 'a typing fix, no caller breaks'): mistune calls plugins"
        " positionally, but a callback protocol's parameter names are part of its type (mypy"
        " --strict rejects a plugin def p(markdown: Markdown) as a Plugin after 3.1.1, accepted"
        " it before), a typing-only break counted as freezegun 1.5.0's is in the third set;"
        " the gate also fails 3.1.0 for the mirror rename, BaseDirective.__call__ md -> markdown",
    ),
    ("mistune", "3.1.1", "3.1.2", False, "3.1.2: 'Fix footnotes plugin for AST renderer'"),
    ("mistune", "3.1.2", "3.1.3", False, "3.1.3: 'Announce supports for python 3.12 and 3.13'"),
    (
        "mistune",
        "3.1.3",
        "3.1.4",
        False,
        "3.1.4: fenced directive break rule in list parser, unicode whitespace in atx heading",
    ),
    (
        "mistune",
        "3.1.4",
        "3.2.0",
        False,
        "3.2.0: python 3.14, footnotes and TOC ref-link fixes; code: list_parser no longer"
        " imports typing's Dict, List, Tuple (imports, not API)",
    ),
    (
        "mistune",
        "3.2.0",
        "3.2.1",
        False,
        "3.2.1: escaping fixes, 'Fix LINK_TITLE_RE to prevent DoS' (security fixes)",
    ),
    (
        "mistune",
        "3.2.1",
        "3.3.0",
        True,
        "3.3.0: 'Improve CommonMark compatibility and parser performance', command line"
        " entrypoint, math (additions); code: the public constants mistune.helpers.LINK_TITLE_RE"
        " (named by the 3.2.1 changelog), LINK_BRACKET_START, LINK_BRACKET_RE,"
        " LINK_HREF_BLOCK_RE, LINK_HREF_INLINE_RE, PAREN_END_RE and"
        " mistune.inline_parser.PAREN_END_RE, EMPHASIS_END_RE removed, a minor",
    ),
    # python-json-logger: 3.x moved jsonlogger to json in a minor.
    (
        "python-json-logger",
        "2.0.7",
        "3.0.0",
        False,
        "3.0.0: new major for the fork; RESERVED_ATTRS now a list; code: JsonEncoder.default"
        " (obj -> o) re-signed (a major)",
    ),
    (
        "python-json-logger",
        "3.0.0",
        "3.0.1",
        True,
        "3.0.1: 'Fix spelling of parameter json_serialiser -> json_serializer': a keyword-only"
        " parameter of JsonFormatter.__init__ renamed in a patch (json_serialiser= now falls"
        " into **kwargs and logging.Formatter rejects it)",
    ),
    (
        "python-json-logger",
        "3.0.1",
        "3.1.0",
        True,
        "3.1.0: 'pythonjsonlogger.jsonlogger has been moved to pythonjsonlogger.json' (claimed"
        " compatible; 3.2.1 fixes the 'Import error on import pythonjsonlogger.jsonlogger'):"
        " the module is gone, served only by the package's __getattr__, so importing it fails;"
        " code: jsonlogger.merge_record_extra is not served (json serves RESERVED_ATTRS only);"
        " a minor",
    ),
    (
        "python-json-logger",
        "3.1.0",
        "3.2.0",
        False,
        "3.2.0: ORJSON/MSGSPEC_AVAILABLE no longer import the packages, MissingPackageError"
        " (still an ImportError), defaults honoured; code: the package no longer binds the"
        " third-party orjson and msgspec modules as attributes (imports, not API)",
    ),
    (
        "python-json-logger",
        "3.2.0",
        "3.2.1",
        False,
        "3.2.1: 'Import error on import pythonjsonlogger.jsonlogger' fixed: a jsonlogger"
        " module again (JsonFormatter, JsonEncoder, RESERVED_ATTRS) instead of __getattr__",
    ),
    (
        "python-json-logger",
        "3.2.1",
        "3.3.0",
        False,
        "3.3.0: exc_info_as_array and stack_info_as_array added to BaseJsonFormatter",
    ),
    (
        "python-json-logger",
        "3.3.0",
        "4.0.0",
        False,
        "4.0.0 (a major): code: log_record parameters renamed log_data, str_to_object removed",
    ),
    # xmltodict: 0.x, so its minors may break.
    (
        "xmltodict",
        "0.13.0",
        "0.14.0",
        False,
        "0.14.0: Python 2 leftovers dropped, whitespace kept, streaming attributes (0.x minor)",
    ),
    ("xmltodict", "0.14.0", "0.14.1", False, "0.14.1: 'Drop support for Python older than 3.6'"),
    (
        "xmltodict",
        "0.14.1",
        "0.14.2",
        False,
        "0.14.2: 'Revert \"Ensure significant whitespace is not trimmed\"' (behaviour of 0.14.0"
        " restored; no API change)",
    ),
    (
        "xmltodict",
        "0.14.2",
        "0.15.0",
        False,
        "0.15.0: XML injection prevented in unparse (0.x minor)",
    ),
    (
        "xmltodict",
        "0.15.0",
        "0.15.1",
        False,
        "0.15.1: unparse rejects element and attribute names that made malformed XML"
        " (security hardening; no API change)",
    ),
    # colorlog: GitHub release notes only; labels from the code.
    ("colorlog", "6.8.0", "6.8.2", False, "code: a blank line"),
    ("colorlog", "6.8.2", "6.9.0", False, "code: basicConfig's lock on Python 3.13"),
    (
        "colorlog",
        "6.9.0",
        "6.10.1",
        False,
        "code: formatException on Python 3.13 added; a private method renamed",
    ),
    ("colorlog", "6.10.1", "6.11.0", False, "code: the package is unchanged (README only)"),
    # requests-oauthlib: 2.0.0 was first published as 1.4.0, then 1.3.1 again as 1.4.1.
    (
        "requests-oauthlib",
        "1.3.0",
        "1.3.1",
        True,
        "1.3.1: 'Removed outdated LinkedIn Compliance Fixes': the module"
        " compliance_fixes.linkedin and compliance_fixes.linkedin_compliance_fix removed in a"
        " patch",
    ),
    (
        "requests-oauthlib",
        "1.3.1",
        "1.4.0",
        True,
        "1.4.0: 'Version 2.0.0 published initially as 1.4.0, it was yanked eventually' (the"
        " maintainers' major); code: oauth1_auth.unicode (the py2 alias, a public name of a"
        " public module) removed, a minor",
    ),
    (
        "requests-oauthlib",
        "1.4.0",
        "1.4.1",
        True,
        "1.4.1 (not in HISTORY): code: 1.3.1's sources again, so 1.4.0's OAuth2Session(pkce=)"
        " parameter and its refresh_token_request / access_token_request compliance hooks are"
        " gone, a patch",
    ),
    (
        "requests-oauthlib",
        "1.4.1",
        "2.0.0",
        False,
        "2.0.0: PKCE, hooks, Python 2 dropped (a major)",
    ),
    # toolz: GitHub release notes only; labels from the code.
    (
        "toolz",
        "0.12.0",
        "0.12.1",
        False,
        "code: curried signatures for itertools.pairwise added, fixes",
    ),
    ("toolz", "0.12.1", "1.0.0", False, "code: docs and tests (a major)"),
    (
        "toolz",
        "1.0.0",
        "1.1.0",
        False,
        "code: versioneer dropped, __version__ served by a module __getattr__; (object) bases",
    ),
    ("toolz", "1.1.0", "1.2.0", False, "code: no public name or signature changed"),
    # boltons: calendar versions, no bump-size claim.
    ("boltons", "23.1.1", "24.0.0", False, "24.0.0: Python 3 only (calendar versions)"),
    (
        "boltons",
        "24.0.0",
        "24.1.0",
        False,
        "24.1.0: max_depth, enter, remap tracing added (calendar versions, YY.MINOR.MICRO);"
        " code: timeutils.EPOCH_NAIVE, funcutils.make_method and py2 aliases removed, which"
        " SemVer numbering would call too small",
    ),
    ("boltons", "24.1.0", "25.0.0", False, "25.0.0: Python 3.13, rotate_file (calendar versions)"),
    # rfc3986
    (
        "rfc3986",
        "1.3.0",
        "1.3.1",
        False,
        "1.3.1: 'Only apply IDNA-encoding when there are characters outside of the ASCII"
        " character set'",
    ),
    (
        "rfc3986",
        "1.3.1",
        "1.3.2",
        True,
        "1.3.2: 'Remove unnecessary IRI-flavored matchers from rfc3986.misc': the public"
        " constants misc.IHOST_MATCHER, IPATH_MATCHER, IQUERY_MATCHER, IFRAGMENT_MATCHER,"
        " RELATIVE_IRI_MATCHER, ABSOLUTE_IRI_MATCHER removed in a patch",
    ),
    (
        "rfc3986",
        "1.3.2",
        "1.4.0",
        False,
        "1.4.0: authority parsing stops at a backslash (security), URIBuilder.from_uri added",
    ),
    (
        "rfc3986",
        "1.4.0",
        "1.5.0",
        False,
        "1.5.0: IRI fix, URIBuilder.extend_path, extend_query_with, geturl added",
    ),
    ("rfc3986", "1.5.0", "2.0.0", False, "2.0.0: Python 2.7 to 3.6 dropped (a major)"),
    # python-slugify
    (
        "python-slugify",
        "8.0.1",
        "8.0.2",
        False,
        "8.0.2: 'Normalize text before converting to unicode'",
    ),
    (
        "python-slugify",
        "8.0.2",
        "8.0.3",
        False,
        "8.0.3: unsupported Pythons dropped, 'Fix pattern types'",
    ),
    (
        "python-slugify",
        "8.0.3",
        "8.0.4",
        False,
        "8.0.4: 'Properly handle uppercase special characters'",
    ),
    (
        "python-slugify",
        "8.0.4",
        "9.0.0",
        False,
        "9.0.0: keyword-only algorithm, backend, replacement_stage added (a major)",
    ),
    # jsonpointer: GitHub release notes only; labels from the code.
    ("jsonpointer", "3.0.0", "3.1.0", False, "code: Python 2 leftovers dropped"),
    ("jsonpointer", "3.1.0", "3.1.1", False, "code: array index matched in full (a fix)"),
    (
        "jsonpointer",
        "3.1.1",
        "3.2.0",
        False,
        "code: VERBOSE_EXCEPTIONS added; bad targets raise JsonPointerException instead of"
        " TypeError or ValueError (behaviour of invalid input, no name or signature changed)",
    ),
]
