"""The check-in link's states: altered (404, naming no clinic), expired (410, with the clinic's
number: the row is known), answered (a page that says so, and a new report from the same link
until it expires). Never a 500."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from mesoclinic.aftercare import links
from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.tests.check_in_helpers import answers, check_in, form_url, report_url
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import AdverseEvent

pytestmark = pytest.mark.django_db

PHONE = "(051) 2650100"


def _url_of(token, language="en"):
    return f"/{language}/check-in/{token}/"


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature altered
        lambda token: "9" + token,  # another check-in's id, same signature
        lambda token: token.split(".", 1)[0],  # cut short
        lambda token: "garbage",
        lambda token: "x" * 3000,
        lambda token: signing.dumps(token.split(".", 1)[0]),  # signed, for another purpose
    ],
)
def test_an_altered_link_answers_404_naming_no_clinic(client, charted, forge):
    token = forge(links.token_for(check_in(charted, 24).pk))

    for method in (client.get, client.post):
        response = method(_url_of(token))
        assert response.status_code == 404
        assert "This link does not open a page" in response.text
        assert "Clinic A" not in response.text and PHONE not in response.text
    assert not AuditEvent.objects.filter(object_type="aftercare.checkin", action="view")


def test_the_aftercare_pages_link_does_not_open_a_check_in(client, charted):
    from mesoclinic.care import aftercare_link

    token = aftercare_link.token_for(check_in(charted, 24).pk)
    assert client.get(_url_of(token)).status_code == 404


def test_a_link_to_a_check_in_that_does_not_exist_answers_404(client, charted):
    response = client.get(form_url(check_in(charted, 504).pk + 1000))
    assert response.status_code == 404


def test_an_expired_link_answers_410_with_the_clinics_number(client, charted, clinic_a):
    found = check_in(charted, 24)
    CheckIn.objects.filter(pk=found.pk).update(
        link_expires_at=timezone.now() - timedelta(minutes=1)
    )

    page = client.get(form_url(found.pk))
    posted = client.post(form_url(found.pk), answers())
    urdu = client.get(form_url(found.pk, "ur"))

    assert page.status_code == posted.status_code == urdu.status_code == 410
    assert "This link has expired" in page.text
    assert f'href="tel:{clinic_a.phone}"' in page.text and PHONE in page.text
    assert '<html lang="ur" dir="rtl">' in urdu.text and "This link has expired" not in urdu.text
    assert not SideEffect.objects.exists()
    assert CheckIn.objects.get(pk=found.pk).status == "due"


def test_its_pages_are_private_whatever_the_state(client, charted):
    for response in (client.get(_url_of("garbage")), client.get(form_url(99999))):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]


def test_an_answered_check_in_says_so_and_refuses_a_second_answer(client, charted):
    found = check_in(charted, 24)
    client.post(form_url(found.pk), answers(effects=["erythema"]))

    page = client.get(form_url(found.pk))
    again = client.post(form_url(found.pk), answers(effects=["swelling"], how_bad="3"))

    assert page.status_code == 200
    assert "This check-in has been answered" in page.text
    assert AuditEvent.objects.filter(
        object_type="aftercare.checkin", object_id=str(found.pk), action="view", actor=None
    ).exists()
    assert f'href="{report_url(found.pk)}"' in page.text
    assert again.status_code == 409 and "This check-in has been answered" in again.text
    assert list(SideEffect.objects.values_list("code", flat=True)) == ["erythema"]
    assert not AdverseEvent.objects.exists()


def test_the_answered_page_reminds_a_patient_whose_report_escalated_to_call(client, charted):
    found = check_in(charted, 72)
    client.post(form_url(found.pk), answers(how_bad="2"))
    page = client.get(form_url(found.pk)).text
    assert "The clinic has been told about the problem you reported." in page
    assert PHONE in page


def test_a_new_problem_is_reported_from_an_answered_link_as_a_new_check_in(client, charted):
    found = check_in(charted, 24)
    client.post(form_url(found.pk), answers(effects=["erythema"]))

    form = client.get(report_url(found.pk))
    response = client.post(report_url(found.pk), answers(effects=["nodule"], how_bad="2"))

    assert form.status_code == 200 and "Report a new problem" in form.text
    assert response.status_code == 200 and "What to do now" in response.text
    new = CheckIn.objects.exclude(pk=found.pk).get(kind=CheckIn.Kind.PATIENT)
    assert (new.session_id, new.status, new.channel) == (charted.pk, "answered", "link")
    assert new.recorded_by is None
    assert list(new.effects.values_list("code", "self_grade")) == [("nodule", 2)]
    assert AdverseEvent.objects.get().grade == 2
    assert AuditEvent.objects.filter(
        object_type="aftercare.checkin", object_id=str(new.pk), action="create", actor=None
    ).exists()


def test_a_report_from_a_link_still_due_goes_to_its_own_form(client, charted):
    found = check_in(charted, 24)
    response = client.get(report_url(found.pk))
    assert response.status_code == 302 and response["Location"] == form_url(found.pk)
    client.post(report_url(found.pk), answers())
    assert CheckIn.objects.count() == 3 and not SideEffect.objects.exists()


def test_a_report_is_refused_once_the_link_has_expired(client, charted):
    found = check_in(charted, 24)
    client.post(form_url(found.pk), answers(effects=["erythema"]))
    CheckIn.objects.filter(pk=found.pk).update(link_expires_at=timezone.now())

    response = client.post(report_url(found.pk), answers(effects=["nodule"]))

    assert response.status_code == 410
    assert CheckIn.objects.count() == 3 and SideEffect.objects.count() == 1


def test_a_refused_report_stores_nothing(client, charted):
    found = check_in(charted, 24)
    client.post(form_url(found.pk), answers(effects=["erythema"]))
    before = timezone.localdate() - timedelta(days=5)

    response = client.post(report_url(found.pk), answers(since="", since_date=before.isoformat()))

    assert response.status_code == 400
    assert "It cannot have begun before the session" in response.text
    assert CheckIn.objects.count() == 3 and SideEffect.objects.count() == 1


def test_a_cancelled_check_in_opens_no_form(client, charted):
    found = check_in(charted, 24)
    CheckIn.objects.filter(pk=found.pk).update(status=CheckIn.Status.CANCELLED)
    assert client.get(form_url(found.pk)).status_code == 410
    assert client.post(form_url(found.pk), answers()).status_code == 410
    assert not SideEffect.objects.exists()


def test_a_link_makes_at_most_five_reports_a_day_then_sends_the_patient_to_the_phone(
    client, charted
):
    found = check_in(charted, 24)
    client.post(form_url(found.pk), answers(effects=["erythema"]))
    for _ in range(5):
        assert client.post(report_url(found.pk), answers(effects=["erythema"])).status_code == 200

    response = client.post(report_url(found.pk), answers(effects=["swelling"], how_bad="3"))

    assert response.status_code == 429
    assert "Please call the clinic" in response.text and PHONE in response.text
    assert CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).count() == 5
    assert not SideEffect.objects.filter(code="swelling").exists()
