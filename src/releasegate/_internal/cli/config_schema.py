"""``releasegate config-schema``: print the JSON Schema of the configuration."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "print the JSON Schema of [tool.releasegate]"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    from releasegate._internal.schema import config_schema

    print(json.dumps(config_schema(), indent=2))
    return 0
