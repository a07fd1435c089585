"""The criterion-title rule: does a typed title belong to another criterion or circular?

Schools copy a criterion's title from the wrong row or from another level's
circular. A warning must point at something definite, so a title is only
reported when it is clearly closer to another criterion's title than to its
own; a paraphrase, or a title that matches nothing we know, is left alone.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from sheetkit.model import catalog

OWN_TITLE = 0.95  # this close to the criterion's own title: fine
OTHER_TITLE = 0.9  # at least this close to another title to name it
MARGIN = 0.05  # and closer to it than to its own by this much
SHORTENED_FROM = 8  # characters: a typed start of the title counts as the title


def similarity(typed: str, title: str) -> float:
    """How alike two title keys are (1.0 the same; a shortened title scores 0.95)."""
    if typed == title:
        return 1.0
    if len(typed) >= SHORTENED_FROM and title.startswith(typed):
        return 0.95  # a shortened title: "Hội đồng trường"
    return SequenceMatcher(None, typed, title).ratio()


@lru_cache(maxsize=4096)
def title_issue(circular_id: str | None, code: Any, title: Any) -> tuple[str | None, str, str]:
    """(issue, which one it matches, the correct title) for a typed criterion title.

    A criterion's other accepted wordings (``Criterion.other_titles``) count as its own.

    ``issue`` is None, "other_criterion" (the title of another criterion of the
    same circular) or "other_circular" (a title from another circular).
    """
    if circular_id is None or not isinstance(code, str) or not isinstance(title, str):
        return None, "", ""
    circular = catalog.by_id(circular_id)
    own = circular.get(code)
    if own is None:
        return None, "", ""
    typed = catalog.title_key(title)
    own_score = max(similarity(typed, catalog.title_key(t)) for t in own.titles)
    if own_score >= OWN_TITLE or not typed:
        return None, "", own.title
    candidates = []
    for other in catalog.of_family(circular.family_id):  # a 2018 plan is not told about TT57
        for criterion in other.criteria:
            if other.id == circular_id and criterion.code == code:
                continue
            score = similarity(typed, catalog.title_key(criterion.title))
            if score >= OTHER_TITLE and score > own_score + MARGIN:
                same_code = criterion.code == code
                if other.id == circular_id:
                    found = ("other_criterion", f"{criterion.code} ({criterion.title})")
                else:
                    found = ("other_circular", other.short_name)
                candidates.append((score, same_code, found))
    if not candidates:
        return None, "", own.title
    best = max(candidates, key=lambda c: (c[0], c[1]))[2]
    return best[0], best[1], own.title
