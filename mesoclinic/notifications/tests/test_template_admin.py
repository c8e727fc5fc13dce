"""Clinic-editable message templates: seeded from the catalogue, edited in the admin as new
versions (the old one kept for the messages that name it), refused when a placeholder is
unknown or dropped, previewed in both languages with SMS segments."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import message_templates
from mesoclinic.notifications.catalogue import DEFAULT_TEMPLATES
from mesoclinic.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(administrator):
    # Admin pages check model permissions; the administrator account is a superuser in the
    # demo (the formulary's admin tests do the same).
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    return administrator


URDU = "{clinic}: شکریہ۔ ہدایات: {link} فون: {phone} پیغامات بند کریں: {opt_out}"


def test_the_migration_seeds_every_default_in_both_languages():
    seeded = set(
        MessageTemplate.objects.filter(clinic_id__isnull=True, version=1).values_list(
            "code", "language"
        )
    )
    assert seeded == {(code, language) for code in DEFAULT_TEMPLATES for language in ("en", "ur")}
    aftercare = MessageTemplate.objects.get(code="aftercare", language="ur", clinic_id=None)
    assert aftercare.whatsapp_parameters == ["clinic", "link", "phone", "opt_out"]


def test_an_edit_in_the_admin_is_a_new_version(client, superuser, clinic_a):
    client.force_login(superuser)
    first = message_templates.save_version(
        acting_user=superuser, clinic_id=clinic_a.pk, code="aftercare", language="ur", text=URDU
    )
    url = reverse("admin:notifications_messagetemplate_change", args=[first.pk])

    response = client.post(
        url,
        {
            "text": "نیا " + URDU,
            "title": "",
            "whatsapp_template": "mesoclinic_aftercare",
            "whatsapp_parameters": "clinic, link, phone, opt_out",
            "source": "Shorter wording",
        },
    )

    assert response.status_code == 302, response.text[:2000]
    first.refresh_from_db()
    assert first.text == URDU  # unchanged: sent messages name it
    second = MessageTemplate.objects.get(clinic_id=clinic_a.pk, language="ur", version=2)
    assert second.text.startswith("نیا ")
    assert second.created_by == superuser
    assert second.whatsapp_parameters == ["clinic", "link", "phone", "opt_out"]
    assert AuditEvent.objects.filter(
        object_type="notifications.messagetemplate", object_id=str(second.pk), action="create"
    ).exists()
    chosen = message_templates.choose(code="aftercare", clinic_id=clinic_a.pk, language="ur")
    assert chosen.version == second


def test_the_admin_adds_a_clinics_first_version(client, superuser, clinic_a):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:notifications_messagetemplate_add"),
        {
            "clinic_id": clinic_a.pk,
            "code": "maintenance-recall",
            "language": "en",
            "text": "{clinic}: time for your maintenance session. Call {phone}. Stop: {opt_out}",
            "title": "",
            "whatsapp_template": "",
            "whatsapp_parameters": "",
            "source": "",
        },
    )
    assert response.status_code == 302
    row = MessageTemplate.objects.get(clinic_id=clinic_a.pk)
    assert (row.code, row.version) == ("maintenance-recall", 1)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("{clinic}: {link} {phone} {opt_out} {diagnosis}", "Unknown placeholders: {diagnosis}"),
        ("{clinic}: {link} {phone}", "must keep these placeholders: {opt_out}"),
        ("{clinic}: {link} {phone} {opt_out} {0}", "not placeholders: {0}"),
    ],
)
def test_the_admin_refuses_wording_that_could_not_be_sent(client, superuser, text, complaint):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:notifications_messagetemplate_add"),
        {"code": "aftercare", "language": "en", "text": text, "whatsapp_parameters": ""},
    )
    assert response.status_code == 200
    assert complaint in response.text
    assert not MessageTemplate.objects.filter(version=2).exists()
    assert MessageTemplate.objects.filter(clinic_id__isnull=False).count() == 0


def test_it_refuses_whatsapp_parameters_that_are_not_placeholders():
    with pytest.raises(ValidationError) as refused:
        message_templates.validate(
            code="aftercare",
            text=DEFAULT_TEMPLATES["aftercare"].text["en"],
            whatsapp_parameters=["clinic", "cnic"],
        )
    assert "whatsapp_parameters" in refused.value.message_dict


def test_the_preview_shows_both_languages_with_sample_values_and_segments(client, superuser):
    client.force_login(superuser)
    urdu = MessageTemplate.objects.get(code="aftercare", language="ur", clinic_id=None)

    response = client.get(reverse("admin:notifications_messagetemplate_change", args=[urdu.pk]))

    assert response.status_code == 200
    text = response.text
    assert 'lang="ur" dir="rtl"' in text
    assert "mesoclinic Islamabad F-7: تشریف لانے کا شکریہ" in text
    assert "mesoclinic Islamabad F-7: thank you for your visit." in text
    assert "SMS segment(s), UCS-2" in text  # Urdu: 70 characters a segment
    assert "SMS segment(s), GSM-7" in text


def test_a_version_cannot_be_deleted(client, superuser):
    client.force_login(superuser)
    row = MessageTemplate.objects.first()
    response = client.post(
        reverse("admin:notifications_messagetemplate_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert MessageTemplate.objects.filter(pk=row.pk).exists()


def test_the_clinics_newest_version_wins_over_the_chains(administrator, clinic_a, clinic_b):
    for _ in range(2):
        message_templates.save_version(
            acting_user=administrator,
            clinic_id=clinic_a.pk,
            code="aftercare",
            language="ur",
            text=URDU,
        )
    mine = message_templates.choose(code="aftercare", clinic_id=clinic_a.pk, language="ur")
    theirs = message_templates.choose(code="aftercare", clinic_id=clinic_b.pk, language="ur")
    assert (mine.version.clinic_id, mine.version.version) == (clinic_a.pk, 2)
    assert (theirs.version.clinic_id, theirs.version.version) == (None, 1)
