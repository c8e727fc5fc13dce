"""The clinic directory over FHIR: Organization and Location (each clinic), Practitioner and
PractitionerRole (each practitioner's registration and clinics), scoped by the clinics' rule,
not audited, a constant number of queries per page."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services as clinic_services
from mesoclinic.clinics.models import Membership, OpeningHours, Practitioner
from mesoclinic.fhir.mapping.common import PMDC_SYSTEM, version_of
from mesoclinic.fhir.mapping.directory import (
    PNMC_SYSTEM,
    PROBLEM_EXTENSION,
    VERIFICATION_EXTENSION,
)
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.restapi.testing import TOKEN_QUERIES

pytestmark = pytest.mark.django_db


def get(api, path, params=None, status=200) -> dict:
    response = api.fhir_get(path, params)
    assert response.status_code == status, response.content
    body = response.json()
    assert_valid(body)
    return body


def ids(bundle, mode="match") -> list[tuple[str, str]]:
    return [
        (e["resource"]["resourceType"], e["resource"]["id"])
        for e in bundle.get("entry", [])
        if e["search"]["mode"] == mode
    ]


@pytest.fixture
def doctor(make_practitioner, clinic_a):
    return make_practitioner("derm_a", clinic_a, number="12345-P")


@pytest.fixture
def nurse(make_practitioner, clinic_b):
    return make_practitioner("nurse_b", clinic_b, qualification="nurse", verified=False)


@pytest.fixture
def api(fhir_as, receptionist):
    return fhir_as(receptionist)


def warm(api):
    """The token's first use writes its last-used time; count the requests after it."""
    api.fhir_get("Organization", {"_count": 0})


# --- Organization ---------------------------------------------------------------------------


def test_it_serves_the_users_clinics_as_organizations(api, clinic_a, clinic_b):
    bundle = get(api, "Organization")
    assert ids(bundle) == [("Organization", str(clinic_a.pk))]
    organization = get(api, f"Organization/{clinic_a.pk}")
    assert organization["name"] == clinic_a.name
    assert organization["identifier"] == [
        {"system": "https://fhir.mesoclinic.pk/sid/clinic", "value": "clinic-a"}
    ]
    get(api, f"Organization/{clinic_b.pk}", status=404)


def test_it_searches_organizations_by_each_parameter(fhir_as, administrator, clinic_a, clinic_b):
    api = fhir_as(administrator)
    clinic_b.is_active = False
    clinic_b.save()
    expected = {
        (("name", "clinic b"),): [clinic_b],
        (("identifier", "https://fhir.mesoclinic.pk/sid/clinic|clinic-a"),): [clinic_a],
        (("identifier", "other|clinic-a"),): [],
        (("active", "false"),): [clinic_b],
        (("address-city", "Islam"),): [clinic_a],
    }
    for params, clinics in expected.items():
        bundle = get(api, "Organization", dict(params))
        assert ids(bundle) == [("Organization", str(c.pk)) for c in clinics], params
    assert api.fhir_get("Organization", {"active": "maybe"}).status_code == 400


def test_it_moves_an_organizations_version_when_the_clinic_changes(api, clinic_a):
    before = get(api, f"Organization/{clinic_a.pk}")["meta"]
    clinic_a.phone = "+92512650199"
    clinic_a.save()
    after = get(api, f"Organization/{clinic_a.pk}")["meta"]
    assert after["versionId"] != before["versionId"]
    assert after["lastUpdated"] > before["lastUpdated"]


# --- Location -------------------------------------------------------------------------------


@pytest.fixture
def hours(clinic_a):
    for weekday in range(5):  # a prayer break every weekday
        OpeningHours.objects.create(
            clinic=clinic_a, weekday=weekday, opens=time(9), closes=time(13)
        )
        OpeningHours.objects.create(
            clinic=clinic_a, weekday=weekday, opens=time(14), closes=time(18)
        )
    OpeningHours.objects.create(clinic=clinic_a, weekday=5, opens=time(9), closes=time(13))


