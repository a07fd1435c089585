"""Reading: from a file (or a folder, or a .zip) to a parsed Plan.

- ``sources``: a workbook file -> grids of cell values (python-calamine);
- ``collect``: the files a district received (folders, archives) and why others are not read;
- ``reader``: grids -> ``Plan``, sheets and headers found by their labels;
- ``parsing``: what people type (months, levels, criterion codes, budgets, school years);
- ``text``: Unicode normalisation, label matching, legacy-encoding detection.
"""
