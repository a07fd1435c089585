"""Macro-enabled templates: the VBA inside, the buttons, xlwings.conf, and what survives editing.

The VBA project is read back by oletools' olevba (an independent parser);
LibreOffice, which runs VBA in compatibility mode, is tested in test_libreoffice.py.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import pytest
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook

from conftest import ROOT
from sheetkit.excel import macros, vba
from sheetkit.writing.templates import DISTRICT_TEMPLATE, build_template, committed_templates
from test_templates import describe

REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
X = "{urn:schemas-microsoft-com:office:excel}"
V = "{urn:schemas-microsoft-com:vml}"

COMMITTED_XLSM = {c.path: c for c in committed_templates() if c.path.endswith(".xlsm")}
ALL_XLSM = list(COMMITTED_XLSM)  # paths under workbook_templates/
DISTRICT = f"{DISTRICT_TEMPLATE}.xlsm"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every committed macro-enabled template, built fresh once for this module."""
    folder = tmp_path_factory.mktemp("xlsm")
    return {path: c.build(folder / path.replace("/", "-")) for path, c in COMMITTED_XLSM.items()}


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in z.namelist():
        return {}
    rels = {}
    for rel in ElementTree.fromstring(z.read(rels_part)).iter(f"{PKG}Relationship"):
        target = rel.get("Target")
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        rels[rel.get("Id")] = target
    return rels


