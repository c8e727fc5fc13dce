"""The score entry pages: a session's scores (`aftercare:score`), a course's baseline
(`aftercare:baseline`) and the live value (`aftercare:score_preview`)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from mesoclinic.aftercare import labels, scales
from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

REGIONS = ("forehead", "right_malar", "left_malar", "chin")


def mmasi_form(area="3", darkness="2", **extra):
    data = {"scale": "mmasi", "rater": "clinician"}
    for region in REGIONS:
        data[f"{region}.area"] = area
        data[f"{region}.darkness"] = darkness
    return {**data, **extra}


def test_it_offers_the_melasma_scales_and_links_from_the_session(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    session_page = client.get(reverse("care:session", args=[charted.pk])).text
    url = reverse("aftercare:score", args=[charted.pk])
    assert f'href="{url}"' in session_page
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="forehead.area"' in page.text and 'name="forehead.homogeneity"' not in page.text
    assert "?scale=masi" in page.text and "?scale=satisfaction" in page.text
    assert "?scale=norwood" not in page.text
    assert page["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(
        action="view", object_type="care.treatmentsession", object_id=str(charted.pk)
    ).exists()


def test_saving_stores_the_calculated_score_with_who_scored(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:score", args=[charted.pk])
    response = client.post(url, mmasi_form())
    assert response.status_code == 302
    stored = OutcomeScore.objects.get()
    assert stored.value == scales.score("mmasi", stored.inputs).score == 6
    assert (stored.session_id, stored.scored_by) == (charted.pk, dermatologist.user)
    page = client.get(response["Location"]).text
    assert "Saved:" in page
    assert 'id="stored-scores"' in page and "6" in page.split('id="stored-scores"')[1]


def test_out_of_range_input_is_refused_and_nothing_is_stored(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:score", args=[charted.pk])
    response = client.post(url, mmasi_form(area="7"))
    assert response.status_code == 400
    assert "nothing has been saved" in response.text
    assert not OutcomeScore.objects.exists()


def test_the_baseline_form_stores_a_score_without_a_session(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:baseline", args=[charted.course_id])
    assert f'href="{url}"' in client.get(reverse("care:course", args=[charted.course_id])).text
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"scale": "satisfaction", "rating": "4", "rater": "patient"}).status_code
        == 302
    )
    stored = OutcomeScore.objects.get()
    assert (stored.session, stored.scale, stored.value, stored.rater) == (
        None,
        "satisfaction",
        4,
        "patient",
    )


def test_an_outsider_gets_404_and_a_receptionist_403(
    client, charted, make_practitioner, clinic_b, receptionist
):
    client.force_login(make_practitioner("derm_b", clinic_b).user)
    for url in (
        reverse("aftercare:score", args=[charted.pk]),
        reverse("aftercare:baseline", args=[charted.course_id]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, mmasi_form()).status_code == 404
    assert not OutcomeScore.objects.exists()
    client.force_login(receptionist)
    assert client.get(reverse("aftercare:score", args=[charted.pk])).status_code == 403


def test_a_manager_reads_the_scores_but_may_not_save_one(client, charted, manager):
    client.force_login(manager)
    url = reverse("aftercare:score", args=[charted.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="score-form"' not in page.text
    assert client.post(url, mmasi_form()).status_code == 403


def test_the_live_fragment_shows_the_value_as_typed(client, dermatologist):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:score_preview", args=["mmasi"])
    assert "6.0" in client.post(url, mmasi_form()).text
    partial = client.post(url, {"forehead.area": "3"}).text
    assert "shown when every field is filled" in partial
    gais = client.post(reverse("aftercare:score_preview", args=["gais"]), {"rating": "2"}).text
    assert "Much improved" in gais
    assert client.post(reverse("aftercare:score_preview", args=["dlqi"]), {}).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(
    client, charted, dermatologist, django_assert_num_queries
):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:score", args=[charted.pk])
    client.post(url, mmasi_form())
    client.get(url)
    # the login session, the user, their groups; the treatment session with its course,
    # consultation and patient (scoped in the same query); the audit row; the session's scores
    # with who scored
    with django_assert_num_queries(7):  # +1: the session's second factor
        client.get(url)
    client.post(url, {"scale": "satisfaction", "rating": "8", "rater": "patient"})
    client.post(url, mmasi_form(darkness="4", rater="patient"))
    with django_assert_num_queries(7):  # +1: the session's second factor
        page = client.get(url)
    assert page.text.count("<tr>") >= 3


def test_the_page_speaks_urdu(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    page = client.get(reverse("aftercare:score", args=[charted.pk])).text
    with translation.override("ur"):
        assert str(labels.SCORE_REGIONS["forehead"]) in page
        assert str(labels.SCALES["mmasi"]) in page
        assert "نتائج کے اسکور" in page
    assert "Save score" not in page


def test_every_score_word_has_its_urdu(settings):
    with translation.override("ur"):
        for words in (
            labels.SCALES,
            labels.SCORE_REGIONS,
            labels.SCORE_INPUTS,
            labels.GAIS,
            labels.GLOGAU,
            labels.RATERS,
            labels.GAIS_BANDS,
        ):
            for word in words.values():
                urdu = str(word)
                with translation.override("en"):
                    assert urdu != str(word), str(word)