def test_it_serves_each_clinic_as_a_location(api, clinic_a, hours):
    clinic_a.latitude, clinic_a.longitude = Decimal("33.720000"), Decimal("73.060000")
    clinic_a.email = "a@example.org"
    clinic_a.save()
    location = get(api, f"Location/{clinic_a.pk}")
    assert location["status"] == "active"
    assert location["position"] == {"latitude": 33.72, "longitude": 73.06}
    assert location["address"]["city"] == "Islamabad"
    assert location["managingOrganization"]["reference"] == f"Organization/{clinic_a.pk}"
    assert {"system": "email", "value": "a@example.org", "use": "work"} in location["telecom"]
    assert location["hoursOfOperation"] == [
        {
            "daysOfWeek": ["mon", "tue", "wed", "thu", "fri", "sat"],
            "openingTime": "09:00:00",
            "closingTime": "13:00:00",
        },
        {
            "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
            "openingTime": "14:00:00",
            "closingTime": "18:00:00",
        },
    ]


def test_it_leaves_out_the_position_of_a_clinic_without_one(api, clinic_a):
    assert "position" not in get(api, f"Location/{clinic_a.pk}")


def test_it_searches_locations(fhir_as, administrator, clinic_a, clinic_b):
    api = fhir_as(administrator)
    expected = {
        "name": ("Clinic A", [clinic_a]),
        "address-city": ("lahore", [clinic_b]),
        "address": ("Gulberg", [clinic_b]),
        "organization": (f"Organization/{clinic_a.pk}", [clinic_a]),
    }
    for name, (value, clinics) in expected.items():
        bundle = get(api, "Location", {name: value})
        assert ids(bundle) == [("Location", str(c.pk)) for c in clinics], name


def test_it_answers_another_clinics_location_with_404(fhir_as, outsider, clinic_a):
    get(fhir_as(outsider), f"Location/{clinic_a.pk}", status=404)


def test_it_reads_a_page_of_locations_in_constant_queries(
    fhir_as, administrator, make_user, hours, django_assert_num_queries
):
    from mesoclinic.clinics.models import Clinic

    for n in range(4):
        clinic = Clinic.objects.create(
            name=f"Clinic {n}", slug=f"c{n}", city="Karachi", address="x", phone="+922135550100"
        )
        OpeningHours.objects.create(clinic=clinic, weekday=0, opens=time(9), closes=time(17))
    api = fhir_as(administrator)
    warm(api)
    # TOKEN_QUERIES, then 1 the token and its user, 2 the user's roles, 3 the clinics,
    # 4 their opening hours.
    with django_assert_num_queries(TOKEN_QUERIES + 4):
        bundle = get(api, "Location")
    assert len(ids(bundle)) == 5


# --- Practitioner ---------------------------------------------------------------------------


def test_it_serves_a_credentialed_practitioner_with_their_registration(api, doctor):
    resource = get(api, f"Practitioner/{doctor.pk}")
    assert resource["identifier"][0]["system"] == PMDC_SYSTEM
    assert resource["identifier"][0]["value"] == "12345-P"
    assert resource["name"] == [{"use": "official", "given": ["Derm_A"]}]
    assert resource["active"] is True
    [qualification] = resource["qualification"]
    assert qualification["code"]["coding"][0]["code"] == "dermatologist"
    assert qualification["period"]["end"] == doctor.registration_expires_on.isoformat()
    assert qualification["issuer"]["display"] == "Pakistan Medical and Dental Council"
    assert qualification["extension"] == [{"url": VERIFICATION_EXTENSION, "valueBoolean": True}]


def test_it_says_why_a_registration_does_not_stand(fhir_as, administrator, nurse):
    resource = get(fhir_as(administrator), f"Practitioner/{nurse.pk}")
    assert resource["identifier"][0]["system"] == PNMC_SYSTEM
    [qualification] = resource["qualification"]
    problems = [e["valueCoding"]["code"] for e in qualification["extension"][1:]]
    assert qualification["extension"][0]["valueBoolean"] is False
    assert [e["url"] for e in qualification["extension"][1:]] == [PROBLEM_EXTENSION]
    assert problems == ["unverified"]


