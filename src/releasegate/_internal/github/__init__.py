"""The GitHub side of releasegate.

- ``env``: what the Actions runner tells a step (repository, commit, pull request).
- ``outputs``: step outputs, masks and artifact hashes for ``GITHUB_OUTPUT``.
- ``api``: a PyGithub client from the job's token, and readable errors for 401/403/404.
- ``statuses``: one commit status or check run per gate, named ``releasegate/<gate>``.
- ``comment``: the one pull-request comment carrying the summary table, edited in place.
- ``feedback``: what ``releasegate check`` sends to GitHub after a run.
- ``oidc``: trusted publishing (the job's OIDC token exchanged for a PyPI upload token).
- ``action``: the inputs of ``action.yml`` turned into one CLI command.
- ``bootstrap``: a stdlib-only script that installs the action's own releasegate.

PyGithub and requests are imported inside functions: none of this is on hook start-up.
"""
