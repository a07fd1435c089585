"""The rules of a good plan, in one place a reviewer can read without reading the program.

- ``rules.py``: every rule (id, severity, sheet, column, Vietnamese message, test)
  and the thresholds that decide them;
- ``schemas.py``: the pandera schemas that run those rules over the parsed tables;
- ``titles.py``: the criterion-title rule;
- ``files.py``: what is said about files a roll-up cannot read or does not read.

This top-level folder is installed as the package ``sheetkit.validators``
(``[tool.setuptools.package-dir]`` in pyproject.toml), so the program imports
it as ``sheetkit.validators`` after ``pip install -e .``; modules here import
the rest of sheetkit by absolute name. ``rules.py`` imports no pandera, so
reading rule texts stays cheap.
"""
