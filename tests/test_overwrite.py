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


# (command line, with OUT for the output) of every command that writes from a plan.
WRITERS = {
    "render": ["render", "{plan}", "--draft", "-o", "{out}"],
    "render --review": ["render", "--review", "{plan}", "--at", "2027-01", "-o", "{out}"],
    "check --annotate": ["check", "{plan}", "--annotate", "{out}"],
    "review --annotate": ["review", "{plan}", "--at", "2027-01", "--annotate", "{out}"],
    "next": ["next", "{plan}", "-o", "{out}"],
    "fix": ["fix", "{plan}", "-o", "{out}"],
    "template": ["template", "thcs", "-o", "{out}"],
}
WHAT = {
    "render": "tệp kết quả (-o)",
    "render --review": "tệp kết quả (-o)",
    "check --annotate": "bản có đánh dấu (--annotate)",
    "review --annotate": "bản có đánh dấu (--annotate)",
    "next": "tệp kế hoạch mới (-o)",
    "fix": "tệp kết quả (-o)",
    "template": "tệp mẫu (-o)",
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_no_command_writes_over_a_school_plan(command, tmp_path, capsys):
    plan = Path(shutil.copy(TT57_PLAN, tmp_path / "ke-hoach.xlsx"))
    other_tt57 = Path(shutil.copy(TT57_PLAN, tmp_path / "truong-khac.xlsx"))
    other_2018 = school_plan(tmp_path / "ke-hoach-2018.xlsx", "Trường TH Lê Lợi", "7903")

    def run(out: Path) -> int:
        args = [a.format(plan=plan, out=out) for a in WRITERS[command]]
        return cli.main(args)

    before = snapshot(tmp_path)
    targets = [other_tt57, other_2018] if command == "template" else [plan, other_tt57, other_2018]
    for target in targets:
        assert run(target) == 3
        message = OUTPUT_IS_INPUT if target == plan else OUTPUT_IS_PLAN
        assert capsys.readouterr().err == refusal(message, what=WHAT[command], path=str(target))
    assert snapshot(tmp_path) == before  # nothing changed, no temporary file left


@pytest.mark.parametrize("command", ["check --annotate", "render", "fix"])
def test_a_copy_sheetkit_wrote_is_replaced_until_somebody_saves_it(command, tmp_path, capsys):
    plan = Path(shutil.copy(TT57_PLAN, tmp_path / "ke-hoach.xlsx"))
    out = tmp_path / "ban-sao.xlsx"
    args = [a.format(plan=plan, out=out) for a in WRITERS[command]]
    assert cli.main(args) in (0, 1)
    assert cli.main(args) in (0, 1)  # the same command again: its own copy is replaced
    # Opened and saved by the school (Excel records the save): now it is the school's work.
    saved_at(out, dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    capsys.readouterr()
    kept = out.read_bytes()
    assert cli.main(args) == 3
    assert capsys.readouterr().err == refusal(OUTPUT_IS_PLAN, what=WHAT[command], path=str(out))
    assert out.read_bytes() == kept
