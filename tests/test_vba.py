"""Building vbaProject.bin from source: the compound file and the VBA project inside it.

Both are checked by readers we did not write: olefile reads the compound file,
oletools' olevba extracts the modules from the project.
"""

from __future__ import annotations

import io

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser

from sheetkit.excel import cfb, vba


def read_tree(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, keyed by its slash-separated path."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        return {
            "/".join(path): ole.openstream(path).read()
            for path in ole.listdir(streams=True, storages=False)
        }
    finally:
        ole.close()


def test_compound_round_trip_small_large_and_empty_streams():
    tree = {
        "PROJECT": b"x" * 10,
        "empty": b"",
        "edge": bytes(range(256)) * 16,  # exactly the 4096-byte cutoff: a regular stream
        "below": b"y" * 4095,  # the largest mini stream
        "VBA": {"dir": b"d" * 700, "big": bytes(range(251)) * 300, "nested": {"deep": b"z"}},
    }
    streams = read_tree(cfb.write_compound(tree))
    assert streams == {
        "PROJECT": b"x" * 10,
        "empty": b"",
        "edge": bytes(range(256)) * 16,
        "below": b"y" * 4095,
        "VBA/dir": b"d" * 700,
        "VBA/big": bytes(range(251)) * 300,
        "VBA/nested/deep": b"z",
    }


def test_compound_many_siblings_are_all_found():
    """Dozens of siblings need a balanced red-black tree that readers can search."""
    tree = {f"Module{i}": f"source {i}".encode() for i in range(60)}
    assert read_tree(cfb.write_compound(tree)) == tree
    ole = olefile.OleFileIO(io.BytesIO(cfb.write_compound(tree)))
    try:
        for i in range(60):  # lookups go down the tree by the spec's comparison
            assert ole.exists(f"module{i}")
    finally:
        ole.close()


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.text(
            alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij_0123456789", min_size=1, max_size=31
        ),
        st.binary(max_size=9000),
        min_size=1,
        max_size=20,
    )
)
def test_compound_round_trips_any_streams(tree):
    names = [name.upper() for name in tree]
    if len(set(names)) != len(names):
        with pytest.raises(cfb.CompoundFileError):
            cfb.write_compound(tree)
        return
    assert read_tree(cfb.write_compound(tree)) == tree


def test_compound_refuses_bad_names():
    with pytest.raises(cfb.CompoundFileError):
        cfb.write_compound({"x" * 32: b""})
    with pytest.raises(cfb.CompoundFileError):
        cfb.write_compound({"a/b": b""})


def test_compound_is_deterministic():
    tree = {"a": b"1" * 5000, "B": {"c": b"2"}}
    assert cfb.write_compound(tree) == cfb.write_compound(dict(reversed(list(tree.items()))))


MODULE = 'Attribute VB_Name = "Hello"\r\nPublic Function Greet() As String\r\n    Greet = "xin chao"\r\nEnd Function\r\n'


def extract(project: bytes, tmp_path) -> dict[str, str]:
    """What olevba reads from a vbaProject.bin: module name -> source."""
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(project)
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        modules = {}
        for _, stream_path, _, code in parser.extract_macros():
            modules[stream_path.split("/")[-1]] = code
        return modules
    finally:
        parser.close()


def test_project_modules_extract_exactly(tmp_path):
    (tmp_path / "Hello.bas").write_bytes(MODULE.encode("ascii"))
    hello = vba.load_module(tmp_path / "Hello.bas")
    modules = vba.workbook_modules(2, [hello])
    assert [m.name for m in modules] == ["ThisWorkbook", "Sheet1", "Sheet2", "Hello"]
    extracted = extract(vba.build_project(modules), tmp_path)
    assert extracted == {m.name: m.source for m in modules}


