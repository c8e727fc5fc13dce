"""Credentialed means: a PMDC number, verified as it stands, not expired. One rule everywhere."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services
from mesoclinic.clinics.credentials import CredentialProblem, credential_status
from mesoclinic.clinics.messages import credential_messages
from mesoclinic.clinics.models import Practitioner

TODAY = date(2026, 11, 24)


@given(
    number=st.sampled_from(["", "12345-P"]),
    verified=st.booleans(),
    expires=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))),
)
def test_a_practitioner_is_credentialed_only_with_a_verified_unexpired_registration(
    number, verified, expires
):
    status = credential_status(
        registration_number=number, verified=verified, expires_on=expires, today=TODAY
    )
    expected = bool(number) and verified and expires is not None and expires >= TODAY
    assert status.credentialed is expected
    assert len(credential_messages(status.codes())) == len(status.problems)


def test_it_names_every_problem_at_once():
    status = credential_status(
        registration_number="", verified=False, expires_on=TODAY - timedelta(days=1), today=TODAY
    )
    assert status.problems == (
        CredentialProblem.NO_REGISTRATION,
        CredentialProblem.UNVERIFIED,
        CredentialProblem.EXPIRED,
    )


def test_a_registration_is_valid_through_its_expiry_day():
    assert credential_status(
        registration_number="1-P", verified=True, expires_on=TODAY, today=TODAY
    ).credentialed


@pytest.fixture
def practitioner(make_user, clinic_a, administrator):
    user = make_user("doc", "practitioner", [clinic_a])
    practitioner = Practitioner.objects.create(user=user, qualification="dermatologist")
    services.record_registration(
        acting_user=administrator,
        via=Interface.CLI,
        practitioner=practitioner,
        number=" 12345-p ",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    return practitioner


@pytest.mark.django_db
def test_the_query_and_the_object_agree_through_verification_edit_and_expiry(
    practitioner, administrator
):
    def both():
        from_query = Practitioner.objects.credentialed().filter(pk=practitioner.pk).exists()
        practitioner.refresh_from_db()
        assert from_query is practitioner.is_credentialed
        return from_query

    assert practitioner.registration_number == "12345-P"
    assert both() is False  # not yet verified
    services.verify_practitioner(
        acting_user=administrator,
        via=Interface.WEB,
        practitioner=practitioner,
        evidence="PMDC register checked by phone",
    )
    assert both() is True
    # A new number (or expiry) must be verified again.
    services.record_registration(
        acting_user=administrator,
        via=Interface.WEB,
        practitioner=practitioner,
        number="99999-P",
        expires_on=practitioner.registration_expires_on,
    )
    assert both() is False
    services.verify_practitioner(
        acting_user=administrator, via=Interface.WEB, practitioner=practitioner, evidence="ok"
    )
    assert both() is True
    later = practitioner.registration_expires_on + timedelta(days=1)
    assert not Practitioner.objects.credentialed(on=later).filter(pk=practitioner.pk).exists()
    assert not practitioner.credential_status(on=later).credentialed


@pytest.mark.django_db
def test_verification_is_audited_and_needs_evidence(practitioner, administrator):
    with pytest.raises(ValueError, match="evidence"):
        services.verify_practitioner(
            acting_user=administrator, via=Interface.WEB, practitioner=practitioner, evidence=" "
        )
    services.verify_practitioner(
        acting_user=administrator, via=Interface.ADMIN, practitioner=practitioner, evidence="seen"
    )
    event = AuditEvent.objects.filter(object_type="clinics.practitioner").first()
    assert (event.actor, event.changed_fields, event.interface) == (
        administrator,
        ["verification"],
        "admin",
    )
