"""The plan layouts, one module each: ``get(id)``, ``of(plan)``, ``all_layouts()``.

Every module of this package that defines ``LAYOUT`` (an instance of
``base.Layout``) is a layout: adding a regulation's plan form is adding a
module here, plus its data (columns in model/contract.py, circulars in
sheetkit/data). The first one found for a workbook that shows no sign of any
is the 2018 table, the oldest.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

from ..model.contract import LAYOUT_2018
from .base import Layout

if TYPE_CHECKING:
    from ..model.plan import Plan

LAYOUTS: dict[str, Layout] = {}


def register(layout: Layout) -> Layout:
    """Add (or replace) a layout; the built-in ones register themselves on import."""
    LAYOUTS[layout.id] = layout
    return layout


def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            found = getattr(importlib.import_module(f"{__name__}.{module.name}"), "LAYOUT", None)
            if isinstance(found, Layout):
                register(found)


def get(layout_id: str) -> Layout:
    """The layout of an id (``Plan.layout``, ``Document.layout``)."""
    return LAYOUTS[layout_id]


def of(plan: Plan) -> Layout:
    """The layout of a plan."""
    return LAYOUTS[plan.layout]


def all_layouts() -> tuple[Layout, ...]:
    """Every layout, the default (2018, the oldest) first."""
    return (LAYOUTS[LAYOUT_2018], *(v for k, v in LAYOUTS.items() if k != LAYOUT_2018))


_discover()
