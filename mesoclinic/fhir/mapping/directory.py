"""The clinic directory: Organization and Location (a clinic is both: the legal unit and the
place), Practitioner and PractitionerRole. Pure.

A Practitioner's registration is its identifier (PMDC for doctors and dentists, PNMC for nurses
and midwives) and its qualification: the council as issuer, the registration's expiry as the
period's end, and two extensions saying whether someone verified it and, when it does not
stand, why (the codes of clinics/credentials.py). A PractitionerRole is one practitioner's
membership of one clinic; it is `active` while the practitioner is credentialed, so a reader
learns who may treat where without reading our credential rules."""

from mesoclinic.fhir.mapping.common import (
    CLINIC_SYSTEM,
    CODE_SYSTEM,
    EXTENSION,
    PMDC_SYSTEM,
    SNOMED,
    coding,
    concept,
    day,
    drop_empty,
    meta,
    reference,
)

PNMC_SYSTEM = PMDC_SYSTEM.replace("/pmdc", "/pnmc")  # nurses' and midwives' council numbers
COUNCIL_SYSTEMS = {"pmdc": PMDC_SYSTEM, "pnmc": PNMC_SYSTEM}
COUNCILS = {
    "pmdc": "Pakistan Medical and Dental Council",
    "pnmc": "Pakistan Nursing and Midwifery Council",
}
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
#: The identifier's type: a medical licence number, or a registered nurse's number.
LICENCE_TYPES = {
    "pmdc": ("MD", "Medical License number"),
    "pnmc": ("RN", "Registered Nurse Number"),
}
QUALIFICATION_SYSTEM = f"{CODE_SYSTEM}/qualification"
QUALIFICATIONS = {
    "dermatologist": "Dermatologist",
    "physician": "Other physician",
    "dentist": "Dentist",
    "nurse": "Trained nurse",
    "midwife": "Midwife",
    "other": "Other",
}
VERIFICATION_EXTENSION = f"{EXTENSION}/credential-verified"
PROBLEM_EXTENSION = f"{EXTENSION}/credential-problem"
PROBLEM_SYSTEM = f"{CODE_SYSTEM}/credential-problem"
#: http://terminology.hl7.org/CodeSystem/practitioner-role, for each qualification.
PRACTITIONER_ROLE = "http://terminology.hl7.org/CodeSystem/practitioner-role"
ROLE_CODES = {
    "dermatologist": ("doctor", "Doctor"),
    "physician": ("doctor", "Doctor"),
    "dentist": ("doctor", "Doctor"),
    "nurse": ("nurse", "Nurse"),
    "midwife": ("nurse", "Nurse"),
}
DERMATOLOGY = coding(SNOMED, "394582007", "Dermatology")
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # our Weekday 0..6


def _telecom(clinic) -> list[dict]:
    telecom = [{"system": "phone", "value": clinic.phone, "use": "work"}]
    if clinic.email:
        telecom.append({"system": "email", "value": clinic.email, "use": "work"})
    return telecom


def _address(clinic) -> dict:
    return {
        "use": "work",
        "type": "physical",
        "text": clinic.address,
        "city": clinic.city,
        "country": "PK",
    }


def organization_resource(clinic) -> dict:
    return drop_empty(
        {
            "resourceType": "Organization",
            "id": str(clinic.pk),
            "meta": meta(clinic.updated_at),
            "identifier": [{"system": CLINIC_SYSTEM, "value": clinic.slug}],
            "active": clinic.is_active,
            "type": [concept(coding(ORGANIZATION_TYPE, "prov", "Healthcare Provider"))],
            "name": clinic.name,
            "telecom": _telecom(clinic),
            "address": [_address(clinic)],
        }
    )


def opening_hours(hours) -> list[dict]:
    """Location.hoursOfOperation: one entry per (opens, closes), with every weekday that has
    it; a day with a prayer break has two intervals, so appears in two entries."""
    days_of: dict[tuple, list[int]] = {}
    for interval in hours:
        days_of.setdefault((interval.opens, interval.closes), []).append(interval.weekday)
    return [
        {
            "daysOfWeek": [DAYS[weekday] for weekday in sorted(set(weekdays))],
            "openingTime": opens.strftime("%H:%M:%S"),
            "closingTime": closes.strftime("%H:%M:%S"),
        }
        for (opens, closes), weekdays in sorted(days_of.items(), key=lambda item: item[0])
    ]


