"""Realistic sample plans for a fictional district (examples/quan-mau, tests, benchmarks).

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
