"""The rules of a good plan: declarations (rules.py) and pandera schemas (schemas.py).

This folder installs as ``sheetkit.validators``; ``rules.py`` imports no
pandera, so reading rule texts stays cheap.
"""