def buttons(path) -> dict[str, list[tuple[str, str]]]:
    """Sheet name -> [(macro, caption)] of the form buttons, found the way Excel finds them."""
    found: dict[str, list[tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as z:
        book_rels = _rels(z, "xl/workbook.xml")
        for sheet in ElementTree.fromstring(z.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
            part = book_rels[sheet.get(f"{REL}id")]
            legacy = ElementTree.fromstring(z.read(part)).find(f"{MAIN}legacyDrawing")
            if legacy is None:
                continue
            vml = ElementTree.fromstring(z.read(_rels(z, part)[legacy.get(f"{REL}id")]))
            for shape in vml.iter(f"{V}shape"):
                data = shape.find(f"{X}ClientData")
                if data is None or data.get("ObjectType") != "Button":
                    continue
                caption = "".join(shape.find(f"{V}textbox").itertext()).strip()
                macro = data.findtext(f"{X}FmlaMacro")
                found.setdefault(sheet.get("name"), []).append((macro, caption))
    return found


def extract_modules(path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def public_subs() -> set[str]:
    source = macros.vba_source("sheetkit.bas").decode("ascii")
    return set(re.findall(r"^Public Sub (\w+)\(\)\r$", source, re.MULTILINE))


@pytest.mark.parametrize("name", ALL_XLSM)
def test_committed_xlsm_are_up_to_date(name, built):
    committed = ROOT / "workbook_templates" / name
    hint = "workbook_templates/ is out of date: run python -m sheetkit.writing.templates workbook_templates"
    assert describe(committed) == describe(built[name]), hint
    assert buttons(committed) == buttons(built[name]), hint
    assert extract_modules(committed) == extract_modules(built[name]), hint


@pytest.mark.parametrize("name", ALL_XLSM)
def test_olevba_extracts_exactly_the_sources(name, built, caplog):
    with caplog.at_level(logging.WARNING):
        modules = extract_modules(built[name])
    # olevba says of every .xlsm that it cannot look for "VBA stomping" (compiled
    # code that differs from the source) in a project read from memory: a limit of
    # the tool, not a problem it found. Anything else it says is a failure.
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and "VBA stomping cannot be detected" not in r.getMessage()
    ]
    assert warnings == []
    for source_name, module in zip(macros.VBA_SOURCES, macros.load_modules(), strict=True):
        assert modules[module.name] == module.source
        # Standard modules are stored byte for byte as committed; a class keeps
        # VB_Base in place of the header the VBA editor exports around it.
        if module.kind == vba.STANDARD:
            assert modules[module.name].encode("ascii") == macros.vba_source(source_name)
    sheets = load_workbook(built[name], read_only=True).sheetnames
    documents = {"ThisWorkbook", *(f"Sheet{i}" for i in range(1, len(sheets) + 1))}
    assert set(modules) == documents | {"xlwings", "Dictionary", "sheetkit"}


def test_xlwings_module_is_the_pinned_version_with_its_licence():
    source = macros.vba_source("xlwings.bas").decode("ascii")
    assert "xlwings is distributed under a BSD 3-clause license." in source
    pinned = re.search(r'"xlwings==([\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert f'Public Const XLWINGS_VERSION As String = "{pinned}"' in source
    assert f"xlwings64-{pinned}.dll" in source


def test_sources_are_ascii_with_crlf():
    for name in macros.VBA_SOURCES:
        data = macros.vba_source(name)
        data.decode("ascii")
        assert data.count(b"\n") == data.count(b"\r\n") > 0


@pytest.mark.parametrize("name", ALL_XLSM)
def test_every_button_runs_an_existing_sub(name, built):
    found = buttons(built[name])
    sheet = "Tổng hợp" if name == DISTRICT else "Hướng dẫn"
    assert list(found) == [sheet]  # buttons only where Python never writes
    if name == DISTRICT:
        wanted = macros.DISTRICT_BUTTONS
    elif name.startswith("thong-tu-2018/"):
        wanted = macros.PLAN_BUTTONS
    else:  # Thông tư 57 plans are reviewed twice a year: Rà soát tiến độ too
        wanted = macros.PLAN_BUTTONS_TT57
    assert found[sheet] == [(f"[0]!{b.macro}", b.caption) for b in wanted]
    assert {b.macro for b in wanted} <= public_subs()


def test_each_button_sub_is_one_runpython_line():
    source = macros.vba_source("sheetkit.bas").decode("ascii")
    calls = re.findall(r'RunPython "import sheetkit\.excel; sheetkit\.excel\.(\w+)\(\)"', source)
    assert sorted(calls) == ["check", "doctor", "merge", "render", "review"]
    from sheetkit import excel

    for function in calls:
        assert callable(getattr(excel, function))


@pytest.mark.parametrize("name", ALL_XLSM)
def test_xlwings_conf_sheet(name, built):
    wb = load_workbook(built[name])
    ws = wb[macros.XLWINGS_CONF_SHEET]
    assert ws.sheet_state == "hidden"
    # xlwings reads keys from A1 down to the first blank cell.
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(1, 4)]
    assert rows == [*macros.XLWINGS_CONF, (None, None)]


@pytest.mark.parametrize("name", [p for p in ALL_XLSM if p != DISTRICT])
def test_xlsm_is_the_xlsx_plus_buttons(name, built, tmp_path):
    """Same sheets, cells, dropdowns and names as the .xlsx; only the guide and the conf differ."""
    xlsx = describe(COMMITTED_XLSM[name].build(tmp_path / "t.xlsx"))
    xlsm = describe(built[name])
    assert xlsm["sheets"] == [*xlsx["sheets"], ("xlwings.conf", "hidden")]
    assert xlsm["names"] == xlsx["names"]
    for sheet, _ in xlsx["sheets"]:
        if sheet != "Hướng dẫn":
            assert xlsm[sheet] == xlsx[sheet]
    plain = [v[0] for v in xlsx["Hướng dẫn"]["cells"].values()]
    with_buttons = [v[0] for v in xlsm["Hướng dẫn"]["cells"].values()]
    assert [v for v in with_buttons if v in plain] == plain
    assert "Nút bấm" in with_buttons
    assert all(b.tip in with_buttons for b in macros.PLAN_BUTTONS)


def test_district_workbook_names_match_the_vba(built):
    wb = load_workbook(built[DISTRICT])
    assert wb.sheetnames == ["Tổng hợp", "xlwings.conf"]
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    assert names[macros.FOLDER_NAME] == "'Tổng hợp'!$B$4"
    assert macros.STATUS_NAME in names
    source = macros.vba_source("sheetkit.bas").decode("ascii")
    assert f'Public Const FOLDER_NAME As String = "{macros.FOLDER_NAME}"' in source
    assert wb["Tổng hợp"]["B4"].number_format == "@"  # a folder path stays text


@pytest.mark.parametrize(
    "name", ["ke-hoach-thcs.xlsm", "thong-tu-2018/ke-hoach-tieu-hoc.xlsm", DISTRICT]
)
def test_filling_with_openpyxl_keeps_macros_buttons_and_dropdowns(name, built, tmp_path):
    wb = load_workbook(built[name], keep_vba=True)
    ws = wb.worksheets[0]
    ws["B4"] = "D:\\KeHoach" if name == DISTRICT else "ghi chú"
    out = tmp_path / "filled.xlsm"
    wb.save(out)
    with zipfile.ZipFile(built[name]) as a, zipfile.ZipFile(out) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
    assert buttons(out) == buttons(built[name])
    before, after = describe(built[name]), describe(out)
    for sheet, _ in before["sheets"]:
        assert after[sheet]["validations"] == before[sheet]["validations"]
    assert after["names"] == before["names"]


def test_template_build_is_reproducible(tmp_path):
    a = build_template("mam-non", tmp_path / "a.xlsm")
    b = build_template("mam-non", tmp_path / "b.xlsm")
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.read("xl/vbaProject.bin") == zb.read("xl/vbaProject.bin")


def test_district_template_must_be_xlsm(tmp_path):
    with pytest.raises(ValueError):
        build_template(DISTRICT_TEMPLATE, tmp_path / "tong-hop.xlsx")
    with pytest.raises(ValueError):
        build_template("tieu-hoc", tmp_path / "plan.xls")


def test_vba_module_builds_from_the_packaged_sources():
    modules = macros.load_modules()
    assert [m.name for m in modules] == ["xlwings", "Dictionary", "sheetkit"]
    assert [m.kind for m in modules] == [vba.STANDARD, vba.CLASS, vba.STANDARD]