def test_it_moves_a_practitioners_version_when_the_registration_changes(api, doctor, administrator):
    before = get(api, f"Practitioner/{doctor.pk}")["meta"]
    clinic_services.record_registration(
        acting_user=administrator,
        via=Interface.ADMIN,
        practitioner=doctor,
        number="99999-P",
        expires_on=date.today() + timedelta(days=30),
    )
    after = get(api, f"Practitioner/{doctor.pk}")
    assert after["meta"]["versionId"] != before["versionId"]
    assert after["identifier"][0]["value"] == "99999-P"
    # The new number is not verified yet: its qualification says so.
    assert after["qualification"][0]["extension"][0]["valueBoolean"] is False


def test_it_moves_the_practitioner_and_role_versions_when_the_account_changes(
    api, doctor, clinic_a
):
    """The name and the account's being active live on the user: changing them is a change
    to the Practitioner and its PractitionerRole (an incremental export must see it)."""
    role = Membership.objects.get(user=doctor.user, clinic=clinic_a)
    before = get(api, f"Practitioner/{doctor.pk}")["meta"]["versionId"]
    role_before = get(api, f"PractitionerRole/{role.pk}")["meta"]["versionId"]
    doctor.user.last_name = "Renamed"
    doctor.user.save()
    after = get(api, f"Practitioner/{doctor.pk}")
    assert after["meta"]["versionId"] != before
    assert after["name"][0]["family"] == "Renamed"
    assert get(api, f"PractitionerRole/{role.pk}")["meta"]["versionId"] != role_before
    # A sign-in saves only last_login: nothing the resources show, no new version.
    doctor.user.last_login = timezone.now()
    doctor.user.save(update_fields=["last_login"])
    assert get(api, f"Practitioner/{doctor.pk}")["meta"]["versionId"] == after["meta"]["versionId"]


