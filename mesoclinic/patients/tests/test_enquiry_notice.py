"""The clinic's notice of a new appointment request goes through the outbox, written with the
request: none without the request, and a link built on the site's public address when no
request gave one (the seeding command, a shell)."""

import pytest
from django.db import transaction

from mesoclinic.audit.services import Interface
from mesoclinic.notifications.models import Message
from mesoclinic.patients.models import Enquiry
from mesoclinic.patients.services import submit_enquiry

pytestmark = pytest.mark.django_db

REQUEST = {"name": "Visitor", "mobile": "+923001111111", "preferred_language": "ur"}


@pytest.fixture
def clinic(clinic_a):
    clinic_a.email = "frontdesk@clinic-a.example"
    clinic_a.save(update_fields=["email"])
    return clinic_a


def test_it_links_the_inbox_on_the_public_address_without_a_request(settings, clinic):
    settings.PUBLIC_BASE_URL = "https://clinic.example.pk"

    submit_enquiry(clinic=clinic, data=REQUEST, via=Interface.CLI)

    notice = Message.objects.get()
    assert notice.values == {
        "clinic": "Clinic A Islamabad",
        "inbox_url": "https://clinic.example.pk/patients/enquiries/",
    }
    assert notice.language == "en"  # the clinic's staff read English notices


def test_it_queues_no_notice_when_the_request_is_rolled_back(clinic):
    class Later(Exception):
        pass

    with pytest.raises(Later), transaction.atomic():
        submit_enquiry(clinic=clinic, data=REQUEST)
        raise Later

    assert not Enquiry.objects.exists() and not Message.objects.exists()
