"""Realistic sample plans for a fictional area (examples/quan-mau, tests, benchmarks).

Plans are generated from the real catalog with deterministic randomness: the
same seed gives the same workbooks. Some carry the mistakes schools really
make (see MISTAKES), so a roll-up has something to report.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

from sheetkit.model import catalog
from sheetkit.reading.text import fold

DISTRICT, PROVINCE = "Quận Mẫu", "Thành phố Mẫu"
NAMES = [
    "Hoa Sen",
    "Họa Mi",
    "Sơn Ca",
    "Vành Khuyên",
    "Hướng Dương",
    "Tuổi Thơ",
    "Bông Sen",
    "Nguyễn Du",
    "Lê Quý Đôn",
    "Trần Hưng Đạo",
    "Võ Thị Sáu",
    "Kim Đồng",
    "Nguyễn Trãi",
    "Chu Văn An",
    "Lý Tự Trọng",
    "Lê Lợi",
    "Quang Trung",
    "Phan Bội Châu",
    "Đinh Tiên Hoàng",
    "Nguyễn Văn Trỗi",
    "Trần Quốc Toản",
    "Lê Văn Tám",
    "Nguyễn Khuyến",
    "Tô Hiến Thành",
    "Hai Bà Trưng",
    "Lương Thế Vinh",
    "Nguyễn Bỉnh Khiêm",
    "Huỳnh Thúc Kháng",
    "Ngô Quyền",
    "Bình An",
    "Phú Mỹ",
    "Tân Thuận",
    "An Khánh",
    "Thạnh Lộc",
    "Hiệp Bình",
    "Long Phước",
    "Trường Thọ",
    "Linh Đông",
    "Phước Long",
    "Tam Bình",
]
PRINCIPALS = [
    "Nguyễn Thị Lan",
    "Trần Văn Hùng",
    "Lê Thị Mai",
    "Phạm Minh Tuấn",
    "Hoàng Thị Hoa",
    "Võ Văn Nam",
    "Đặng Thị Thu",
    "Bùi Quốc Bảo",
    "Huỳnh Thị Ngọc",
    "Đỗ Văn Long",
]
LEADS = ["Hiệu trưởng", "Phó hiệu trưởng", "Tổ trưởng chuyên môn", "Kế toán", "Tổng phụ trách Đội"]
SUPPORTS = [
    "Các tổ chuyên môn",
    "Công đoàn, Chi đoàn",
    "Ban đại diện cha mẹ học sinh",
    "Giáo viên chủ nhiệm",
    "Nhân viên thiết bị, thư viện",
    "Hội đồng trường",
    "/",
]
BUDGETS = [
    "Không",
    "không",
    "10 triệu",
    "5.000.000",
    20000000,
    "Theo quy chế chi tiêu nội bộ",
    "Xã hội hóa",
    "Theo tình hình thực tế",
    "3 triệu đồng",
    "1,5 tỷ",
    "15.000.000 đ",
    "",
]
SHORTCOMINGS = [
    "Việc kiểm tra, giám sát đôi khi còn chậm so với kế hoạch đề ra.",
    "Một số giáo viên chưa chủ động đổi mới phương pháp, hình thức tổ chức hoạt động.",
    "Cơ sở vật chất còn thiếu, một số hạng mục đã xuống cấp cần sửa chữa.",
    "Sự phối hợp với cha mẹ học sinh và các tổ chức ở địa phương chưa thường xuyên.",
    "Hồ sơ, minh chứng lưu trữ chưa đầy đủ, chưa được cập nhật kịp thời.",
    "Ứng dụng công nghệ thông tin trong quản lý và dạy học còn hạn chế.",
]
SOLUTIONS = [
    "Từ năm học {year} và những năm tiếp theo, hiệu trưởng chỉ đạo các bộ phận rà soát, "
    "xây dựng kế hoạch cụ thể theo từng học kỳ; phân công người phụ trách, định kỳ kiểm tra, "
    "đánh giá và điều chỉnh kịp thời.",
    "Tham mưu với Phòng Giáo dục và Đào tạo, Ủy ban nhân dân {district} bổ sung kinh phí; "
    "huy động nguồn xã hội hóa hợp pháp để sửa chữa, mua sắm bổ sung trang thiết bị.",
    "Tổ chức sinh hoạt chuyên môn theo nghiên cứu bài học; dự giờ, thao giảng, chia sẻ kinh "
    "nghiệm; cử giáo viên tham gia các lớp bồi dưỡng chuyên môn, nghiệp vụ.",
    "Tăng cường phối hợp với Ban đại diện cha mẹ học sinh và các đoàn thể ở địa phương; "
    "công khai kế hoạch trên cổng thông tin điện tử của trường để nhận ý kiến đóng góp.",
    "Ứng dụng phần mềm quản lý; cập nhật, số hóa hồ sơ minh chứng theo từng tiêu chí; "
    "tập huấn cho cán bộ, giáo viên, nhân viên sử dụng thành thạo.",
]
RESULTS = [
    "Đạt {target} so với hiện trạng",
    "Duy trì và nâng cao chất lượng, đạt {target}",
    "Khắc phục được hạn chế, đạt {target}",
]
LEGACY_TCVN3 = "Tæ chøc c¸c ho¹t ®éng gi¸o dôc kü n¨ng sèng cho häc sinh"


def _levels(rng: random.Random, circular: catalog.Circular) -> dict[str, int]:
    levels = {}
    for c in circular.criteria:
        level = rng.choices([0, 1, 2, 3], weights=[4, 30, 48, 18])[0]
        levels[c.code] = min(level, c.max_level)
    return levels


def sample_plan(
    rng: random.Random,
    template: str,
    school_level: str,
    name: str,
    index: int,
    min_items: int = 8,
    max_items: int = 20,
) -> dict:
    """One school's plan data, as build_template(data=...) takes it."""
    circular = catalog.for_template(template)
    prefix = {
        "Mầm non": "Trường Mầm non",
        "Tiểu học": "Trường Tiểu học",
        "THCS": "Trường THCS",
        "THPT": "Trường THPT",
        "Phổ thông nhiều cấp học": "Trường TH&THCS",
    }[school_level]
    cycle = rng.random() < 0.3
    goal = rng.choices([1, 2, 3], weights=[35, 50, 15])[0]
    levels = _levels(rng, circular)
    weak = [c for c in circular.criteria if levels[c.code] < min(goal + 1, c.max_level)]
    rng.shuffle(weak)
    chosen = sorted(weak[: rng.randint(min_items, max_items)], key=lambda c: c.sort_key)
    end_year = 2028 if cycle else 2024
    items = []
    for c in chosen:
        target = min(levels[c.code] + 1, c.max_level)
        start = rng.choice(["9/2024", "10/2024", "T9/2024", "tháng 9/2024"])
        month = 5 if rng.random() < 0.7 else rng.choice([12, 1, 3, 4])
        end = f"{month}/{end_year if month >= 8 else end_year + 1}"
        items.append(
            {
                "criterion": c.code,
                "target": f"Mức {target}",
                "result": rng.choice(RESULTS).format(target=f"Mức {target}"),
                "shortcoming": rng.choice(SHORTCOMINGS),
                "solution": rng.choice(SOLUTIONS).format(year="2024-2025", district=DISTRICT),
                "lead": rng.choice(LEADS),
                "support": rng.choice(SUPPORTS),
                "start": start,
                "end": end,
                "budget": rng.choice(BUDGETS),
                "other_support": rng.choice(["", "Phòng GDĐT", "UBND phường", "Cha mẹ học sinh"]),
            }
        )
    level_names = {0: "Không đạt", 1: "Mức 1", 2: "Mức 2", 3: "Mức 3"}
    return {
        "info": {
            "school_name": f"{prefix} {name}",
            "school_code": f"79{index:04d}",
            "school_level": school_level,
            "district": DISTRICT,
            "province": PROVINCE,
            "school_year": "2024-2025",
            "end_year": "2028-2029" if cycle else None,
            "plan_type": "Chu kỳ 5 năm" if cycle else "Hằng năm",
            "document_number": f"{rng.randint(10, 250)}/KH-{''.join(w[0] for w in fold(name).upper().split())}",
            "issue_date": f"{rng.randint(1, 28):02d}/9/2024",
            "principal": rng.choice(PRINCIPALS),
            "goal_level": f"Mức {goal}",
        },
        "assessment": {code: level_names[level] for code, level in levels.items()},
        "items": items,
    }


