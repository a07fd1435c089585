"""The school's own level under Thông tư 57/2026 (khoản 3 Điều 5).

"Đạt Mức 1 khi tất cả tiêu chí bắt buộc đạt Mức 1 và có ít nhất 05 trong 07
tiêu chí còn lại đạt Mức 1 trở lên; đạt Mức 2 khi tất cả tiêu chí bắt buộc
đạt Mức 2 và có ít nhất 05 trong 07 tiêu chí còn lại đạt Mức 2, các tiêu chí
còn lại đạt tối thiểu Mức 1." The template computes the same rule with
Excel formulas (writing/template_tt57.py); a test holds the two together.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

OTHERS_NEEDED = 5  # of the 7 criteria that are not compulsory
NOT_MET, LEVEL_1, LEVEL_2 = 0, 1, 2


@dataclass(frozen=True)
class SchoolLevel:
    """The school's level and what it still lacks for the next one."""

    level: int | None  # 0 (Không đạt Mức 1), 1, 2; None when some criterion has no level
    missing_levels: tuple[str, ...]  # criteria without a level: the level cannot be computed
    compulsory_below: tuple[str, ...]  # compulsory criteria below the next level
    others_short: int  # how many more non-compulsory criteria must reach the next level
    others_below_1: tuple[str, ...]  # for Mức 2: other criteria still below Mức 1


def school_level(
    levels: Mapping[str, int | None], codes: Collection[str], compulsory: Collection[str]
) -> SchoolLevel:
    """The level of a school whose criteria ``codes`` stand at ``levels`` (khoản 3 Điều 5)."""
    missing = tuple(code for code in codes if levels.get(code) is None)
    known = {code: levels[code] for code in codes if levels.get(code) is not None}
    others = [code for code in codes if code not in compulsory]

    def meets(target: int) -> bool:
        if any(known.get(code, -1) < target for code in compulsory):
            return False
        if sum(known.get(code, -1) >= target for code in others) < OTHERS_NEEDED:
            return False
        return target < LEVEL_2 or all(known.get(code, -1) >= LEVEL_1 for code in others)

    level = LEVEL_2 if meets(LEVEL_2) else LEVEL_1 if meets(LEVEL_1) else NOT_MET
    following = min(level + 1, LEVEL_2)
    return SchoolLevel(
        level=None if missing else level,
        missing_levels=missing,
        compulsory_below=tuple(c for c in compulsory if known.get(c, -1) < following),
        others_short=max(0, OTHERS_NEEDED - sum(known.get(c, -1) >= following for c in others)),
        others_below_1=tuple(c for c in others if known.get(c, -1) < LEVEL_1)
        if following == LEVEL_2
        else (),
    )
