"""Staff patient pages: who sees what, bad input, search, audit and query counts."""

import logging
from datetime import date, timedelta

import pytest
from django.urls import reverse

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.models import AuditEvent
from mesoclinic.patients.models import Patient

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return {
        "registered_clinic": "",
        "first_name": "Sana",
        "last_name": "Sheikh",
        "name_ur": "ثنا شیخ",
        "date_of_birth": "1995-07-21",
        "sex": "female",
        "cnic": "۶۱۱۰۱-۱۲۳۴۵۶۷-۸",
        "mobile": "0333-5556667",
        "email": "",
        "preferred_language": "ur",
        "fitzpatrick_type": "4",
        "emergency_contact_name": "",
        "emergency_contact_relation": "",
        "emergency_contact_phone": "",
        **overrides,
    }


def test_it_sends_anonymous_visitors_to_log_in(client, patient_a):
    response = client.get(reverse("patients:detail", args=[patient_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.PATIENT, None])
def test_it_refuses_users_without_a_staff_role(client, make_user, clinic_a, patient_a, role):
    client.force_login(make_user("someone", role, [clinic_a]))
    assert client.get(reverse("patients:list")).status_code == 403
    assert client.get(reverse("patients:detail", args=[patient_a.pk])).status_code == 403


def test_the_outsider_gets_404_for_another_clinics_patient_and_the_attempt_is_audited(
    client, outsider, patient_a
):
    client.force_login(outsider)
    for name in ("patients:detail", "patients:edit"):
        response = client.get(reverse(name, args=[patient_a.pk]))
        assert response.status_code == 404
        assert patient_a.first_name not in response.text
    response = client.post(reverse("patients:edit", args=[patient_a.pk]), _form())
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(action="denied", actor=outsider, object_id=str(patient_a.pk))
    assert denied.count() == 3
    assert not AuditEvent.objects.filter(action="view", actor=outsider).exists()


def test_the_list_shows_only_the_users_clinics_patients(client, receptionist, patient_a, patient_b):
    client.force_login(receptionist)
    response = client.get(reverse("patients:list"))
    assert patient_a.mrn in response.text
    assert patient_b.mrn not in response.text


def test_the_administrator_lists_every_clinics_patients(
    client, administrator, patient_a, patient_b
):
    client.force_login(administrator)
    response = client.get(reverse("patients:list"))
    assert patient_a.mrn in response.text and patient_b.mrn in response.text


def test_registering_with_urdu_digits_stores_the_cnic_and_shows_it_5_7_1(
    client, receptionist, clinic_a
):
    client.force_login(receptionist)
    response = client.post(reverse("patients:create"), _form(registered_clinic=clinic_a.pk))
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert (patient.cnic, patient.mobile) == ("6110112345678", "+923335556667")
    page = client.get(response.url)
    assert "61101-1234567-8" in page.text
    assert patient.mrn in page.text


def test_a_receptionist_cannot_register_a_patient_at_another_clinic(client, receptionist, clinic_b):
    client.force_login(receptionist)
    response = client.post(reverse("patients:create"), _form(registered_clinic=clinic_b.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cnic", "35202-12345-1", "A CNIC has 13 digits"),
        ("mobile", "12345", "not a valid mobile"),
        ("date_of_birth", str(date.today() + timedelta(days=2)), "in the future"),
        ("date_of_birth", "1890-01-01", "more than 120 years ago"),
        ("first_name", "", "This field is required"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    client, receptionist, clinic_a, field, value, message
):
    client.force_login(receptionist)
    response = client.post(
        reverse("patients:create"), _form(registered_clinic=clinic_a.pk, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_duplicate_cnic_is_refused_on_the_form_naming_the_existing_mrn(
    client, receptionist, clinic_a, patient_a
):
    client.force_login(receptionist)
    response = client.post(
        reverse("patients:create"),
        _form(registered_clinic=clinic_a.pk, cnic=patient_a.cnic_display),
    )
    assert response.status_code == 400
    assert f"already registered: {patient_a.mrn}" in response.text
    assert Patient.objects.count() == 1


def test_editing_keeps_what_was_typed_when_refused_and_saves_when_valid(
    client, receptionist, patient_a
):
    client.force_login(receptionist)
    url = reverse("patients:edit", args=[patient_a.pk])
    form = _form(first_name=patient_a.first_name, cnic=patient_a.cnic, mobile="0300 77")
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert 'value="0300 77"' in refused.text
    saved = client.post(url, {**form, "mobile": "0321-7654321"})
    assert saved.status_code == 302
    patient_a.refresh_from_db()
    assert patient_a.mobile == "+923217654321"


@pytest.mark.parametrize(
    "typed",
    ["0300-{m}", "+92 300 {m}", "{cnic}", "{mrn}", "Zainab Qur"],
)
def test_one_search_box_finds_a_patient_by_mobile_cnic_mrn_or_name(
    client, receptionist, make_patient, clinic_a, typed
):
    target = make_patient(
        clinic_a, first_name="Zainab", last_name="Qureshi", mobile="+923004445556"
    )
    other = make_patient(clinic_a, first_name="Hamza", last_name="Iqbal")
    client.force_login(receptionist)
    query = typed.format(m="4445556", cnic=target.cnic_display, mrn=target.mrn)
    response = client.get(reverse("patients:list"), {"q": query})
    assert target.mrn in response.text
    assert other.mrn not in response.text


def test_htmx_search_returns_only_the_results_table(client, receptionist, patient_a):
    client.force_login(receptionist)
    response = client.get(reverse("patients:list"), {"q": "Zainab"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert patient_a.mrn in response.text


def test_search_terms_never_reach_the_audit_trail_or_the_logs(
    client, receptionist, patient_a, caplog
):
    client.force_login(receptionist)
    with caplog.at_level(logging.DEBUG):
        client.get(reverse("patients:list"), {"q": patient_a.cnic_display})
    event = AuditEvent.objects.get(action="list")
    assert event.detail == {"results": 1, "search": "cnic"}
    assert patient_a.cnic not in caplog.text and patient_a.cnic_display not in caplog.text


def test_the_list_pages_with_a_keyset_cursor(client, receptionist, make_patient, clinic_a):
    patients = [make_patient(clinic_a) for _ in range(27)]
    client.force_login(receptionist)
    first = client.get(reverse("patients:list"))
    cursor = first.context["page"].next_cursor
    assert cursor == patients[2].pk  # newest first: 25 shown, the 3 oldest on the next page
    second = client.get(reverse("patients:list"), {"before": cursor})
    assert [p.pk for p in second.context["page"].patients] == [patients[1].pk, patients[0].pk]
    assert second.context["page"].next_cursor is None


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_page_costs_the_same_queries_however_many_patients(
    client, receptionist, make_patient, clinic_a, django_assert_num_queries, count
):
    for _ in range(count):
        make_patient(clinic_a)
    client.force_login(receptionist)
    # session, user, the user's groups, one page of patients with their clinic, the audit
    # insert, the user's clinics for the filter
    with django_assert_num_queries(7):  # +1: the session's second factor
        response = client.get(reverse("patients:list"))
    assert response.status_code == 200


def test_form_errors_speak_urdu_when_the_staff_member_does(client, receptionist, clinic_a):
    client.force_login(receptionist)
    client.cookies["django_language"] = "ur"
    response = client.post(
        reverse("patients:create"),
        _form(registered_clinic=clinic_a.pk, cnic="35202-123", mobile="051-5550100"),
    )
    assert response.status_code == 400
    assert "شناختی کارڈ نمبر 13 ہندسوں کا ہوتا ہے" in response.text
    assert "اس میں 8 ہیں" in response.text
    assert "لینڈ لائن" in response.text


def test_the_list_narrows_to_one_of_the_users_clinics(
    client, make_user, clinic_a, clinic_b, make_patient
):
    in_a, in_b = make_patient(clinic_a), make_patient(clinic_b)
    client.force_login(make_user("both", Role.RECEPTIONIST, [clinic_a, clinic_b]))
    everyone = client.get(reverse("patients:list"))
    assert in_a.mrn in everyone.text and in_b.mrn in everyone.text
    only_b = client.get(reverse("patients:list"), {"clinic": clinic_b.slug})
    assert in_b.mrn in only_b.text and in_a.mrn not in only_b.text


def test_a_name_birth_date_and_mobile_match_elsewhere_is_refused_on_the_form_and_audited(
    client, outsider, clinic_b, patient_a
):
    client.force_login(outsider)
    response = client.post(
        reverse("patients:create"),
        _form(
            registered_clinic=clinic_b.pk,
            first_name=patient_a.first_name.upper(),
            last_name=patient_a.last_name,
            date_of_birth=patient_a.date_of_birth.isoformat(),
            cnic="",
            mobile=patient_a.mobile,
        ),
    )
    assert response.status_code == 400
    assert "registered at another clinic of the chain" in response.text
    assert patient_a.mrn not in response.text
    assert AuditEvent.objects.filter(
        action="denied", actor=outsider, object_id=str(patient_a.pk)
    ).exists()


def test_a_forged_session_cookie_with_a_null_character_is_400(client):
    client.cookies["sessionid"] = "\x00abc"
    assert client.get(reverse("login")).status_code == 400


@pytest.mark.parametrize("typed", ["Mehwish", "Baloch", "مہوش", "بلوچ", "Mehwish Baloch"])
def test_a_name_search_finds_only_the_patients_each_person_may_see(
    typed, make_patient, make_user, clinic_a, clinic_b, receptionist, outsider, administrator
):
    from mesoclinic.accounts.roles import Role
    from mesoclinic.patients.selectors import search_patients

    at_a = make_patient(clinic_a, first_name="Mehwish", last_name="Baloch", name_ur="مہوش بلوچ")
    at_b = make_patient(clinic_b, first_name="Mehwish", last_name="Baloch", name_ur="مہوش بلوچ")
    patient = make_user("a_patient", Role.PATIENT, [clinic_a])
    nobody = make_user("no_role", None, [clinic_a])

    def found(user):
        return set(search_patients(user, typed)[0])

    assert found(administrator) == {at_a, at_b}
    assert found(receptionist) == {at_a}
    assert found(outsider) == {at_b}
    assert found(patient) == found(nobody) == set()
