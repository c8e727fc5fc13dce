"""The Fitzpatrick skin-type questionnaire: 10 items scored 0–4, summed, then banded.

Pure Python, no Django. The banding is the one CLINICAL.md records as common
(0–6 I, 7–13 II, 14–20 III, 21–27 IV, 28–34 V, 35 and over VI; other cut-offs exist), pinned
here as `BANDING_V1` and named on every result, so a stored score says which banding gave its
type. Most patients in Pakistan score III–V.
"""

from collections.abc import Sequence
from dataclasses import dataclass

ITEMS = 10
ITEM_MAX = 4

#: (lowest total, skin type) pairs, ascending. Source: shared/CLINICAL.md, Outcome scales.
BANDING_V1 = ((0, 1), (7, 2), (14, 3), (21, 4), (28, 5), (35, 6))
BANDING_V1_NAME = "fitzpatrick-10-item-v1 (0–6 I, 7–13 II, 14–20 III, 21–27 IV, 28–34 V, ≥35 VI)"


class InvalidAnswers(ValueError):
    """The answers cannot be scored; the message says which item and why."""


@dataclass(frozen=True)
class FitzpatrickResult:
    total: int
    skin_type: int  # 1–6 (I–VI)
    banding: str


def score(answers: Sequence[int]) -> FitzpatrickResult:
    """Total and skin type for ten answers, each a whole number from 0 to 4."""
    if len(answers) != ITEMS:
        raise InvalidAnswers(f"Expected {ITEMS} answers, got {len(answers)}.")
    for number, answer in enumerate(answers, start=1):
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise InvalidAnswers(f"Item {number}: a whole number from 0 to {ITEM_MAX}.")
        if not 0 <= answer <= ITEM_MAX:
            raise InvalidAnswers(f"Item {number}: {answer} is outside 0 to {ITEM_MAX}.")
    total = sum(answers)
    skin_type = max(kind for lowest, kind in BANDING_V1 if total >= lowest)
    return FitzpatrickResult(total=total, skin_type=skin_type, banding=BANDING_V1_NAME)