def test_project_streams_describe_the_modules(tmp_path):
    (tmp_path / "Hello.bas").write_bytes(MODULE.encode("ascii"))
    modules = vba.workbook_modules(1, [vba.load_module(tmp_path / "Hello.bas")])
    streams = read_tree(vba.build_project(modules))
    assert set(streams) == {
        "PROJECT",
        "PROJECTwm",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
        "VBA/ThisWorkbook",
        "VBA/Sheet1",
        "VBA/Hello",
    }
    project = streams["PROJECT"].decode("ascii").split("\r\n")
    assert "Document=ThisWorkbook/&H00000000" in project
    assert "Document=Sheet1/&H00000000" in project
    assert "Module=Hello" in project
    # Version independent: no compiled code, Excel compiles from source.
    assert streams["VBA/_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000000")
    for line in project:
        if line.startswith(("CMG=", "DPB=", "GC=")):
            key, value = line.split("=")
            plain = vba.decrypt(bytes.fromhex(value.strip('"')))
            assert plain == {"CMG": bytes(4), "DPB": bytes(1), "GC": b"\xff"}[key]


def test_class_module_header_is_replaced(tmp_path):
    source = (
        "VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
        'Attribute VB_Name = "Bag"\r\nAttribute VB_GlobalNameSpace = False\r\nPrivate Items As Long\r\n'
    )
    (tmp_path / "Bag.cls").write_bytes(source.encode("ascii"))
    module = vba.load_module(tmp_path / "Bag.cls")
    assert module.kind == vba.CLASS
    assert module.source.startswith(
        f'Attribute VB_Name = "Bag"\r\nAttribute VB_Base = "{vba.CLASS_BASE}"\r\n'
    )
    assert "BEGIN" not in module.source
    extracted = extract(vba.build_project(vba.workbook_modules(0, [module])), tmp_path)
    assert extracted["Bag"] == module.source


def test_non_ascii_source_is_refused_with_its_line(tmp_path):
    path = tmp_path / "Bad.bas"
    path.write_bytes(
        'Attribute VB_Name = "Bad"\r\nSub A()\r\n  MsgBox "Kiểm tra"\r\nEnd Sub\r\n'.encode()
    )
    with pytest.raises(vba.VbaSourceError, match="line 3"):
        vba.load_module(path)


def test_module_without_name_is_refused(tmp_path):
    path = tmp_path / "Anon.bas"
    path.write_bytes(b"Sub A()\r\nEnd Sub\r\n")
    with pytest.raises(vba.VbaSourceError, match="VB_Name"):
        vba.load_module(path)


def test_duplicate_module_names_are_refused():
    with pytest.raises(vba.VbaSourceError):
        vba.build_project([vba.document_module("Sheet1"), vba.document_module("SHEET1")])


def test_project_bytes_are_reproducible(tmp_path):
    (tmp_path / "Hello.bas").write_bytes(MODULE.encode("ascii"))
    modules = vba.workbook_modules(3, [vba.load_module(tmp_path / "Hello.bas")])
    assert vba.build_project(modules) == vba.build_project(list(modules))


@settings(max_examples=60)
@given(st.binary(max_size=64), st.integers(0, 255))
def test_protection_encryption_round_trips(data, seed):
    assert vba.decrypt(vba.encrypt(data, seed=seed)) == data


def test_decrypt_refuses_another_projects_data():
    other = vba.encrypt(b"\0", project_id="{00000000-0000-0000-0000-000000000000}")
    with pytest.raises(vba.VbaSourceError):
        vba.decrypt(other)


@settings(max_examples=200)
@given(st.text())
def test_vn_escape_round_trips_any_text_as_ascii(text):
    escaped = vba.vn_escape(text)
    escaped.encode("ascii")
    assert "\n" not in escaped and "\r" not in escaped
    assert vba.vn_unescape(escaped) == text


def test_every_vietnamese_message_in_sheetkit_bas_decodes():
    import re
    import unicodedata

    from sheetkit.excel.macros import vba_source

    source = vba_source("sheetkit.bas").decode("ascii")
    literals = re.findall(r'Vn\("((?:[^"]|"")*)"\)', source)
    assert len(literals) >= 8
    for literal in literals:
        assert not re.search(r"\\u(?![0-9a-f]{4})", literal), literal  # Vn() needs 4 hex digits
        text = vba.vn_unescape(literal)
        assert unicodedata.is_normalized("NFC", text)
        assert vba.vn_escape(text) == literal  # written the canonical way
    decoded = [vba.vn_unescape(literal) for literal in literals]
    assert "Chọn thư mục chứa kế hoạch của các trường" in decoded
