"""The model: what a plan is, independent of how it is read or written.

- ``contract``: sheet names and every field (the column registry);
- ``plan``: ``Plan``, one school's plan with each value's cell;
- ``catalog``: the circulars and their criteria (package data);
- ``findings``: ``Finding`` and ``Report``, and how findings are shown.
"""
