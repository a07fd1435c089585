"""Writing: every file sheetkit produces.

- ``files``: outputs written to a temporary file and renamed into place;
- ``layout``: text measurement and row heights (spreadsheets do not fit rows);
- ``templates``: the template workbooks (XlsxWriter);
- ``annotate``: the ``check --annotate`` copy with findings in its cells (openpyxl);
- ``printed``: the official plan, whatever its layout: its document, Word, the Bản kế hoạch sheet;
- ``plan_text``: the document model and the text every layout prints the same way;
- ``page``, ``docx_parts``, ``sheet_parts``: the page, and the pieces of Word and of the sheet
  every layout uses;
- ``document``, ``plan_docx``, ``plan_sheet``: the 2018 table's document, Word body and sheet;
- ``bieu2``, ``bieu2_docx``, ``bieu2_sheet``: Biểu 2 of Thông tư 57, the same three;
- ``summary``: the roll-up's summary workbook and its CSV/Parquet tables.
"""
