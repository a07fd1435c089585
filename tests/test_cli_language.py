"""The command line speaks Vietnamese: help, usage errors and choices, with argparse's words replaced."""

from __future__ import annotations

import argparse
import re

import pytest

from conftest import ROOT
from sheetkit.cli import ARGPARSE_VIETNAMESE, TEMPLATE_CHOICES, main, readable_formats
from sheetkit.model.roster import ROSTER_TEMPLATE
from sheetkit.reading.sources import READABLE_SUFFIXES
from sheetkit.writing.templates import DISTRICT_TEMPLATE, TEMPLATE_NAMES, TT57_TEMPLATE_NAMES

# What argparse says in English (Python 3.10 to 3.13), as it would show.
ENGLISH = [
    "usage",
    "positional arguments",
    "optional arguments",
    "options:",
    "show this help message",
    "and exit",
    "the following arguments are required",
    "required",
    "invalid choice",
    "invalid int value",
    "choose from",
    "maybe you meant",
    "argument",
    "expected one",
    "expected at",
    "unrecognized",
    "not allowed with",
    "ignored explicit",
    "ambiguous option",
    "could match",
    "unexpected option",
    "unknown parser",
    "error:",
    "subcommands",
]


def run(argv: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    out = capsys.readouterr()
    return stopped.value.code, out.out + out.err


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text.lower()]


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["check", "--help"],
        ["template", "--help"],
        ["render", "--help"],
        ["merge", "--help"],
        ["fix", "--help"],
    ],
)
def test_help_is_vietnamese(argv, capsys):
    code, text = run(argv, capsys)
    assert code == 0
    assert text.startswith("Cách dùng: sheetkit")
    assert "hiện hướng dẫn này rồi thoát" in text
    assert english_in(text) == []


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "còn thiếu LỆNH"),
        (["check"], "còn thiếu TỆP"),
        (["template", "tieu-hoc"], "còn thiếu -o/--output"),
        (["template", "dai-hoc", "-o", "x.xlsx"], "MẪU: không có lựa chọn 'dai-hoc'"),
        (["kiem-tra", "a.xlsx"], "không có lựa chọn 'kiem-tra'"),
        (["check", "a.xlsx", "--format", "xml"], "--format: không có lựa chọn 'xml'"),
        (["merge", "a", "-o", "b.xlsx", "--workers", "nhiều"], "giá trị 'nhiều' không hợp lệ"),
        (["check", "a.xlsx", "b.xlsx"], "không hiểu: b.xlsx"),
        (["render", "a.xlsx", "-o"], "-o/--output: cần một giá trị"),
        (["check", "a.xlsx", "--anno"], "--annotate"),
    ],
)
def test_usage_errors_are_vietnamese_and_exit_3(argv, said, capsys):
    code, text = run(argv, capsys)
    assert code == 3
    assert said in text
    assert "Lỗi: " in text and "Xem hướng dẫn: sheetkit" in text
    assert english_in(text) == []


def test_template_help_lists_the_levels(capsys):
    _, text = run(["template", "--help"], capsys)
    flat = " ".join(text.split())
    for name, what in TEMPLATE_CHOICES.items():
        assert f"{name}: {what}" in flat
    every = {*TT57_TEMPLATE_NAMES, *TEMPLATE_NAMES, DISTRICT_TEMPLATE, ROSTER_TEMPLATE}
    assert set(TEMPLATE_CHOICES) == every


def test_argparse_speaks_english_again_afterwards(capsys):
    run(["--help"], capsys)
    assert argparse._("usage: ") == "usage: "  # pytest and other tools use argparse too
    assert "usage: " in argparse.ArgumentParser(prog="x").format_usage()


def test_every_translated_message_keeps_its_placeholders():
    for english, vietnamese in ARGPARSE_VIETNAMESE.items():
        wanted = set(re.findall(r"%\((\w+)\)", vietnamese))
        assert wanted <= set(re.findall(r"%\((\w+)\)", english)), english
        assert english.count("%s") == vietnamese.count("%s") or "%s" not in english, english


def test_readable_formats_match_the_readme(capsys):
    listed = readable_formats()
    assert set(listed.split(", ")) == READABLE_SUFFIXES
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`merge` takes workbooks ({listed})" in readme
    assert f"# {listed}\n" in readme  # the library's read_plan
    _, text = run(["check", "--help"], capsys)
    assert f"tệp kế hoạch ({listed})" in " ".join(text.split())
