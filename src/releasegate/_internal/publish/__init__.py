"""Parallel publishing: every configured registry at once, content-addressed.

The pieces, each in its own module: ``settings`` (configuration), ``artifacts``
(what is in dist/), ``registries`` (one adapter per registry kind behind one
small interface), ``plan`` (upload / skip / conflict per registry and file),
``executor`` (preflight, upload with retries, verify), ``ledger`` and ``audit``
(what happened, for ``--resume`` and for the record), ``verify`` (mirror
comparison). Nothing here prints; the CLI hands in a progress reporter.
"""
