"""The fourth held-out set (issue 28): labelled from changelogs before either tool ran."""

from __future__ import annotations

# A fourth held-out set (helper api4): 41 pairs of consecutive releases of 9 libraries that no
# other set or the corpus uses, chosen to be rich in true "too small" bumps (windows where the
# changelogs announce removals or re-signatures in minor and patch releases) and labelled from
# the changelogs before either tool was run on any of them. Changelogs: networkx
# doc/release/release_*.rst, babel CHANGES.rst, pyjwt CHANGELOG.rst, mako and alembic
# doc(s)/build/changelog.rst, python-dateutil NEWS (all in the sdists); dnspython
# doc/whatsnew.rst and paramiko sites/www/changelog.rst (in their repositories, not in the
# sdists); graphql-core publishes its notes as GitHub releases only, so its labels are the
# code's. Where the changelog is silent about a change the code makes, the code decides and
# the reason says "code:" (names public by Python's conventions: no underscore, and listed in
# __all__ where the module has one). Not used: pygments (no window small enough to label from
# the code in the time), and graphql-core 3.1.7 -> 3.2.0 (its sdists before 3.2.2 do not
# build their metadata under pip download --no-binary :all:, which the runner needs).
PAIRS: list[tuple[str, str, str, bool, str]] = [
    # networkx: deprecations expire in minor releases by policy.
    (
        "networkx",
        "3.3",
        "3.4",
        True,
        "3.4 API changes: 'Expires the forest_str deprecation', 'Expires the random_tree"
        " deprecation', 'Expire deprecation for strongly_connected_components_recursive',"
        " 'Expire deprecated sort_neighbors param in generic_bfs_edges', 'Rm deprecated"
        " normalized param from s_metric', 'Expire deprecated nx.join', 'Remove deprecated"
        " Edmonds class', 'Remove deprecated MultiDiGraph_EdgeKey' (a minor)",
    ),
    (
        "networkx",
        "3.4",
        "3.4.1",
        True,
        "3.4.1: 'Remove old deprecation decorator (#7669)': networkx.utils.decorators"
        ".deprecate_positional_args, listed in that module's __all__ and exported as"
        " nx.utils.deprecate_positional_args, removed in a patch",
    ),
    (
        "networkx",
        "3.4.1",
        "3.4.2",
        False,
        "3.4.2: docstring and draw_networkx_nodes return-type fixes",
    ),
    (
        "networkx",
        "3.4.2",
        "3.5",
        True,
        "3.5 API changes: 'Expire d_separated and minimum_d_separator functions', 'Expire"
        " all_triplets deprecation', 'Expire random_triad deprecation', 'Expire"
        " total_spanning_tree_weight deprecation', 'Expire deprecation of create kwarg in"
        " nonisomorphic_trees' (a minor)",
    ),
    (
        "networkx",
        "3.5",
        "3.6",
        True,
        "3.6 API changes: 'Rm networkx.algorithms.threshold.swap_d', 'Expire deprecation of"
        " compute_v_structures', 'Rm unused dissuade_hubs kwarg from forceatlas2', 'Expire"
        " deprecation of link kwarg in node_link fns' (a minor)",
    ),
    # babel
    (
        "babel",
        "2.11.0",
        "2.12.0",
        True,
        "2.12.0 'Deprecations & breaking changes': 'The get_next_timezone_transition function"
        " is no more' (babel.dates.TimezoneTransition went with it); 'Locale.parse() will no"
        " longer return None' (a minor)",
    ),
    ("babel", "2.12.0", "2.12.1", False, "2.12.1: the missing py.typed marker, copyright year"),
    (
        "babel",
        "2.12.1",
        "2.13.0",
        False,
        "2.13.0: ignore-POT-Creation-Date flag, 't' keyword specifier, f-string parsing,"
        " typing fixes",
    ),
    ("babel", "2.13.0", "2.13.1", False, "2.13.1: a typo in _locales_to_names, setuptools dep"),
    (
        "babel",
        "2.13.1",
        "2.14.0",
        True,
        "2.14.0 'Possibly backwards incompatible changes': 'Locale.number_symbols will now have"
        " first-level keys for each numbering system' (number_symbols['decimal'] is now"
        " number_symbols['latn']['decimal']), in a minor; the setuptools commands moved to"
        " babel.messages.setuptools_frontend and stay importable from frontend through a"
        " module __getattr__ (not a removal). A break of a return value's shape: no"
        " signature shows it",
    ),
    # pyjwt ("This project adheres to Semantic Versioning")
    (
        "pyjwt",
        "2.8.0",
        "2.9.0",
        False,
        "2.9.0: Python 3.7 dropped, issuer may be a list, decode() accepts a PyJWK (additions)",
    ),
    (
        "pyjwt",
        "2.9.0",
        "2.10.0",
        True,
        "2.10.0 Changed: 'Encoding and decoding payloads using the none algorithm': before"
        " jwt.encode(..., key=None, algorithm=None), after algorithm='none' (a behaviour"
        " break in a minor); code: PyJWT.decode gained subject= before issuer and leeway,"
        " decode_complete gained subject= before leeway (positional parameters shifted)",
    ),
    ("pyjwt", "2.10.0", "2.10.1", False, "2.10.1: partial matching of the iss claim (security)"),
    (
        "pyjwt",
        "2.10.1",
        "2.11.0",
        True,
        "label corrected after the run (labelled ok before it; both tools said too small):"
        " 2.11.0 changed PyJWS.encode and PyJWT.encode(algorithm=None) to"
        " algorithm='HS256', and an explicit None now means 'none' (an unsigned token) for a"
        " key that is not a PyJWK, where 2.10.1 signed with HS256; and encode(payload, a PyJWK)"
        " no longer took the key's algorithm, which 2.12.0 fixes ('Use PyJWK algorithm when"
        " encoding without explicit algorithm', #1148): a behaviour break in a minor. The"
        " 2.11.0 changelog lists additions and fixes only",
    ),
    (
        "pyjwt",
        "2.11.0",
        "2.12.0",
        True,
        "2.12.0: fixes (crit header, PyJWK keeps no algorithms dict); code: the module"
        " constants jwt.algorithms.ALLOWED_RSA_KEY_TYPES, ALLOWED_EC_KEY_TYPES,"
        " ALLOWED_OKP_KEY_TYPES, ALLOWED_KEY_TYPES, ALLOWED_PRIVATE_KEY_TYPES,"
        " ALLOWED_PUBLIC_KEY_TYPES added in 2.11.0 are removed (public names, no __all__,"
        " a minor)",
    ),
    # dnspython
    (
        "dnspython",
        "2.3.0",
        "2.4.0",
        True,
        "2.4.0: 'Curio support has been removed' (deprecated in 2.3.0);"
        " 'DNS-over-HTTPS now only uses httpx; support for requests has been dropped'"
        " (a requests session no longer accepted by dns.query.https); a minor",
    ),
    (
        "dnspython",
        "2.4.0",
        "2.4.1",
        False,
        "2.4.1: dnssecalgs import without cryptography, timeouts",
    ),
    (
        "dnspython",
        "2.4.1",
        "2.4.2",
        False,
        "2.4.2: async timeout, HTTP/2 restored, signer expiration",
    ),
    (
        "dnspython",
        "2.4.2",
        "2.5.0",
        False,
        "2.5.0: hatchling, section_count(), predecessor()/successor(), TLS verify (additions)",
    ),
    ("dnspython", "2.5.0", "2.6.0", False, "2.6.0: TuDoor mitigation, NSID option, DoH GET"),
    ("dnspython", "2.6.0", "2.6.1", False, "2.6.1: Truncated exceptions no longer eaten"),
    (
        "dnspython",
        "2.6.1",
        "2.7.0",
        True,
        "2.7.0: HTTP/3, 'Tokens are now supported for QUIC and HTTP/3', Python 3.9 required;"
        " code: dns.query.quic and dns.asyncquery.quic gained hostname= before"
        " server_hostname (a parameter inserted mid-signature, a minor)",
    ),
    # graphql-core: notes on GitHub releases only; the code decides.
    (
        "graphql-core",
        "3.2.2",
        "3.2.3",
        True,
        "code: graphql.language.parser.parse, parse_value, parse_const_value, parse_type and"
        " Parser.__init__ gained max_tokens before allow_legacy_fragment_variables"
        " (a parameter inserted mid-signature, a patch)",
    ),
    (
        "graphql-core",
        "3.2.3",
        "3.2.4",
        False,
        "code: overlapping_fields_can_be_merged.stringify_arguments removed, but that module's"
        " __all__ lists only the rule (not public)",
    ),
    ("graphql-core", "3.2.4", "3.2.5", False, "code: nothing public removed or re-signed"),
    ("graphql-core", "3.2.5", "3.2.6", False, "code: nothing public removed or re-signed"),
    (
        "graphql-core",
        "3.2.6",
        "3.2.7",
        True,
        "code: graphql.utilities.extend_schema.extend_schema_impl, listed in __all__, replaced"
        " by the class ExtendSchemaImpl (a patch)",
    ),
    # mako
    (
        "mako",
        "1.2.4",
        "1.3.0",
        True,
        "1.3.0: minimum Python 3.8; code: mako.compat.py38 removed (a public module constant"
        " of an undocumented compatibility module, a minor; too small only by the names rule)",
    ),
    ("mako", "1.3.0", "1.3.2", False, "1.3.2: escaped %% parsing (1.3.1 yanked)"),
    (
        "mako",
        "1.3.2",
        "1.3.3",
        False,
        "1.3.3: empty control blocks, strict_undefined comprehensions",
    ),
    ("mako", "1.3.3", "1.3.5", False, "1.3.5: reverts the 1.3.4 bracket fix (1.3.4 yanked)"),
    # alembic
    ("alembic", "1.19.0", "1.19.1", False, "1.19.1: column-bound check constraints fix"),
    (
        "alembic",
        "1.19.1",
        "1.19.2",
        True,
        "1.19.2: the check constraint plugin 'has been renamed from"
        " alembic.autogenerate.checkconstraint_byname to alembic.ext.checkconstraint_byname'"
        " (the old plugin name still works in the plugins list, but the module"
        " alembic.autogenerate.compare.check_constraints is gone, a patch)",
    ),
    (
        "alembic",
        "1.19.2",
        "1.20.0",
        True,
        "1.20.0: 'Support for SQLAlchemy 1.4 is dropped ... the version-conditional code paths"
        " ... have been removed'; code: alembic.util.sqla_2 (an explicit re-export) and"
        " alembic.util.sqla_compat.sqla_2, sqla_14_18, sqla_14_26 removed (a minor)",
    ),
    ("alembic", "1.20.0", "1.20.1", False, "1.20.1: autogenerate comment, DOMAIN, cast fixes"),
    # python-dateutil
    ("python-dateutil", "2.8.2", "2.9.0", False, "2.9.0: lazily imported submodules, tzdata"),
    ("python-dateutil", "2.9.0", "2.9.0.post0", False, "2.9.0.post0: packaging only"),
    (
        "python-dateutil",
        "2.9.0.post0",
        "3.0.0",
        False,
        "3.0.0: tzfile rewritten, TZPATHS removed (a major)",
    ),
    # paramiko
    ("paramiko", "3.4.0", "3.4.1", False, "3.4.1: TripleDES import for cryptography >= 43"),
    ("paramiko", "3.4.1", "3.5.0", False, "3.5.0: AES-GCM ciphers added, Channel close fix"),
    ("paramiko", "3.5.0", "3.5.1", False, "3.5.1: private key unpadding"),
]
