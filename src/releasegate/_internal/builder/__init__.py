"""Building sdists and wheels, and checking that they build the same twice.

``builder`` is the shared builder (the metadata gate and the publish step call it);
``archives`` reads sdists and wheels without trusting them; ``diff`` explains
why two archives differ; ``verify`` runs the two varied builds.
"""