# Each mistake edits plan data the way schools get it wrong; the roll-up must report it.
def _target_below_current(d):
    item = d["items"][0]
    d["assessment"][item["criterion"]] = "Mức 3"
    item["target"] = "Mức 2"


def _end_before_start(d):
    d["items"][-1].update(start="3/2025", end="9/2024")


def _budget_not_understood(d):
    d["items"][1]["budget"] = "khoảng năm triệu"


def _criterion_not_in_circular(d):
    d["items"][0]["criterion"] = "5.6" if d["info"]["school_level"] != "THCS" else "5.7"


def _lead_missing(d):
    d["items"][2]["lead"] = ""


def _month_not_understood(d):
    d["items"][1]["start"] = "Học kỳ 1"


def _excel_number_code(d):
    d["items"][0]["criterion"] = 1.1


def _school_year_missing(d):
    d["info"]["school_year"] = None


def _legacy_text(d):
    d["items"][0]["solution"] = LEGACY_TCVN3


def _start_before_year(d):
    d["items"][0]["start"] = "6/2024"


MISTAKES: dict[str, Callable[[dict], None]] = {
    "item.target_below_current": _target_below_current,
    "item.end_before_start": _end_before_start,
    "item.budget_invalid": _budget_not_understood,
    "item.criterion_not_in_circular": _criterion_not_in_circular,
    "item.lead_missing": _lead_missing,
    "item.start_invalid": _month_not_understood,
    "item.criterion_ambiguous": _excel_number_code,
    "info.school_year_missing": _school_year_missing,
    "text.legacy_encoding": _legacy_text,
    "item.start_outside_period": _start_before_year,
}