def test_it_dates_a_lapsed_registration_from_its_lapse(api, doctor, administrator, clinic_a):
    """A registration that expired after its last change changed when it lapsed: the
    practitioner and the role say so in their versions."""
    expired = date.today() - timedelta(days=10)
    clinic_services.record_registration(
        acting_user=administrator,
        via=Interface.ADMIN,
        practitioner=doctor,
        number=doctor.registration_number,
        expires_on=expired,
    )
    long_ago = timezone.now() - timedelta(days=40)
    Practitioner.objects.filter(pk=doctor.pk).update(updated_at=long_ago)
    Membership.objects.filter(user=doctor.user).update(updated_at=long_ago)
    lapsed = datetime.combine(
        expired + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    resource = get(api, f"Practitioner/{doctor.pk}")
    assert resource["meta"]["versionId"] == version_of(lapsed)
    assert [e["valueCoding"]["code"] for e in resource["qualification"][0]["extension"][1:]] == [
        "unverified",
        "expired",
    ]
    role = get(api, f"PractitionerRole/{Membership.objects.get(user=doctor.user).pk}")
    assert role["active"] is False
    assert role["meta"]["versionId"] == version_of(lapsed)


def test_it_shows_only_practitioners_of_the_users_clinics(api, doctor, nurse):
    assert ids(get(api, "Practitioner")) == [("Practitioner", str(doctor.pk))]
    get(api, f"Practitioner/{nurse.pk}", status=404)


def test_it_searches_practitioners(fhir_as, administrator, doctor, nurse):
    api = fhir_as(administrator)
    expected = {
        (("identifier", f"{PMDC_SYSTEM}|12345-p"),): [doctor],
        (("identifier", f"{PNMC_SYSTEM}|12345-P"),): [],
        (("identifier", nurse.registration_number),): [nurse],
        (("name", "nurse"),): [nurse],
        (("active", "true"),): [nurse, doctor],
    }
    for params, practitioners in expected.items():
        bundle = get(api, "Practitioner", dict(params))
        assert ids(bundle) == [("Practitioner", str(p.pk)) for p in practitioners], params
    nurse.user.is_active = False
    nurse.user.save()
    assert ids(get(api, "Practitioner", {"active": "false"})) == [("Practitioner", str(nurse.pk))]


def test_it_reads_a_page_of_practitioners_in_constant_queries(
    fhir_as, manager, make_practitioner, clinic_a, django_assert_num_queries
):
    for n in range(4):
        make_practitioner(f"doc{n}", clinic_a)
    api = fhir_as(manager)
    warm(api)
    # TOKEN_QUERIES, then 1 the token and its user, 2 the user's roles, 3 the practitioners
    # with their users.
    with django_assert_num_queries(TOKEN_QUERIES + 3):
        bundle = get(api, "Practitioner")
    assert len(ids(bundle)) == 4


# --- PractitionerRole -----------------------------------------------------------------------


def test_it_serves_each_membership_as_a_practitioner_role(api, doctor, clinic_a):
    membership = Membership.objects.get(user=doctor.user, clinic=clinic_a)
    role = get(api, f"PractitionerRole/{membership.pk}")
    assert role["active"] is True
    assert role["practitioner"]["reference"] == f"Practitioner/{doctor.pk}"
    assert role["organization"]["reference"] == f"Organization/{clinic_a.pk}"
    assert role["location"] == [{"reference": f"Location/{clinic_a.pk}"}]
    assert role["code"][0]["coding"][0]["code"] == "doctor"
    assert role["period"] == {"start": membership.since.isoformat()}


def test_it_marks_the_role_of_an_unverified_practitioner_inactive(
    fhir_as, administrator, nurse, clinic_b
):
    api = fhir_as(administrator)
    membership = Membership.objects.get(user=nurse.user)
    before = get(api, f"PractitionerRole/{membership.pk}")
    assert before["active"] is False
    clinic_services.verify_practitioner(
        acting_user=administrator, via=Interface.ADMIN, practitioner=nurse, evidence="PNMC list"
    )
    after = get(api, f"PractitionerRole/{membership.pk}")
    assert after["active"] is True
    assert after["meta"]["versionId"] != before["meta"]["versionId"]


def test_it_searches_practitioner_roles(fhir_as, administrator, doctor, nurse, clinic_a, clinic_b):
    api = fhir_as(administrator)
    doctor_role = Membership.objects.get(user=doctor.user).pk
    nurse_role = Membership.objects.get(user=nurse.user).pk
    expected = {
        "practitioner": (f"Practitioner/{nurse.pk}", [nurse_role]),
        "organization": (f"Organization/{clinic_a.pk}", [doctor_role]),
        "location": (f"Location/{clinic_b.pk}", [nurse_role]),
        "active": ("true", [doctor_role]),
    }
    for name, (value, roles) in expected.items():
        bundle = get(api, "PractitionerRole", {name: value})
        assert ids(bundle) == [("PractitionerRole", str(pk)) for pk in roles], name
    assert ids(get(api, "PractitionerRole", {"active": "false"})) == [
        ("PractitionerRole", str(nurse_role))
    ]


def test_it_leaves_staff_without_a_practitioner_record_out_of_roles(api, doctor, receptionist):
    bundle = get(api, "PractitionerRole")
    assert len(ids(bundle)) == 1  # the receptionist's own membership is no PractitionerRole


def test_it_includes_practitioners_and_clinics_without_more_queries(
    fhir_as, manager, make_practitioner, clinic_a, django_assert_num_queries
):
    for n in range(3):
        make_practitioner(f"doc{n}", clinic_a)
    api = fhir_as(manager)
    warm(api)
    params = {"_include": ["PractitionerRole:practitioner", "PractitionerRole:organization"]}
    # TOKEN_QUERIES, then 1 the token and its user, 2 the user's roles, 3 the memberships
    # joined to their practitioners, users and clinics (the includes read those rows).
    with django_assert_num_queries(TOKEN_QUERIES + 3):
        bundle = get(api, "PractitionerRole", params)
    assert len(ids(bundle)) == 3
    included = ids(bundle, "include")
    assert sorted(kind for kind, _id in included) == ["Organization"] + ["Practitioner"] * 3


def test_it_does_not_audit_directory_reads(api, doctor, clinic_a):
    for path in ("Organization", "Location", "Practitioner", "PractitionerRole"):
        get(api, path)
    get(api, f"Practitioner/{doctor.pk}")
    assert not AuditEvent.objects.filter(interface=Interface.FHIR).exists()
