"""What did the person type in the patient search box? Pure: text in, (kind, value) out.

One box answers MRN, CNIC, mobile and name searches, so the receptionist never picks a mode.
"""

from mesoclinic.core.phones import normalize_mobile
from mesoclinic.core.text import SEPARATORS, InvalidIdentifier, fold_digits, squash_spaces
from mesoclinic.patients.identifiers import CNIC_LENGTH, parse_mrn


def classify_query(raw: str) -> tuple[str, str]:
    """('mrn'|'cnic'|'cnic_prefix'|'mobile'|'name'|'empty', normalized value)."""
    text = squash_spaces(raw or "")
    if not text:
        return "empty", ""
    mrn = parse_mrn(text)
    if mrn:
        return "mrn", mrn
    folded = fold_digits(text)
    if folded.startswith("+") or all(c.isdigit() or c in SEPARATORS for c in folded):
        digits = "".join(c for c in folded if c.isdigit())
        if len(digits) == CNIC_LENGTH and not folded.startswith(("+", "0")):
            return "cnic", digits
        try:
            return "mobile", normalize_mobile(folded)
        except InvalidIdentifier:
            pass
        if len(digits) >= 5 and not folded.startswith("+"):
            return "cnic_prefix", digits
        return "digits", digits
    return "name", text
