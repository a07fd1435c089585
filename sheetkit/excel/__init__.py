"""The Excel wing: macro-enabled workbooks and what their buttons run.

- ``buttons``: the Python side of the buttons (xlwings): the open workbook's
  sheets -> the jobs of ``sheetkit.jobs`` -> sheets copied back, messages;
- ``macros``: the buttons, the hidden xlwings.conf sheet and the VBA project
  of a template;
- ``vba``, ``cfb``, ``ovba``: building vbaProject.bin from the VBA sources in
  ``vba_sources/`` (MS-OVBA project streams, the MS-CFB container, MS-OVBA
  compression).

The VBA calls ``sheetkit.excel.check()`` (render, merge, doctor): those
names are the buttons' entry points, imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_SUBMODULES = {"buttons", "macros", "vba", "cfb", "ovba"}  # imported as modules, never looked up


def __getattr__(name: str) -> Any:
    if name.startswith("_") or name in _SUBMODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(".buttons", __name__), name)
