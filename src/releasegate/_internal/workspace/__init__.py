"""Workspaces and monorepos: every member package gated, planned and published as one.

``discovery`` finds the members and gives each its configuration (the root's, overlaid by
its own); ``graph`` orders them by their dependencies on each other; ``requirements`` checks
that one member's requirement on another accepts its current version; ``check`` runs the
gates per member; ``changed`` selects the members a change touches; ``matrix`` prints a CI
matrix; ``publish`` releases members in dependency order above ``publish.run.publish``.

None of it is imported by a single-project run: ``cli/check.py`` looks for a workspace
table in the already parsed pyproject.toml and only then imports this package.
"""
