"""Project metadata rules shared by the metadata, license and manifest gates.

Each module holds one concern: schema validation of ``[project]``, the PEP 639
license rules, classifiers and other field checks, readme rendering, reading built
archives, and the checks on built distributions.
"""
