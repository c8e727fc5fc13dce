"""Pieces every mapping uses: versions and instants, references, identifier systems. Pure."""

from datetime import UTC, date, datetime

#: Identifier and code systems this server mints, all under one base. They are documented in
#: docs/fhir.md; a receiving system keys our identifiers on these URIs.
BASE = "https://fhir.mesoclinic.pk"
CNIC_SYSTEM = f"{BASE}/sid/cnic"  # Pakistan's CNIC: 13 digits, stored and sent without dashes
MRN_SYSTEM = f"{BASE}/sid/mrn"  # the chain's medical record number
PMDC_SYSTEM = f"{BASE}/sid/pmdc"  # Pakistan Medical & Dental Council registration number
CLINIC_SYSTEM = f"{BASE}/sid/clinic"  # a clinic's slug
CODE_SYSTEM = f"{BASE}/CodeSystem"  # our own code systems: f"{CODE_SYSTEM}/<name>"
EXTENSION = f"{BASE}/StructureDefinition"  # our extensions: f"{EXTENSION}/<name>"

ICD10 = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def instant(moment: datetime) -> str:
    """A FHIR instant: UTC, seconds always present."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def version_of(moment: datetime) -> str:
    """A version id that changes whenever the row's last-change time does (microseconds)."""
    return str(int(moment.timestamp() * 1_000_000))


def meta(updated: datetime) -> dict:
    return {"versionId": version_of(updated), "lastUpdated": instant(updated)}


def day(value: date) -> str:
    return value.isoformat()


def reference(type_name: str, ident, display: str | None = None) -> dict:
    ref = {"reference": f"{type_name}/{ident}"}
    if display:
        ref["display"] = display
    return ref


def coding(system: str, code: str, display: str | None = None) -> dict:
    item = {"system": system, "code": code}
    if display:
        item["display"] = display
    return item


def concept(*codings: dict, text: str | None = None) -> dict:
    value: dict = {}
    if codings:
        value["coding"] = list(codings)
    if text:
        value["text"] = text
    return value


def drop_empty(resource: dict) -> dict:
    """FHIR forbids empty strings, lists and objects: leave such elements out."""
    cleaned = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = drop_empty(value)
        elif isinstance(value, list):
            value = [drop_empty(item) if isinstance(item, dict) else item for item in value]
            value = [item for item in value if item not in ("", None, {}, [])]
        if value in ("", None, {}, []):
            continue
        cleaned[key] = value
    return cleaned
