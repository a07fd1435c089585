"""Writing: every file sheetkit produces.

- ``files``: outputs written to a temporary file and renamed into place;
- ``layout``: text measurement and row heights (spreadsheets do not fit rows);
- ``templates``: the template workbooks (XlsxWriter);
- ``annotate``: the ``check --annotate`` copy with findings in its cells (openpyxl);
- ``document``: the official plan as a document model (what is printed);
- ``plan_sheet``, ``plan_docx``: that document as a Bản kế hoạch sheet and as Word;
- ``summary``: the roll-up's summary workbook and its CSV/Parquet tables.
"""
