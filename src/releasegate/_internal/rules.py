"""The registry of every rule releasegate can report: its default severity, why, and the fix.

One row per ``Finding.rule_id`` (``<gate or command>/<rule>``). A Finding made without a
severity takes its row's default here, and ``[tool.releasegate] severity`` overrides it in the
runner, so this table is the one source of every default. ``releasegate rules`` prints it and
the docs' rule table (docs/reference/rules.md) is generated from it (``tests/test_rules.py`` fails when either drifts,
or when the test suite sees a finding whose rule has no row).

The default follows DESIGN.md's harm test: **error** only when the release would hurt someone
(an index or pip refuses or mis-installs it, an install breaks, a lock no longer matches what
is declared, an API break in a bump too small for it, a security or integrity problem);
deprecated-but-valid, style, hygiene and deliberate project choices are **warning** or **note**.

Plain tuples of strings, no dataclasses: the hooks import this module on every commit.
"""

from __future__ import annotations

E, W, N = "error", "warning", "note"

# rule id: (default severity, why that severity (the harm), how to fix)
# fmt: off
RULES: dict[str, tuple[str, str, str]] = {
    # --- semver -----------------------------------------------------------------------------
    "semver/invalid-version": (E, "an index normalises or refuses a version that is not valid (SemVer mapped faithfully to PEP 440), so tags and installs name another release", "write the version in normal form (the finding shows it)"),
    "semver/prerelease-label": (E, "a mutable or unstructured label (`latest`, `rc1`) breaks ordering and tag matching the project configured", "use an allowed `label.N` (rc.1), or change [tool.releasegate.semver] labels"),
    "semver/version-mismatch": (E, "files that state different versions ship metadata that disagrees with the tag and with itself", "make every place state the same version"),
    "semver/version-backwards": (E, "a version below an earlier release is never picked by pip as an upgrade", "use a version above the highest release of the line"),
    "semver/tag-mismatch": (E, "HEAD's release tag names another version than the one that would be built", "tag the commit with the project's version, or fix the version"),
    "semver/tag-form": (E, "the project asked for one tag form (`tag-form`); another breaks its release automation", "rename the tag as the finding says"),
    "semver/version-reused": (E, "an index refuses a file name it already has: the release cannot be uploaded", "bump the version (`releasegate version --next patch`)"),
    "semver/version-unchanged": (E, "only with `require-bump = true`: the project asked for a bump after each release", "bump the version, or drop require-bump"),
    "semver/no-version": (E, "a release whose version cannot be found cannot be checked or tagged; a warning between releases", "state the version (the hint names where)"),
    "semver/no-release-tags": (W, "tags exist but none matches a release style: the monotonic checks are skipped, nothing is harmed", "tag releases 1.2.3 or v1.2.3, or set tag-format"),
    "semver/dev-version": (N, "a loose dev version (`8.5.0.dev`) is fine between releases; only a release needs a normal one", "nothing between releases; release a normal version"),
    "semver/scheme": (N, "calendar and two-part versions are valid PEP 440: the SemVer-only rules are skipped, said once", "nothing"),
    "semver/changelog-unreleased": (W, "the release is fine; its changelog entry still says unreleased", "give the entry its release date"),
    "semver/changelog-stale": (W, "the changelog stopped at an older release: documentation hygiene, the release itself is fine", "add entries for the releases since, or set changelog = \"\""),
    "semver/changelog-skipped": (N, "a changelog that cannot be read as versions (headed by dates) is not compared, said once", "nothing, or set [tool.releasegate.semver] changelog"),
    "semver/version-file": (E, "a configured `version-files` entry that cannot be read hides a version that may disagree", "fix [tool.releasegate.semver] version-files"),
    "semver/workspace-order-unknown": (W, "a member's dynamic, unlocked dependencies leave its place in the release order unknown: it goes first, which may be early", "lock the workspace (`uv lock`), or declare the requirements statically"),
    "semver/workspace-requirement": (E, "a member requires a version of another member that the workspace does not release: installing both fails", "widen the requirement, or release a compatible version"),
    # --- api ----------------------------------------------------------------------------------
    "api/object-removed": (E, "code that uses it breaks, and the bump does not say so", "bump major (minor in 0.x), or keep it (deprecated)"),
    "api/object-kind-changed": (E, "a class that became a function (or the like) breaks its callers", "bump major, or keep the old kind"),
    "api/parameter-removed": (E, "calls passing it break", "bump major, or keep the parameter"),
    "api/parameter-moved": (E, "positional calls now pass values to the wrong parameter", "bump major, or keep the order"),
    "api/parameter-kind-changed": (E, "calls that pass it by position or by keyword break", "bump major, or keep its kind"),
    "api/parameter-default-changed": (E, "calls relying on the default change behaviour silently", "bump major, or keep the default"),
    "api/parameter-now-required": (E, "calls that omitted it break", "bump major, or give it a default"),
    "api/parameter-added-required": (E, "every existing call breaks", "bump major, or give it a default"),
    "api/return-type-removed": (E, "typed callers lose the return type", "bump major, or keep the annotation"),
    "api/attribute-type-changed": (E, "code reading the attribute gets another type", "bump major, or keep the type"),
    "api/attribute-value-changed": (W, "a compatible change released without any bump: the tag and version say nothing changed", "bump patch"),
    "api/base-removed": (E, "isinstance checks and inherited members break", "bump major, or keep the base class"),
    "api/object-added": (W, "a new feature in a patch release: users get more than the version promises, no install or code breaks", "bump minor, or lower the rule in severity"),
    "api/parameter-added-optional": (W, "a new feature in a patch release: users get more than the version promises, no install or code breaks", "bump minor"),
    "api/parameter-type-changed": (E, "callers passing the old types may be rejected", "bump major, or widen the annotation"),
    "api/parameter-type-widened": (W, "a new feature in a patch release: users get more than the version promises, no install or code breaks", "bump minor"),
    "api/return-type-changed": (E, "callers using the result may break", "bump major, or keep the return type"),
    "api/return-type-narrowed": (W, "a compatible change released without any bump: the tag and version say nothing changed", "bump patch"),
    "api/parameter-type-unproven": (N, "compatibility of the annotation cannot be proven either way: said, not judged", "nothing; check it by hand"),
    "api/return-type-unproven": (N, "compatibility of the annotation cannot be proven either way: said, not judged", "nothing; check it by hand"),
    "api/requires-python-raised": (W, "dropping a Python in a patch release: pip keeps that Python on the last release that supports it, nothing breaks", "bump minor"),
    "api/requires-python-lowered": (W, "supporting a new Python in a patch release: a feature, nothing breaks", "bump minor"),
    "api/dependency-removed": (W, "a dropped dependency breaks only code that imported it without declaring it: news for a patch", "bump patch"),
    "api/dependency-added": (W, "a compatible change released without any bump: the tag and version say nothing changed", "bump patch"),
    "api/dependency-changed": (W, "a compatible change released without any bump: the tag and version say nothing changed", "bump patch"),
    "api/extra-removed": (E, "`pip install pkg[extra]` stops installing what it did", "bump major (minor in 0.x)"),
    "api/extra-added": (W, "a new feature in a patch release: users get more than the version promises, no install or code breaks", "bump minor"),
    "api/entry-point-removed": (E, "commands and plugins users rely on disappear", "bump major (minor in 0.x)"),
    "api/entry-point-added": (W, "a new feature in a patch release: users get more than the version promises, no install or code breaks", "bump minor"),
    "api/entry-point-changed": (W, "a compatible change released without any bump: the tag and version say nothing changed", "bump patch"),
    "api/deprecated-removed": (E, "code still using the removed deprecated objects breaks: strict SemVer wants a major, however long they were deprecated", "bump major, or set [tool.releasegate.api] policy = \"deprecate-then-remove\" if the project removes deprecated API in minor releases"),
    "api/object-moved": (W, "a compatible change released without any bump: the object is still importable from its old path", "bump patch"),
    "api/return-type-widened": (W, "a typing fix or a widened contract in a patch: typed callers may need a check, nothing breaks at run time", "bump minor if it changes the contract"),
    "api/not-compared": (N, "a compiled module without stubs cannot be compared: said, not judged", "ship .pyi stubs to have it compared"),
    "api/commits-bump": (E, "a breaking commit (`!`, BREAKING CHANGE) in a bump too small for it; a `feat` commit in a patch release is a warning", "bump as the commit says"),
    "api/allow-expired": (E, "an expired allowlist entry no longer covers the change it was written for: the project asked to be told", "renew the entry with a new expiry, or remove it"),
    "api/unreleased-changes": (N, "between releases: what the next release will need, not a problem", "nothing until the release"),
    "api/scheme": (N, "bump sizes are not held for calendar or two-part versions, said once", "nothing"),
    "api/package-not-found": (W, "the API cannot be compared; nothing is harmed, but nothing was checked", "set [tool.releasegate.api] package"),
    "api/unreadable": (W, "a module griffe cannot read (syntax error) is not compared", "fix the module, or exclude it"),
    "api/outside-project": (W, "package paths that are symlinks out of the project are not read (the checkout is untrusted): said, the rest is compared", "commit the module itself, not a link"),
    # --- lockfile -----------------------------------------------------------------------------
    "lockfile/not-pinned": (E, "a range in a lock installs whatever is newest: the lock no longer fixes what is installed", "pin it with ==, or re-lock"),
    "lockfile/editable": (E, "an editable install depends on a local checkout: elsewhere the install breaks", "lock a released version"),
    "lockfile/local-path": (E, "a local directory exists only on one machine: elsewhere the install breaks", "lock a released version or a hashed archive"),
    "lockfile/url-without-hash": (E, "a direct URL without a hash installs whatever the server serves (integrity)", "add --hash=sha256:... (pip-compile --generate-hashes)"),
    "lockfile/vcs-not-pinned": (E, "a branch or tag moves: the lock no longer fixes what is installed", "pin the VCS URL to a full commit id"),
    "lockfile/missing-hash": (W, "one finding per file: pins without hashes still install the pinned versions; an error when the project requires hashes for the file (require-hashes, or `--require-hashes` in its CI, tox or nox files) or the file is half hashed (pip refuses such a requirements file; in uv, Poetry or PDM locks one unhashed entry is a hand edit installed unchecked)", "lock with hashes (pip-compile --generate-hashes), or list the files that must be hashed in require-hashes"),
    "lockfile/bad-hash": (E, "pip refuses a malformed hash, so the install breaks", "regenerate the hashes with the locking tool"),
    "lockfile/hash-mismatch": (E, "two different hash sets for one version: one of them does not match what the index serves (integrity)", "re-lock; find out which hash is right"),
    "lockfile/conflicting-pins": (E, "two pins of one package: pip refuses the file", "keep one pin, or re-lock"),
    "lockfile/index-option": (E, "an extra index in a requirements file is the dependency-confusion hole (security)", "remove it, or list it in allowed-indexes"),
    "lockfile/index-not-allowed": (E, "entries locked from an undeclared registry (security: dependency confusion)", "declare the index, or list it in allowed-indexes"),
    "lockfile/artifact-mismatch": (E, "a lock whose files name another version or project installs something else than it says (integrity)", "re-lock; look for a hand edit"),
    "lockfile/unlocked-dependency": (E, "a locked package depends on one the lock does not hold: the install resolves it from the index", "re-lock"),
    "lockfile/not-locked": (E, "a declared requirement missing from the lock: the lock no longer matches what is declared", "re-lock"),
    "lockfile/version-drift": (E, "a locked version outside the declared specifier: the lock no longer matches what is declared", "re-lock"),
    "lockfile/project-version-dynamic": (N, "the project's version is dynamic: only the build backend computes it, so the lock's record of it is not compared, said", "nothing; `uv lock --check` compares them where the backend can run"),
    "lockfile/stale-entry": (E, "an entry nothing declared needs: the lock no longer matches what is declared", "re-lock"),
    "lockfile/sync-undecidable": (W, "sync cannot be decided offline: said, never a silent pass, but nothing is known to be wrong; `undecidable = \"fail\"` makes it fail", "make the declaration static, run --resolve, or set undecidable = \"fail\" to require a decision"),
    "lockfile/build-requires-unpinned": (W, "an unpinned backend makes builds differ over time; the release installs fine (the `build-requires` setting chooses the severity)", "pin [build-system].requires with =="),
    "lockfile/denied-package": (E, "the project denied this package (its reason is in the message)", "remove it and what pulls it in"),
    "lockfile/not-allowed": (E, "the project allows only listed packages", "add it to allow after review, or drop it"),
    "lockfile/unused-lockfile": (N, "a member's own uv.lock that uv ignores: said, not checked", "delete it, or exclude the folder from the workspace"),
    "lockfile/taken-as-input": (N, "a detected requirements file taken as an input, not a lock: said, so nothing is silent", "compile it, or list it in paths"),
    "lockfile/parse-error": (E, "a lockfile that cannot be read cannot be installed from", "fix or regenerate the file"),
    "lockfile/missing-include": (E, "pip fails on an `-r` / `-c` file that does not exist", "fix the include path"),
    "lockfile/missing-lockfile": (E, "a configured lockfile that does not exist was not checked", "fix [tool.releasegate.lockfile] paths"),
    "lockfile/resolve-differs": (E, "with --resolve: the lock no longer matches what a resolution of its inputs gives", "re-lock"),
    "lockfile/resolve-failed": (E, "with --resolve: the inputs do not resolve, so a fresh install fails", "fix the inputs"),
    "lockfile/resolve-python-not-honoured": (W, "pip-compile resolved for its own Python, not the project's: the answer may differ", "install uv, or run on the project's Python"),
    "lockfile/resolve-unsupported": (N, "--resolve handles pip-tools files only: said, not judged", "nothing"),
    # --- metadata -----------------------------------------------------------------------------
    "metadata/schema": (E, "[project] or [build-system] against the spec: backends refuse invalid tables", "fix the key (the message says what is expected)"),
    "metadata/license-invalid": (E, "an invalid SPDX expression: PyPI refuses the upload, pdm-backend ships it unchanged", "use SPDX identifiers joined by AND / OR / WITH"),
    "metadata/license-not-canonical": (W, "tools normalise the expression; the release installs and uploads", "write the canonical form the finding shows"),
    "metadata/license-legacy-table": (W, "`license = {text|file}` is deprecated by PEP 639 but accepted by every backend and index", "write an SPDX `license` string and `license-files`"),
    "metadata/license-classifier": (W, "PEP 639: build tools MAY refuse a License :: classifier beside an expression (setuptools >= 77 does, hatchling builds it); PyPI accepts the result", "remove the License :: classifier; the expression says it"),
    "metadata/license-files-path": (E, "a license file outside the project is ignored by hatchling and refused by others: the release ships without it", "keep license files inside the project"),
    "metadata/license-files-glob": (E, "characters PEP 639 does not allow in a glob: backends refuse or misread it", "use only the characters PEP 639 allows"),
    "metadata/license-files-unmatched": (E, "PEP 639 makes a glob that matches nothing an error; hatchling silently ships no license", "fix the pattern or add the file"),
    "metadata/classifier-unknown": (E, "PyPI refuses an upload with an unknown classifier", "use a classifier from trove-classifiers"),
    "metadata/classifier-deprecated": (E, "PyPI refuses an upload with a deprecated classifier", "use its replacement"),
    "metadata/requires-python-invalid": (E, "an invalid specifier: backends refuse it or pip ignores the release", "write a valid specifier (>=3.10)"),
    "metadata/url-invalid": (E, "PyPI refuses a project URL that is not a full http(s) URL", "write a full https:// URL"),
    "metadata/url-label": (E, "PyPI refuses a project URL label over 32 characters", "shorten the label"),
    "metadata/missing-field": (W, "a missing description, readme, license, URLs or authors makes a poorer project page; nothing refuses it", "add the field, or drop it from [tool.releasegate.metadata] required"),
    "metadata/readme-missing": (E, "the backend refuses to build when the readme does not exist", "fix [project] readme"),
    "metadata/readme-path": (E, "a readme outside the project is refused by backends", "keep the readme inside the project"),
    "metadata/readme-content-type": (E, "PyPI refuses a description content type it does not know", "use text/markdown, text/x-rst or text/plain"),
    "metadata/readme-too-large": (E, "a readme over 5 MiB is refused (and never rendered)", "shorten it"),
    "metadata/readme-encoding": (E, "a readme that is not UTF-8 breaks the build or the page", "save it as UTF-8"),
    "metadata/readme-unreadable": (E, "a readme that cannot be read breaks the build", "fix the file"),
    "metadata/readme-render": (E, "PyPI refuses a reST description that does not render", "fix the markup"),
    "metadata/no-pyproject": (W, "nothing to check before a build; legacy setup.py projects still build", "declare the metadata in pyproject.toml [project]"),
    "metadata/no-project-table": (W, "nothing to check before a build; Poetry 1 and setup.py projects still build", "declare the metadata in [project]"),
    # --- license ------------------------------------------------------------------------------
    "license/reuse-not-checked": (W, "REUSE was not checked (the reuse extra is not installed): nothing is harmed, nothing was checked; an error when the project set reuse = \"always\"", "pip install 'releasegate[reuse]'"),
    "license/reuse-not-set-up": (W, "REUSE is a convention the project has not adopted: said once", "add LICENSES/ and REUSE.toml, or set reuse = \"never\""),
    "license/reuse-no-license": (E, "the project adopted REUSE: a file without license information breaks its compliance", "add an SPDX-License-Identifier header or a REUSE.toml entry"),
    "license/reuse-no-copyright": (E, "the project adopted REUSE: a file without copyright breaks its compliance", "add an SPDX-FileCopyrightText header or a REUSE.toml entry"),
    "license/reuse-missing-license": (E, "a license used by a file but missing from LICENSES/: the text is not shipped", "add it (`reuse download`)"),
    "license/reuse-bad-license": (E, "a license identifier that is not SPDX cannot be honoured", "use an SPDX identifier"),
    "license/reuse-deprecated-license": (W, "a deprecated SPDX identifier is still understood", "use its replacement"),
    "license/reuse-unused-license": (W, "an unused license text in LICENSES/ is hygiene", "remove it"),
    "license/reuse-unreadable": (E, "a file that cannot be read cannot be checked for its license", "fix the file"),
    "license/file-license-not-covered": (E, "a shipped file under a license the declared expression does not cover misleads every user (legal)", "change the declared expression, or the file"),
    "license/sdist-coverage-off": (N, "shipped files were not checked (opt-in: it runs the backend), said once", "set sdist-coverage = true"),
    "license/sdist-unavailable": (W, "the sdist could not be built, so its files were not checked", "see the message"),
    "license/dependency-license-denied": (E, "the project's policy denies this dependency's license", "replace the dependency, or change the policy"),
    "license/dependency-license-unknown": (E, "a dependency whose license cannot be known may be one the project cannot ship", "record it in [tool.releasegate.license] reviewed"),
    "license/dependency-license-ambiguous": (E, "a license name that stands for several licenses the policy does not all accept", "record it in reviewed"),
    "license/dependency-license-undecidable": (E, "the index failed to give the metadata of a locked version: never a silent pass (a note where releasegate does not look by design: a direct reference, an unpinned range, --offline)", "go online once, or lower the rule to a warning"),
    "license/dependency-license-expression-invalid": (N, "a dependency's License-Expression is not valid SPDX, so its classifier or license name was used: said, the license was still decided", "nothing; its maintainers may want to know, or record it in reviewed"),
    # --- manifest -----------------------------------------------------------------------------
    "manifest/build-failed": (E, "the backend refuses to build: there is nothing to release", "see the backend's message"),
    "manifest/build-not-trusted": (W, "the run did not trust the commit to run its build backend, so nothing was built or checked: a choice of the job, not a problem of the project", "name the gate on the command line, pass --release or --allow-backend"),
    "manifest/metadata-missing": (E, "a dist without METADATA / PKG-INFO is refused by indexes", "fix the build"),
    "manifest/metadata-invalid": (E, "indexes refuse metadata that does not parse strictly", "fix [project] (the message names the field)"),
    "manifest/license-file-missing": (E, "a declared License-File that is not in the archive: the license is not shipped", "fix license-files or the backend's include"),
    "manifest/long-description": (E, "PyPI refuses a description that does not render", "fix the readme markup"),
    "manifest/archive-unreadable": (E, "a dist that cannot be read cannot be installed", "fix the build"),
    "manifest/archive-unsafe": (E, "an archive with unsafe members (traversal, links) is a security problem", "fix the build"),
    "manifest/missing-from-sdist": (E, "a tracked file missing from the sdist: builds from the sdist can differ from the repository", "include it in the sdist, or ignore it"),
    "manifest/untracked-in-sdist": (E, "a file git does not track ships in the sdist (stray or secret files)", "commit it, exclude it, or ignore it"),
    # --- vulns --------------------------------------------------------------------------------
    "vulns/vulnerable-dependency": (E, "a locked dependency with a known advisory (security)", "upgrade to a fixed version, or ignore with a reason and an expiry"),
    "vulns/ignore-expired": (E, "an expired ignore entry no longer hides an advisory: the project asked to be told", "renew it with a new expiry, or fix the dependency"),
    "vulns/dependencies-unknown": (E, "the gate fails closed: an unchecked dependency set could hide an advisory", "lock the dependencies"),
    "vulns/advisories-unavailable": (E, "the gate fails closed: advisories could not be read", "go online, or point vulns at a database"),
    "vulns/database-corrupt": (E, "the gate fails closed: records that cannot be read may be the relevant ones", "refresh the database"),
    "vulns/database-stale": (W, "an old database misses new advisories; what it has was checked", "refresh the database"),
    # --- reproducible -------------------------------------------------------------------------
    "reproducible/not-reproducible": (E, "two builds of one commit differ: no one can verify the published files (integrity)", "the findings beside it say what differs and the fix"),
    "reproducible/reproducible": (N, "the verdict when the builds are identical", "nothing"),
    "reproducible/conditions": (N, "how the builds ran, said for the record", "nothing"),
    "reproducible/recorded-condition": (W, "the builds differ only in a condition the backend records and BUILDINFO.json records (the umask in file modes): a rebuild repeats it", "nothing for the release; a backend that normalises modes removes it"),
    "reproducible/diffoscope": (N, "how to see the differences in depth", "run the command shown"),
    "reproducible/unsafe-archive": (E, "a built archive with unsafe members (security)", "fix the build"),
    "reproducible/gzip-mtime": (E, "a cause of irreproducibility (the sdist's gzip header time)", "set SOURCE_DATE_EPOCH with a backend that honours it"),
    "reproducible/gzip-header": (E, "a cause of irreproducibility (gzip file name or OS)", "use a backend that writes an empty name"),
    "reproducible/tar-mtime": (E, "a cause of irreproducibility (tar member times)", "set SOURCE_DATE_EPOCH with a backend that clamps to it"),
    "reproducible/zip-timestamp": (E, "a cause of irreproducibility (zip times in local time)", "set SOURCE_DATE_EPOCH and TZ=UTC"),
    "reproducible/permissions": (E, "a cause of irreproducibility (modes follow the umask)", "build with umask 022, or a backend that normalises modes"),
    "reproducible/owner": (E, "a cause of irreproducibility (owners in tar members)", "use a backend that zeroes them"),
    "reproducible/member-order": (E, "a cause of irreproducibility (directory order)", "use a backend that sorts members"),
    "reproducible/content": (E, "a cause of irreproducibility (file contents differ)", "look for build dates, paths, VCS versions; pin the backend"),
    "reproducible/build-time": (E, "a cause of irreproducibility (the project's build code writes the current time)", "take the time from SOURCE_DATE_EPOCH, or leave it out"),
    "reproducible/random-value": (E, "a cause of irreproducibility (the project's build code writes a random value)", "derive it from the sources, or leave it out"),
    "reproducible/build-path": (E, "a cause of irreproducibility (the build writes the path it ran in)", "write paths relative to the project"),
    "reproducible/listing-order": (E, "a cause of irreproducibility (output in directory listing order)", "sort the listing before writing"),
    "reproducible/locale-sort": (E, "a cause of irreproducibility (output sorted by the locale's collation)", "sort with a fixed key"),
    "reproducible/unordered-output": (E, "a cause of irreproducibility (output in a set's order, which PYTHONHASHSEED changes)", "sort it before writing"),
    "reproducible/line-endings": (E, "a cause of irreproducibility (CRLF against LF)", "commit a .gitattributes with `* text=auto eol=lf`"),
    "reproducible/only-one-side": (E, "a cause of irreproducibility (the builds hold different files)", "build from a clean checkout"),
    "reproducible/archive-metadata": (E, "a cause of irreproducibility (zip header fields)", "pin the backend, build on one platform"),
    "reproducible/archive-bytes": (E, "a cause of irreproducibility (compression)", "pin the backend, build in one image"),
    "reproducible/unpinned-backend": (W, "an unpinned backend may build differently tomorrow; today's builds matched", "pin [build-system].requires with =="),
    "reproducible/unpinned-build-dependencies": (W, "unpinned packages in the build environment may change the build later", "pin them"),
    "reproducible/version-mismatch": (E, "the built files carry another version than the project states", "fix the version source"),
    "reproducible/build-failed": (E, "the backend refuses to build: there is nothing to release", "see the backend's message"),
    "reproducible/build-not-trusted": (W, "the run did not trust the commit to run its build backend, so nothing was built or compared: a choice of the job", "name the gate on the command line, pass --release or --allow-backend"),
    "reproducible/shipped": (N, "where the verified files were written", "nothing"),
    "reproducible/not-shipped": (E, "nothing verified to ship: the release step has no files", "fix the findings above"),
    "reproducible/not-buildable": (W, "no pyproject.toml or setup.py: nothing to build here", "nothing, or add a build configuration"),
    "reproducible/reproduced": (N, "`rebuild`: the published wheel was rebuilt bit for bit", "nothing"),
    "reproducible/not-reproduced": (E, "`rebuild`: the published wheel could not be rebuilt from its sdist (integrity)", "the findings beside it say what differs"),
    "reproducible/other-deflate": (E, "`rebuild`: every file matches, but the publisher's Python compressed with another deflate (zlib-ng)", "rebuild with a Python linking the same deflate"),
    "reproducible/compression-level": (E, "`rebuild`: every file matches, but the publisher compressed at another zlib level", "pin the backend the wheel names"),
    "reproducible/build-clock": (E, "`rebuild`: every file matches, but files written during the publisher's build carry its clock (SOURCE_DATE_EPOCH unset)", "build with SOURCE_DATE_EPOCH set"),
    "reproducible/repaired-wheel": (W, "`rebuild`: the published wheel was compiled and repaired (auditwheel): only the files neither writes were compared, and they match", "nothing for the project; rebuild in the same manylinux image to check the compiled files"),
    "reproducible/downloaded": (N, "`rebuild`: what was downloaded and checked", "nothing"),
    "reproducible/unhashed-download": (W, "`rebuild`: the index gave no hash to check the download against", "use an index that serves hashes"),
    "reproducible/not-rebuilt": (N, "`rebuild`: what was not rebuilt, and why", "nothing"),
    "workspace/not-released": (N, "a workspace member that is never released gets only lockfile and vulns, said once", "nothing; give it a build and a version to release it"),
    # --- commands -----------------------------------------------------------------------------
    "commit-msg/conventional-commit": (E, "the project asked for Conventional Commits (the hook is opt-in): the release tooling reads them", "write `type(scope)!: description`"),
    "publish/registry-failed": (E, "a required registry did not get the release (a warning for an optional one)", "fix the cause, then `releasegate publish --resume`"),
    "publish/registry-incomplete": (E, "not every file was uploaded and verified (a warning for an optional registry)", "`releasegate publish --resume`"),
    "publish/conflict": (E, "the registry serves a different file under the same name (integrity)", "release a new version"),
    "publish/extra": (E, "the registry also serves a file for this version that is not part of the release; pip may install it (integrity; a warning for an optional registry)", "find out who uploaded it and remove it"),
    "publish/upload-failed": (E, "a file did not reach the registry (a warning for an optional one)", "`releasegate publish --resume`"),
    "publish/not-released": (N, "a workspace member that is never released (no build, a Private classifier, an example) is not published, said", "nothing; give it a build and a version to release it"),
    "publish/run-failed": (E, "the run stopped on an error before every registry had its result: the report says so, so no one reads it as a release", "fix the cause, then `releasegate publish --resume`"),
    "publish/interrupted": (E, "the run was stopped at once (a second Ctrl-C or SIGTERM): some registries may hold part of the release", "`releasegate publish --resume`"),
    "publish/not-started": (E, "a workspace member was not published because one it depends on failed", "fix the first failure, then resume"),
    # --- governance (publish, promote and sign, before anything moves) -------------------------
    "governance/policy": (E, "the released commit sets a policy the default branch does not have: it would govern itself", "merge the policy into the default branch"),
    "governance/local": (E, "a release from outside CI bypasses every identity check (a laptop token): the policy allows only --dry-run there", "release from the CI workflow the policy lists, or use --dry-run"),
    "governance/identity": (E, "the job's OIDC token did not verify (signature, issuer, audience, expiry): who releases is unknown (security)", "run in the listed workflow with `permissions: id-token: write`"),
    "governance/publisher": (E, "the verified identity is not an allowed publisher: someone else would release (security)", "release from a listed workflow, or list it on the default branch"),
    "governance/commit": (E, "the token was issued for another commit than the one released (integrity)", "release the commit the workflow ran for"),
    "governance/protected-branch": (E, "the released commit never went through the protected branch: unreviewed code would ship (security)", "merge it into the protected branch first"),
    "governance/signed-tag": (E, "the release tag is unsigned or signed by someone not allowed (security)", "sign the tag with an allowed key"),
    "governance/required-checks": (E, "a required check failed or never ran on the released commit", "wait for the checks to pass"),
    "governance/reviewed": (E, "the released commit did not come through an approved pull request (security)", "merge it through a reviewed pull request"),
    "governance/satisfied": (N, "a condition of the policy that held, said for the record", "nothing"),
    "governance/not-checked": (N, "a condition that could not apply to this run (outside CI), said", "nothing"),
    "verify-mirrors/missing": (E, "a registry lacks a file of the release", "`releasegate publish`"),
    "verify-mirrors/mismatch": (E, "a registry serves other bytes under the release's file name (integrity)", "find out who uploaded it"),
    "verify-mirrors/extra": (E, "a registry serves a file that is not part of the release; pip may pick it (integrity)", "find out who uploaded it and remove it"),
    "verify-mirrors/unreachable": (E, "a registry could not be read: the mirror is unverified", "check its url and credentials"),
    "verify-mirrors/nothing-compared": (E, "nothing was compared: never a silent pass", "check --version, or build the dists"),
    # --- dossier ------------------------------------------------------------------------------
    "dossier/record-missing": (N, "the dossier shows what was recorded; a record that was not made (no SBOM, no signature) is said on the page, nothing is harmed", "run the command the message names before the dossier, or leave it out on purpose"),
    "dossier/record-unreadable": (W, "a record that exists but cannot be read (truncated, not releasegate's) leaves its section of the dossier empty: the evidence it held is not shown", "write the record again with the command that makes it"),
    "verify-mirrors/yank-missing": (E, "a registry serves a file yanked elsewhere without the mark (PEP 592 forbids it): pip there still picks the bad version by a range", "`releasegate yank`, or resync the mirror"),
    "verify-mirrors/yank-reason": (W, "the mark is there, so pip skips the version; only its reason is lost or different, so users pinning it do not see why", "resync the mirror, or yank again with the reason"),
    "yank/registry-failed": (E, "a registry could not be read or changed (dead, a missing credential): the bad release is still offered there as before (a warning for an optional registry)", "fix the cause and run the same command again"),
    "yank/not-served": (W, "the registry serves no file of the version: nothing there can install it, nothing to yank", "check the version"),
    "yank/cannot-yank": (E, "the index has no yank: pip still picks the bad version there by a range (a warning for an optional registry)", "set `yank-url` if it has a page for it, or remove the files by its own means"),
    "yank/not-in-effect": (E, "the registry accepted the yank, or a person was asked for it, but its index serves no mark (or another reason): pip still picks the version", "read its page; run the same command again"),
    "verify/verified": (N, "the signature verified", "nothing"),
    "verify/unsigned": (E, "no signature where one is required (integrity)", "sign the file"),
    "verify/unreadable": (E, "a file or bundle that cannot be read cannot be verified", "fix the path"),
    "verify/bundle-invalid": (E, "a signature bundle that does not parse verifies nothing", "sign again"),
    "verify/content-mismatch": (E, "the signature is for other bytes (integrity)", "find out what changed the file"),
    "verify/untrusted": (E, "the signature does not chain to a trusted root (integrity)", "sign with a trusted identity"),
    "verify/identity-mismatch": (E, "signed by another identity than the one expected (security)", "check who signed it"),
    "promote/promoted": (N, "what was promoted", "nothing"),
    "promote/tampered": (E, "the pre-release's payload changed since it was tested (integrity)", "promote the file that was tested"),
    "promote/embedded-version": (E, "the payload states the pre-release version in a place promotion cannot rewrite", "read the version from metadata at run time"),
    "promote/unreadable": (E, "a pre-release that cannot be read cannot be promoted", "fix the path"),
    "lineage/lineage": (N, "what the promotion record says", "nothing"),
    "lineage/broken-lineage": (E, "the release is not what the tested pre-release became (integrity)", "promote again from the tested file"),
    "lineage/source-unsigned": (W, "the promoted pre-release's signature was not verified (no bundle beside it): the lineage reaches a file, not a signer", "keep the pre-release's .sigstore.json beside it and pass an identity policy"),
    "sbom/lockfile-unreadable": (E, "an SBOM from a lock that cannot be read would be incomplete", "fix the lockfile"),
    "sbom/unpinned": (W, "an unpinned entry has no single version to list", "pin it"),
    "sbom/no-version": (W, "the SBOM's root component has no version", "state the project's version"),
    "sbom/version-too-long": (E, "a version CycloneDX cannot hold", "shorten the version"),
    "sbom/licenses-unknown": (W, "components without a known license (a note offline)", "go online once, or record them in reviewed"),
    "sbom/missing-include": (E, "an SBOM from a lock whose `-r` file is missing would be incomplete", "fix the include path"),
    "sbom/bad-hash": (E, "a malformed hash cannot be listed", "regenerate the hashes"),
    "sbom/missing-hash": (E, "the SBOM reads the lock as the lockfile gate does; a component without a hash cannot be listed with one", "lock with hashes"),
    "sbom/url-without-hash": (E, "a direct URL without a hash cannot be listed with its digest", "add a hash"),
    "sbom/vcs-not-pinned": (E, "a VCS reference without a commit has no fixed version to list", "pin a full commit id"),
    "sbom/artifact-mismatch": (E, "a lock that contradicts itself cannot say what ships (integrity)", "re-lock"),
    "sbom/vulns-unavailable": (E, "vulnerabilities asked for but not readable: never a silent omission", "go online, or point vulns at a database"),
}
# fmt: on

# Rules every gate can report: it could not run here, or the configuration is invalid.
_ANY_GATE = {
    "cannot-run": (E, "a gate that cannot run checked nothing: never a silent pass", "see the message (a missing tool, no network)"),
    "configuration-error": (E, "an invalid configuration checks nothing: never a silent pass", "fix [tool.releasegate] (the message names the key)"),
}  # fmt: skip


def row(rule_id: str) -> tuple[str, str, str] | None:
    """The registry's row for ``rule_id``; None for a rule it does not know."""
    found = RULES.get(rule_id)
    if found is None:
        gate, _, rule = rule_id.rpartition("/")
        found = _ANY_GATE.get(rule) if gate else None
    return found


def default_severity(rule_id: str) -> str:
    """The rule's default severity; ``error`` for a rule the registry does not know
    (a finding read back from another run, a library user's own rule)."""
    found = row(rule_id)
    return found[0] if found is not None else E


def table() -> list[tuple[str, str, str, str]]:
    """Every row as (rule id, severity, why, fix), grouped by gate, with the any-gate rules."""
    rows = [(rule, *values) for rule, values in RULES.items()]
    rows.extend((f"<gate>/{rule}", *values) for rule, values in _ANY_GATE.items())
    return rows
