"""Release governance: who may publish, promote and sign, and what, decided before a byte moves.

The policy (``[tool.releasegate.governance]``) is read from the default branch through git
(source.py), never from the commit being released. decision.py evaluates every condition —
the run's identity from its verified OIDC token (token.py, publishers.py), the commit and its
tag (commit.py), the checks and reviews on GitHub (checks.py) — into verdicts that the report
and the audit record carry; a refused run uploads and signs nothing.
"""
