"""The FHIR journeys of `make bench` (issue 21): what an integration sends to /fhir/R4/ with a
Bearer token, as the bench dermatologist of the first synthetic clinic. Patient searches by
name, CNIC identifier and mobile (as the staff search box is measured); Patient reads; and one
clinical search, a patient's records of the first clinical type the server registers from
CLINICAL (sessions as Procedure, else scores as Observation), by `patient`.

Held to the same floor ratio as the JSON API's list (`api_patients`: "single", 3 × the floor):
a search page and a read are one scoped, keyset-ordered query each, plus the audit row.
"""

from __future__ import annotations

import urllib.parse

from mesoclinic.care.models import Course
from mesoclinic.fhir import registry
from mesoclinic.fhir.mapping.common import CNIC_SYSTEM

BASE = "/fhir/R4"
SAMPLE = 200
#: The clinical search, by preference: the first registered with a `patient` parameter.
CLINICAL = ("Procedure", "Observation")
#: A page as an integration reads one: small enough to be a screen's worth.
COUNT = "20"


def headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Accept": "application/fhir+json"}


def _get(path: str, **params) -> tuple[str, str, str]:
    return ("GET", f"{BASE}/{path}?{urllib.parse.urlencode(params)}", "")


def patient_searches(rng, sample) -> list[tuple[str, str, str]]:
    """`sample` rows are (id, first name, last name, Urdu name, CNIC, mobile): for each, a
    search by given name, family name, CNIC (`system|value`) or mobile, drawn at random."""
    requests = []
    for _id, first, last, _name_ur, cnic, mobile in sample:
        choices = [{"given": first}, {"family": last}, {"phone": mobile}]
        if cnic:
            choices.append({"identifier": f"{CNIC_SYSTEM}|{cnic}"})
        requests.append(_get("Patient", **rng.choice(choices), _count=COUNT))
    return requests


def patient_reads(sample) -> list[tuple[str, str, str]]:
    return [("GET", f"{BASE}/Patient/{row[0]}", "") for row in sample]


def clinical_type() -> str | None:
    """The clinical type the journey searches, or None while the server has none of CLINICAL."""
    for name in CLINICAL:
        resource_type = registry.get(name)
        if resource_type and "patient" in {param.name for param in resource_type.params}:
            return name
    return None


def clinical_searches(clinic, rng, *, sample: int = SAMPLE) -> list[tuple[str, str, str]]:
    """A treated patient's records of the clinical type, for `sample` patients with a course
    at `clinic` (4–6 sessions and their scores each, mostly); [] when there is no such type."""
    type_name = clinical_type()
    if type_name is None:
        return []
    treated = sorted(set(Course.objects.filter(clinic=clinic).values_list("patient_id", flat=True)))
    chosen = rng.sample(treated, min(sample, len(treated)))
    return [_get(type_name, patient=f"Patient/{pk}", _count=COUNT) for pk in chosen]
