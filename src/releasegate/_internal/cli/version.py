"""``releasegate version``: the current version in every form, or the next one."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "print the current version as SemVer, PEP 440 and tag, or the next one with --next"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--next",
        metavar="BUMP",
        dest="bump",
        help="major, minor, patch, prerelease[=LABEL] (e.g. prerelease=rc), or auto "
        "(the smallest version the API gate accepts)",
    )
    parser.add_argument(
        "--form",
        choices=["semver", "pep440", "tag"],
        help="print only this form (for scripts)",
    )


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.errors import UsageError
    from releasegate._internal.releases import SemverSettings, current_version, tag_style
    from releasegate._internal.versioning import VersionProblem, format_tag, next_version, resolve

    project = open_project(args)
    settings = project.config.settings(SemverSettings)
    if args.bump == "auto":  # also for VCS-versioned projects, which state no version
        from releasegate._internal.api.assess import next_auto

        version = resolve(str(next_auto(project, settings)))
    else:
        version = current_version(project, settings)
    if args.bump and args.bump != "auto":
        bump, _, label = str(args.bump).partition("=")
        try:
            bumped = next_version(
                version.semver, bump, label or settings.labels[-1], settings.labels
            )
            version = resolve(str(bumped))
        except VersionProblem as exc:
            raise UsageError(exc.message, hint=exc.hint) from None
    forms = {
        "semver": str(version.semver),
        "pep440": version.pep440,
        "tag": format_tag(
            tag_style(project, settings).format,
            str(version.semver)
            if settings.tag_form != "pep440" and version.exact
            else version.pep440,
        ),
    }
    if args.form:
        print(forms[args.form])
    elif args.format == "json":
        print(json.dumps(forms, indent=2))
    else:
        for name, value in forms.items():
            print(f"{name}: {value}")
    return 0
