"""Merging: many schools' plans read, checked and reduced to one roll-up.

- ``rollup``: ``merge()`` and the ``Rollup`` tables (schools, items, levels, findings, files).
"""
