"""A FHIR Patient, as sent to create or update one, read into our patient fields. Pure.

The reverse of mapping/patient.py: what it writes reads back to the same fields. Every problem
is reported at once, each with the FHIRPath of the element at fault, and of one of two kinds:

- `structure` (400): the body is not a well-formed FHIR Patient (an element of the wrong JSON
  type, a date that is not a FHIR date, a gender outside the required AdministrativeGender
  value set). FHIR's RESTful API answers a resource that fails basic validation with 400.
- `rule` (422): a well-formed Patient our rules refuse (no name, birth date or mobile; a CNIC
  that is not 13 digits; `unknown` gender, which we cannot store; a partial birth date).

The checks that need the database or Django's validators (name lengths, the date of birth's
bounds, the mobile's numbering plan, duplicates) run in resources/patient_writes.py through
the patients app's own validation, naming the paths this module records in `paths`.

Elements we do not keep (photo, deceased, maritalStatus, other identifier systems, …) are
ignored, as a lenient server may: the answer shows the resource as stored. The MRN is ours to
assign and is ignored too. `communication` left out keeps the patient's language.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from mesoclinic.core.text import InvalidIdentifier
from mesoclinic.fhir.mapping.common import CNIC_SYSTEM
from mesoclinic.fhir.mapping.patient import GENDERS, LANGUAGE_SYSTEM, LANGUAGES
from mesoclinic.patients.identifiers import normalize_cnic

#: http://hl7.org/fhir/R4/valueset-administrative-gender.html (required binding).
ADMINISTRATIVE_GENDER = frozenset({"male", "female", "other", "unknown"})
#: The relation text mapping/patient.py writes when none was recorded.
NO_RELATION = "Emergency contact"
_FHIR_DATE = re.compile(r"(\d{4})(-(\d{2})(-(\d{2}))?)?")

STRUCTURE = "structure"
RULE = "rule"


@dataclass
class Problem:
    kind: str  # STRUCTURE (400) or RULE (422)
    code: str  # an http://hl7.org/fhir/ValueSet/issue-type code
    diagnostics: str
    expression: str


@dataclass
class PatientInput:
    """What the resource says, in our field names. `paths` gives each field's FHIRPath, for
    the messages of later checks; `organization` is managingOrganization's id, if any."""

    fields: dict = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    organization: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> int:
        """400 when any problem is structural, else 422 (only meaningful with problems)."""
        return 400 if any(p.kind == STRUCTURE for p in self.problems) else 422

    def wrong(self, kind: str, code: str, diagnostics: str, expression: str) -> None:
        self.problems.append(Problem(kind, code, diagnostics, expression))


def read_patient(resource: dict) -> PatientInput:
    result = PatientInput()
    for path in _control_characters(resource, "Patient"):
        # FHIR strings hold no control characters but tab and newlines (and PostgreSQL
        # stores no NUL): refused before anything is read.
        result.wrong(STRUCTURE, "structure", "A string holds a control character.", path)
    if result.problems:
        return result
    _identifiers(resource, result)
    _names(resource, result)
    _telecom(resource, result)
    _gender(resource, result)
    _birth_date(resource, result)
    _contact(resource, result)
    _communication(resource, result)
    _organization(resource, result)
    if resource.get("active") is False:
        result.wrong(
            RULE,
            "business-rule",
            "A patient is archived by an administrator, with a reason, not through FHIR.",
            "Patient.active",
        )
    elif "active" in resource and not isinstance(resource["active"], bool):
        result.wrong(STRUCTURE, "structure", "active must be true or false.", "Patient.active")
    return result


def _control_characters(node, path: str) -> list[str]:
    if isinstance(node, str):
        return [path] if any(ord(c) < 32 and c not in "\t\r\n" for c in node) else []
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _control_characters(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _control_characters(v, f"{path}[{i}]")]
    return []


def _objects(resource: dict, key: str, result: PatientInput, path: str) -> list[tuple[int, dict]]:
    """The elements of a repeating element, with their index; a problem when it is malformed."""
    value = resource.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        result.wrong(STRUCTURE, "structure", f"{key} must be a list of objects.", path)
        return []
    return list(enumerate(value))


