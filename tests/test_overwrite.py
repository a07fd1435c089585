"""No command writes over what a school sent (issue 21, point 1).

Every command that writes refuses, before any work and with exit 3, an output
that is one of its inputs, lies inside an input folder, or is an existing
workbook that reads as a school's plan; nothing is written, not even a
temporary file. An earlier sheetkit summary, or a copy sheetkit wrote that
nobody has saved since, may be replaced.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, GOOD_PLAN, legacy_template, saved_at
from sheetkit import cli
from sheetkit.writing.files import OUTPUT_IN_INPUT_FOLDER, OUTPUT_IS_INPUT, OUTPUT_IS_PLAN

TT57_PLAN = EXAMPLES / "ke-hoach-thcs-hoa-thanh-2026-2027.xlsx"


def school_plan(path: Path, name: str, code: str) -> Path:
    data = copy.deepcopy(GOOD_PLAN)
    data["info"].update(school_name=name, school_code=code)
    return legacy_template("tieu-hoc", path, data)


def snapshot(folder: Path) -> dict[Path, str]:
    """Every file under ``folder`` (hidden ones too) and its content."""
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def refusal(message: str, **details) -> str:
    """What a refused command prints on stderr."""
    return f"Lỗi: {message.format(**details)}\n"


def test_merge_never_writes_over_a_school_plan(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    inbox = Path("ke-hoach-nop")
    school = school_plan(inbox / "Xa-khac" / "th-hoa-mi-2026-2027.xlsx", "Trường TH Hoa Mi", "7901")
    school_plan(inbox / "th-kim-dong.xlsx", "Trường TH Kim Đồng", "7902")
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    tt57_copy = shutil.copy(TT57_PLAN, elsewhere / "ke-hoach-thcs.xlsx")
    plan_2018 = school_plan(elsewhere / "ke-hoach-th.xlsx", "Trường TH Lê Lợi", "7903")
    linked = elsewhere / "tong-hop-cu.xlsx"
    linked.write_bytes(b"")  # not a plan: replaceable, but the merge reads it through the link
    (inbox / "lien-ket.xlsx").symlink_to(linked)
    before = snapshot(tmp_path)

    def merge(*args: str) -> int:
        return cli.main(["merge", str(inbox), "--quiet", *args])

    # The case: the summary named after a school's file deep inside the input folder.
    assert merge("-o", str(school)) == 3
    assert capsys.readouterr().err == refusal(
        OUTPUT_IN_INPUT_FOLDER,
        what="tệp tổng hợp (-o)",
        path="ke-hoach-nop/Xa-khac/th-hoa-mi-2026-2027.xlsx",
        folder="ke-hoach-nop",
        option="-o",
        example="th-hoa-mi-2026-2027.xlsx",
    )
    # Any new name inside the folder, at any depth: the next merge would read it.
    assert merge("-o", str(inbox / "Xa-khac" / "tong-hop.xlsx")) == 3
    assert "nằm trong thư mục đầu vào 'ke-hoach-nop'" in capsys.readouterr().err
    # A file the folder links to is read by the merge: it is an input too.
    assert merge("-o", str(linked)) == 3
    assert capsys.readouterr().err == refusal(
        OUTPUT_IS_INPUT, what="tệp tổng hợp (-o)", path=str(linked)
    )
    # An existing school plan anywhere, of either layout.
    for plan in (tt57_copy, plan_2018):
        assert merge("-o", str(plan)) == 3
        assert capsys.readouterr().err == refusal(
            OUTPUT_IS_PLAN, what="tệp tổng hợp (-o)", path=str(plan)
        )
    # The tables' folders may not be inside an input folder either.
    for kind in ("csv", "parquet"):
        assert merge("-o", "tong-hop.xlsx", f"--{kind}", str(inbox / "bang")) == 3
        assert capsys.readouterr().err == refusal(
            OUTPUT_IN_INPUT_FOLDER,
            what=f"các bảng (--{kind})",
            path="ke-hoach-nop/bang",
            folder="ke-hoach-nop",
            option=f"--{kind}",
            example="bang",
        )
    # Nothing was written: no summary, no table folder, no temporary file.
    assert snapshot(tmp_path) == before
    assert not Path("tong-hop.xlsx").exists() and not (inbox / "bang").exists()
    # Beside the folder it works, and an earlier summary may be written over.
    assert merge("-o", "tong-hop.xlsx", "--csv", "bang") == 1  # the empty linked file
    assert merge("-o", "tong-hop.xlsx", "--csv", "bang") == 1
    assert {p: d for p, d in snapshot(tmp_path).items() if p in before} == before


# Every command that writes from a plan: its command line, and how refusals name the output.
WRITERS = {
    "render": (["render", "{plan}", "--draft", "-o", "{out}"], "tệp kết quả (-o)"),
    "render --review": (
        ["render", "--review", "{plan}", "--at", "2027-01", "-o", "{out}"],
        "tệp kết quả (-o)",
    ),
    "check --annotate": (
        ["check", "{plan}", "--annotate", "{out}"],
        "bản có đánh dấu (--annotate)",
    ),
    "review --annotate": (
        ["review", "{plan}", "--at", "2027-01", "--annotate", "{out}"],
        "bản có đánh dấu (--annotate)",
    ),
    "next": (["next", "{plan}", "-o", "{out}"], "tệp kế hoạch mới (-o)"),
    "fix": (["fix", "{plan}", "-o", "{out}"], "tệp kết quả (-o)"),
    "template": (["template", "thcs", "-o", "{out}"], "tệp mẫu (-o)"),
}


def command_line(command: str, plan: Path, out: Path) -> list[str]:
    return [a.format(plan=plan, out=out) for a in WRITERS[command][0]]


@pytest.mark.parametrize("command", list(WRITERS))
def test_no_command_writes_over_a_school_plan(command, tmp_path, capsys):
    plan = Path(shutil.copy(TT57_PLAN, tmp_path / "ke-hoach.xlsx"))
    other_tt57 = Path(shutil.copy(TT57_PLAN, tmp_path / "truong-khac.xlsx"))
    other_2018 = school_plan(tmp_path / "ke-hoach-2018.xlsx", "Trường TH Lê Lợi", "7903")

    before = snapshot(tmp_path)
    targets = [other_tt57, other_2018] if command == "template" else [plan, other_tt57, other_2018]
    for target in targets:
        assert cli.main(command_line(command, plan, target)) == 3
        message = OUTPUT_IS_INPUT if target == plan else OUTPUT_IS_PLAN
        assert capsys.readouterr().err == refusal(
            message, what=WRITERS[command][1], path=str(target)
        )
    assert snapshot(tmp_path) == before  # nothing changed, no temporary file left


@pytest.mark.parametrize("command", ["check --annotate", "render", "fix"])
def test_a_copy_sheetkit_wrote_is_replaced_until_somebody_saves_it(command, tmp_path, capsys):
    plan = Path(shutil.copy(TT57_PLAN, tmp_path / "ke-hoach.xlsx"))
    out = tmp_path / "ban-sao.xlsx"
    args = command_line(command, plan, out)
    assert cli.main(args) in (0, 1)
    assert cli.main(args) in (0, 1)  # the same command again: its own copy is replaced
    # Opened and saved by the school (Excel records the save): now it is the school's work.
    saved_at(out, dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    capsys.readouterr()
    kept = out.read_bytes()
    assert cli.main(args) == 3
    assert capsys.readouterr().err == refusal(
        OUTPUT_IS_PLAN, what=WRITERS[command][1], path=str(out)
    )
    assert out.read_bytes() == kept