LEVEL_MIX = [
    ("mam-non", "Mầm non", "mn"),
    ("tieu-hoc", "Tiểu học", "th"),
    ("trung-hoc", "THCS", "thcs"),
    ("trung-hoc", "Phổ thông nhiều cấp học", "th-thcs"),
]


def district_plans(count: int = 40, seed: int = 2024, mistake_rate: float = 0.3):
    """Yield (file name, template, data, mistakes) for ``count`` schools."""
    rng = random.Random(seed)
    weights = [14, 14, 10, 2]
    for i in range(count):
        template, level, short = rng.choices(LEVEL_MIX, weights=weights)[0]
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        data = sample_plan(rng, template, level, name, i + 1)
        mistakes = []
        if rng.random() < mistake_rate:
            for rule in rng.sample(sorted(MISTAKES), k=rng.randint(1, 3)):
                MISTAKES[rule](data)
                mistakes.append(rule)
        slug = "-".join(fold(name).split())
        yield f"{short}-{slug}.xlsx", template, data, mistakes


# ----------------------------------------------------------------- Thông tư 57/2026

PROVINCE_TT57 = "Tỉnh Đồng Tháp"
COMMUNES = ["Phường An Bình", "Phường Mỹ Phú", "Xã Tân Phú", "Xã Long Hưng", "Xã Bình Thành"]
TT57_LEVEL_MIX = [
    ("mam-non", "Mầm non", "mn"),
    ("tieu-hoc", "Tiểu học", "th"),
    ("thcs", "THCS", "thcs"),
    ("thpt", "THPT", "thpt"),
    ("gdtx", "GDTX", "gdtx"),
]
SHORTCOMINGS_TT57 = {
    1: "Dữ liệu quản lý cập nhật chậm; việc rà soát kế hoạch, công khai kết quả chưa thường xuyên.",
    2: "Một số giáo viên chưa đạt chuẩn về chuyên môn, nghiệp vụ; bồi dưỡng chưa gắn với nhu cầu.",
    3: "Tổ chức hoạt động giáo dục chưa đa dạng; theo dõi, hỗ trợ người học còn hạn chế.",
    4: "Cơ sở vật chất, thiết bị còn thiếu; phối hợp với gia đình và địa phương chưa chặt chẽ.",
}
CAUSES_TT57 = [
    "Chưa phân công người phụ trách và thời hạn cụ thể.",
    "Kinh phí hạn hẹp; nguồn xã hội hóa chưa được huy động.",
    "Cán bộ, giáo viên chưa được tập huấn về nội dung này.",
]
ACTIVITIES_TT57 = [
    "- Xây dựng kế hoạch chi tiết theo học kỳ, phân công người phụ trách\n"
    "- Tổ chức thực hiện, kiểm tra định kỳ hằng tháng\n- Rà soát, điều chỉnh cuối học kỳ I",
    "- Tập huấn cho cán bộ, giáo viên, nhân viên\n- Sinh hoạt chuyên môn theo chủ đề\n"
    "- Đánh giá kết quả, chia sẻ cách làm hiệu quả",
    "- Khảo sát nhu cầu, lập dự toán\n- Huy động nguồn lực, mua sắm, sửa chữa\n"
    "- Nghiệm thu, đưa vào sử dụng",
]
OWNERS_TT57 = [
    "Hiệu trưởng",
    "Phó hiệu trưởng",
    "Tổ trưởng chuyên môn",
    "Kế toán",
    "Hội đồng tự đánh giá",
]
RESOURCES_TT57 = [
    "Ngân sách chi thường xuyên",
    "Không phát sinh kinh phí",
    "5.000.000 đồng từ nguồn xã hội hóa",
    "Nhân lực của tổ chuyên môn",
]