def location_resource(clinic, hours) -> dict:
    """A clinic as the place patients come to; `hours` are its OpeningHours rows."""
    position = None
    if clinic.latitude is not None and clinic.longitude is not None:
        position = {"latitude": float(clinic.latitude), "longitude": float(clinic.longitude)}
    return drop_empty(
        {
            "resourceType": "Location",
            "id": str(clinic.pk),
            "meta": meta(clinic.updated_at),
            "identifier": [{"system": CLINIC_SYSTEM, "value": clinic.slug}],
            "status": "active" if clinic.is_active else "inactive",
            "name": clinic.name,
            "mode": "instance",
            "type": [concept(coding(ROLE_CODE, "DERM", "Dermatology clinic"))],
            "telecom": _telecom(clinic),
            "address": _address(clinic),
            "physicalType": concept(coding(PHYSICAL_TYPE, "bu", "Building")),
            "position": position,
            "managingOrganization": reference("Organization", clinic.pk, clinic.name),
            "hoursOfOperation": opening_hours(hours),
        }
    )


def _name(user) -> list[dict]:
    if not (user.first_name or user.last_name):
        return []
    return [{"use": "official", "family": user.last_name, "given": [user.first_name]}]


def display_name(user) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part)


def practitioner_resource(practitioner, status, updated) -> dict:
    """`status` is the practitioner's CredentialStatus today (clinics/credentials.py);
    `updated` the last change of what it says, the registration's lapse included."""
    body = practitioner.registering_body
    number = practitioner.registration_number
    identifiers = []
    if body and number:
        code, text = LICENCE_TYPES[body]
        identifiers.append(
            {
                "use": "official",
                "type": concept(coding(V2_0203, code, text)),
                "system": COUNCIL_SYSTEMS[body],
                "value": number,
            }
        )
    extensions = [{"url": VERIFICATION_EXTENSION, "valueBoolean": practitioner.is_verified}]
    extensions += [
        {"url": PROBLEM_EXTENSION, "valueCoding": coding(PROBLEM_SYSTEM, str(problem))}
        for problem in status.problems
    ]
    expires = practitioner.registration_expires_on
    qualification = {
        "extension": extensions,
        "identifier": identifiers,
        "code": concept(
            coding(
                QUALIFICATION_SYSTEM,
                practitioner.qualification,
                QUALIFICATIONS.get(practitioner.qualification),
            )
        ),
        "period": {"end": day(expires)} if expires else None,
        "issuer": {"display": COUNCILS[body]} if body else None,
    }
    user = practitioner.user
    return drop_empty(
        {
            "resourceType": "Practitioner",
            "id": str(practitioner.pk),
            "meta": meta(updated),
            "identifier": identifiers,
            "active": user.is_active,
            "name": _name(user),
            "qualification": [qualification],
        }
    )


def practitioner_role_resource(membership, practitioner, credentialed: bool, updated) -> dict:
    """One practitioner's membership of one clinic. `updated` is the latest of the membership's
    and the practitioner's last change and the registration's lapse."""
    clinic_id = membership.clinic_id
    role = ROLE_CODES.get(practitioner.qualification)
    codes = [concept(coding(PRACTITIONER_ROLE, *role))] if role else []
    specialty = [concept(DERMATOLOGY)] if practitioner.qualification == "dermatologist" else []
    return drop_empty(
        {
            "resourceType": "PractitionerRole",
            "id": str(membership.pk),
            "meta": meta(updated),
            "active": credentialed and membership.user.is_active,
            "period": {"start": day(membership.since)},
            "practitioner": reference(
                "Practitioner", practitioner.pk, display_name(membership.user)
            ),
            "organization": reference("Organization", clinic_id),
            "location": [reference("Location", clinic_id)],
            "code": codes,
            "specialty": specialty,
        }
    )
