"""The public self-check's verdict: what a visitor should do next. Pure Python, no Django.

The self-check evaluates the visitor's answers against the clinic policy with the typical
ingredients of their concern (CLINICAL.md, "Indications and default protocols"). Those
ingredients are a guess: at the consultation the doctor may choose a different cocktail. So a
block that only concerns the guessed cocktail must not tell the visitor treatment is
impossible; it sends them to talk to a doctor instead.
"""

from enum import StrEnum

from mesoclinic.care.rules import Evaluation, Severity

__all__ = ["SelfCheckVerdict", "self_check_verdict"]


class SelfCheckVerdict(StrEnum):
    BOOK_CONSULTATION = "book_consultation"
    TALK_TO_DOCTOR = "talk_to_doctor"
    NOT_SUITABLE_NOW = "not_suitable_now"


def self_check_verdict(evaluation: Evaluation, *, declared: bool = False) -> SelfCheckVerdict:
    """NOT_SUITABLE_NOW, TALK_TO_DOCTOR or BOOK_CONSULTATION for one evaluation.

    - NOT_SUITABLE_NOW: an absolute reason that no choice of cocktail avoids (pregnancy,
      infection at the site). These are "now": most pass (pregnancy ends, infection heals).
    - TALK_TO_DOCTOR: any other reason. Relative reasons need a practitioner's review anyway;
      an absolute reason tied to the cocktail (`Reason.depends_on_plan`: tranexamic acid after
      thrombosis, dutasteride in pregnancy potential, an allergy or positive patch test to a
      typical ingredient) may be avoided by another cocktail, which only a doctor can choose.
    - BOOK_CONSULTATION: no reasons at all, and nothing `declared`.

    `declared` says the visitor reported a health condition, medicine or allergy. The typical
    cocktail is a guess, so a rule that stayed silent for the guess may fire for the doctor's
    real choice: anyone who declared something is sent to talk to a doctor, never told that
    nothing stands in the way.
    """
    if any(
        reason.severity == Severity.ABSOLUTE and not reason.depends_on_plan
        for reason in evaluation.reasons
    ):
        return SelfCheckVerdict.NOT_SUITABLE_NOW
    if evaluation.reasons or declared:
        return SelfCheckVerdict.TALK_TO_DOCTOR
    return SelfCheckVerdict.BOOK_CONSULTATION