def tt57_plan(rng: random.Random, template: str, level: str, name: str, index: int) -> dict:
    """One school's TT57 plan for 2026-2027: levels, 2-4 priority issues, their rows."""
    circular = catalog.for_template(template, catalog.FAMILY_TT57)
    names = {0: "Không đạt Mức 1", 1: "Mức 1", 2: "Mức 2"}
    current = {
        c.code: rng.choices([0, 1, 2], weights=[1, 6, 4] if not c.compulsory else [0, 6, 4])[0]
        for c in circular.criteria
    }
    weak = [c for c in circular.criteria if current[c.code] < 2]
    by_standard: dict[int, list] = {}
    for c in weak:
        by_standard.setdefault(c.standard, []).append(c)
    standards = rng.sample(sorted(by_standard), k=min(len(by_standard), rng.randint(2, 4)))
    issues, items, targets = [], [], {}
    for n, standard in enumerate(sorted(standards), start=1):
        chosen = rng.sample(by_standard[standard], k=min(2, len(by_standard[standard])))
        for c in chosen:
            targets[c.code] = current[c.code] + 1
        issues.append(
            {
                "standard": standard,
                "criteria": ", ".join(c.code for c in sorted(chosen, key=lambda c: c.sort_key)),
                "situation": f"Tiêu chí {chosen[0].code} đang ở {names[current[chosen[0].code]]}.",
                "shortcoming": SHORTCOMINGS_TT57[standard],
                "cause": rng.choice(CAUSES_TT57),
            }
        )
        for c in chosen:
            for _ in range(rng.randint(1, 2)):
                indicator = rng.choice(c.indicators) if c.indicators else "Kết quả đạt yêu cầu"
                end = rng.choice(["12/2026", "1/2027", "3/2027", "5/2027"])
                items.append(
                    {
                        "issue": n,
                        "criterion": c.code,
                        "content": f"Cải tiến: {c.title}",
                        "objective": f"Tiêu chí {c.code} đạt {names[targets[c.code]]}",
                        "activities": rng.choice(ACTIVITIES_TT57),
                        "indicator": f"{indicator}: đạt 100%",
                        "start": rng.choice(["9/2026", "10/2026"]),
                        "end": end,
                        "owner": rng.choice(OWNERS_TT57),
                        "resources": rng.choice(RESOURCES_TT57),
                        "evidence": f"(MC.{c.code}.{rng.randint(1, 9):02d})",
                    }
                )
    commune = rng.choice(COMMUNES)
    prefix = {
        "Mầm non": "Trường Mầm non",
        "Tiểu học": "Trường Tiểu học",
        "THCS": "Trường THCS",
        "THPT": "Trường THPT",
        "GDTX": "Trung tâm GDNN-GDTX",
    }[level]
    body = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO ĐỒNG THÁP"
        if level in ("THPT", "GDTX")
        else f"UBND {commune.upper()}"
    )
    return {
        "info": {
            "school_name": f"{prefix} {name}",
            "school_code": f"87{index:04d}",
            "school_level": level,
            "address": f"{commune}, {PROVINCE_TT57}",
            "province": PROVINCE_TT57,
            "commune": commune,
            "governing_body": body,
            "school_year": "2026-2027",
            "document_number": f"{rng.randint(10, 99)}/KH-{''.join(w[0] for w in fold(name).upper().split())}",
            "issue_date": f"{rng.randint(10, 28)}/9/2026",
            "principal": rng.choice(PRINCIPALS),
            "legal_bases": "1. Báo cáo tự đánh giá năm học 2025-2026 của nhà trường;\n"
            "2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học 2025-2026;\n"
            "3. Kế hoạch năm học 2026-2027 và định hướng phát triển của nhà trường.",
        },
        "assessment": {
            code: {
                "current": names[level_],
                "target": names[targets[code]] if code in targets else "",
            }
            for code, level_ in current.items()
        },
        "issues": issues,
        "items": items,
        "reviews": [{"when": "Cuối học kỳ I"}, {"when": "Cuối năm học"}],
    }