def _text(item: dict, key: str, result: PatientInput, path: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        result.wrong(STRUCTURE, "structure", f"{key} must be a string.", path)
        return None
    return value


def _identifiers(resource: dict, result: PatientInput) -> None:
    cnics = [
        (index, item)
        for index, item in _objects(resource, "identifier", result, "Patient.identifier")
        if item.get("system") == CNIC_SYSTEM
    ]
    result.fields["cnic"] = None
    for position, (index, item) in enumerate(cnics):
        path = f"Patient.identifier[{index}]"
        if position:
            result.wrong(RULE, "business-rule", "A patient has one CNIC; this is a second.", path)
            continue
        result.paths["cnic"] = path
        value = _text(item, "value", result, f"{path}.value")
        if not value:
            result.wrong(RULE, "required", "The CNIC identifier has no value.", path)
            continue
        try:
            result.fields["cnic"] = normalize_cnic(value)
        except InvalidIdentifier as exc:
            result.wrong(RULE, "value", f"The CNIC is not valid: {exc}", path)


def _names(resource: dict, result: PatientInput) -> None:
    names = _objects(resource, "name", result, "Patient.name")
    structured = [(i, n) for i, n in names if n.get("given") or n.get("family")]
    official = [(i, n) for i, n in structured if n.get("use") == "official"]
    chosen = (official or structured or [None])[0]
    if chosen is None:
        result.wrong(RULE, "required", "A name with a given name is required.", "Patient.name")
    else:
        index, name = chosen
        path = f"Patient.name[{index}]"
        given = name.get("given") or []
        if not isinstance(given, list) or not all(isinstance(part, str) for part in given):
            result.wrong(STRUCTURE, "structure", "given must be a list of strings.", path)
            given = []
        result.fields["first_name"] = " ".join(given)
        result.paths["first_name"] = f"{path}.given"
        if not result.fields["first_name"].strip():
            result.wrong(RULE, "required", "The name needs a given name.", f"{path}.given")
        result.fields["last_name"] = _text(name, "family", result, f"{path}.family") or ""
        result.paths["last_name"] = f"{path}.family"
    # The name in Urdu script is written back as a text-only name (mapping/patient.py).
    result.fields["name_ur"] = ""
    for index, name in names:
        if not (name.get("given") or name.get("family")) and name.get("text"):
            result.fields["name_ur"] = _text(name, "text", result, f"Patient.name[{index}]") or ""
            result.paths["name_ur"] = f"Patient.name[{index}].text"
            break


def _telecom(resource: dict, result: PatientInput) -> None:
    telecom = _objects(resource, "telecom", result, "Patient.telecom")
    phones = [(i, t) for i, t in telecom if t.get("system") == "phone" and t.get("value")]
    mobiles = [(i, t) for i, t in phones if t.get("use") == "mobile"]
    chosen = (mobiles or phones or [None])[0]
    if chosen is None:
        result.wrong(
            RULE, "required", "A mobile number (telecom phone) is required.", "Patient.telecom"
        )
    else:
        index, item = chosen
        result.paths["mobile"] = f"Patient.telecom[{index}].value"
        result.fields["mobile"] = _text(item, "value", result, result.paths["mobile"]) or ""
    result.fields["email"] = ""
    for index, item in telecom:
        if item.get("system") == "email" and item.get("value"):
            result.paths["email"] = f"Patient.telecom[{index}].value"
            result.fields["email"] = _text(item, "value", result, result.paths["email"]) or ""
            break


def _gender(resource: dict, result: PatientInput) -> None:
    gender = resource.get("gender")
    result.paths["sex"] = "Patient.gender"
    if gender is None:
        result.wrong(
            RULE, "required", "gender is required (female, male or other).", "Patient.gender"
        )
    elif not isinstance(gender, str) or gender not in ADMINISTRATIVE_GENDER:
        result.wrong(
            STRUCTURE,
            "code-invalid",
            f"{gender!r} is not an AdministrativeGender code (female, male, other, unknown).",
            "Patient.gender",
        )
    elif gender not in GENDERS:
        result.wrong(
            RULE,
            "business-rule",
            "gender 'unknown' cannot be stored: we record female, male or other. Ask the "
            "patient, or send 'other'.",
            "Patient.gender",
        )
    else:
        result.fields["sex"] = GENDERS[gender]


def _birth_date(resource: dict, result: PatientInput) -> None:
    value = resource.get("birthDate")
    result.paths["date_of_birth"] = "Patient.birthDate"
    if value is None:
        result.wrong(RULE, "required", "birthDate is required.", "Patient.birthDate")
        return
    match = _FHIR_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        result.wrong(
            STRUCTURE,
            "structure",
            "birthDate must be a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD.",
            "Patient.birthDate",
        )
        return
    if match.group(5) is None:
        result.wrong(
            RULE,
            "business-rule",
            "birthDate must be a full date (YYYY-MM-DD).",
            "Patient.birthDate",
        )
        return
    try:
        result.fields["date_of_birth"] = date.fromisoformat(value)
    except ValueError:
        result.wrong(
            STRUCTURE, "structure", f"{value} is not a date that exists.", "Patient.birthDate"
        )


def _contact(resource: dict, result: PatientInput) -> None:
    contacts = _objects(resource, "contact", result, "Patient.contact")
    result.fields.update(
        emergency_contact_name="", emergency_contact_relation="", emergency_contact_phone=""
    )
    if not contacts:
        return
    index, contact = contacts[0]
    path = f"Patient.contact[{index}]"
    name = contact.get("name")
    if isinstance(name, dict):
        given = name.get("given") if isinstance(name.get("given"), list) else []
        parts = [name.get("text")] if name.get("text") else [*given, name.get("family")]
        result.fields["emergency_contact_name"] = " ".join(
            part for part in parts if isinstance(part, str) and part
        )
        result.paths["emergency_contact_name"] = f"{path}.name"
    relations = contact.get("relationship")
    if isinstance(relations, list) and relations and isinstance(relations[0], dict):
        text = relations[0].get("text")
        if isinstance(text, str) and text != NO_RELATION:
            result.fields["emergency_contact_relation"] = text
            result.paths["emergency_contact_relation"] = f"{path}.relationship[0].text"
    telecom = contact.get("telecom")
    if isinstance(telecom, list):
        for number, item in enumerate(telecom):
            if isinstance(item, dict) and item.get("system") == "phone" and item.get("value"):
                phone_path = f"{path}.telecom[{number}].value"
                result.fields["emergency_contact_phone"] = (
                    _text(item, "value", result, phone_path) or ""
                )
                result.paths["emergency_contact_phone"] = phone_path
                break


def _communication(resource: dict, result: PatientInput) -> None:
    items = _objects(resource, "communication", result, "Patient.communication")
    if not items:
        return
    index, item = next(((i, c) for i, c in items if c.get("preferred") is True), items[0])
    path = f"Patient.communication[{index}].language"
    language = item.get("language") if isinstance(item.get("language"), dict) else {}
    codings = language.get("coding") if isinstance(language.get("coding"), list) else []
    for coding in codings:
        if isinstance(coding, dict) and coding.get("system") == LANGUAGE_SYSTEM:
            code = str(coding.get("code") or "").split("-")[0].lower()
            if code in LANGUAGES:
                result.fields["preferred_language"] = code
                return
    result.wrong(
        RULE,
        "code-invalid",
        f"The preferred language must be English or Urdu ({LANGUAGE_SYSTEM} en or ur).",
        path,
    )


def _organization(resource: dict, result: PatientInput) -> None:
    organization = resource.get("managingOrganization")
    if organization is None:
        return
    reference = organization.get("reference") if isinstance(organization, dict) else None
    match = re.fullmatch(r"(?:.*/)?Organization/([A-Za-z0-9\-.]{1,64})", reference or "")
    if match is None:
        result.wrong(
            STRUCTURE,
            "structure",
            "managingOrganization must reference an Organization (Organization/<id>).",
            "Patient.managingOrganization",
        )
        return
    result.organization = match.group(1)