# The mistakes schools make with the new form; the roll-up must report each.
MISTAKES_TT57: dict[str, Callable[[dict], None]] = {
    "tt57.item.criterion_from_2018": lambda d: d["items"][0].update(criterion="5.6"),
    "tt57.assessment.current_invalid": lambda d: d["assessment"]["1.1"].update(current="Mức 3"),
    "tt57.item.end_before_start": lambda d: d["items"][-1].update(start="3/2027", end="10/2026"),
    "tt57.item.owner_missing": lambda d: d["items"][0].update(owner=""),
    "tt57.item.evidence_old_code": lambda d: d["items"][0].update(evidence="[H1-1.1-01]"),
    "tt57.item.progress_unknown": lambda d: d["items"][0].update(progress="Làm được một nửa"),
    "tt57.item.issue_unknown": lambda d: d["items"][-1].update(issue=9),
}


def area_plans(count: int = 40, seed: int = 2026, mistake_rate: float = 0.3):
    """Yield (file name, template, circular, data) for a mixed area of one province.

    About two thirds write their 2026-2027 plan under Thông tư 57/2026; the
    others still send a 2018 plan (a five-year plan running to 2028-2029, or
    last year's plan).
    """
    rng = random.Random(seed)
    for i in range(count):
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        slug = "-".join(fold(name).split())
        if rng.random() < 0.67:
            template, level, short = rng.choices(TT57_LEVEL_MIX, weights=[12, 12, 8, 3, 1])[0]
            data = tt57_plan(rng, template, level, name, i + 1)
            if rng.random() < mistake_rate:
                for rule in rng.sample(sorted(MISTAKES_TT57), k=rng.randint(1, 2)):
                    MISTAKES_TT57[rule](data)
            yield f"{short}-{slug}-2026-2027.xlsx", template, "tt57-2026", data
        else:
            template, level, short = rng.choices(LEVEL_MIX, weights=[14, 14, 10, 2])[0]
            data = sample_plan(rng, template, level, name, i + 1)
            data["info"]["province"] = PROVINCE_TT57
            if rng.random() < mistake_rate:
                for rule in rng.sample(sorted(MISTAKES), k=rng.randint(1, 2)):
                    MISTAKES[rule](data)
            yield f"{short}-{slug}-2018.xlsx", template, catalog.for_template(template).id, data


def write_area(folder: str | os.PathLike[str], count: int = 40, seed: int = 2026) -> list[Path]:
    """Write a mixed area's school workbooks (TT57 and 2018) into ``folder``."""
    from sheetkit.writing.templates import build_template

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        build_template(template, folder / file_name, data, circular)
        for file_name, template, circular, data in area_plans(count, seed)
    ]


def write_district(folder: str | os.PathLike[str], count: int = 40, seed: int = 2024) -> list[Path]:
    """Write a district's school workbooks into ``folder``; returns their paths."""
    from sheetkit.writing.templates import build_template

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file_name, template, data, _ in district_plans(count, seed):
        circular = catalog.for_template(template).id  # these sample plans are 2018 plans
        paths.append(build_template(template, folder / file_name, data, circular))
    return paths
