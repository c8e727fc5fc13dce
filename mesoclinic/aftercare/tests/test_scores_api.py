"""POST /api/v1/scores/<scale>/ and GET /api/v1/scores/?patient=<id>."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.restapi.testing import SESSION_QUERIES

pytestmark = pytest.mark.django_db

REGIONS = ("forehead", "right_malar", "left_malar", "chin")


def masi(area=6, darkness=4, homogeneity=4):
    return {r: {"area": area, "darkness": darkness, "homogeneity": homogeneity} for r in REGIONS}


def api(user=None, token=False):
    client = APIClient()
    if user is not None and token:
        _row, key = ApiToken.issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    elif user is not None:
        client.force_authenticate(user)
    return client


def post(user, scale, body, **extra):
    return api(user, **extra).post(f"/api/v1/scores/{scale}/", body, format="json")


def test_it_scores_the_worst_melasma_48_with_no_band(practitioner_user):
    response = post(practitioner_user, "masi", masi(), token=True)
    assert response.status_code == 200
    assert response.json() == {"score": 48, "band": None}


def test_it_answers_each_scale_with_its_band(receptionist):
    assert post(receptionist, "mmasi", {r: {"area": 3, "darkness": 3} for r in REGIONS}).json() == {
        "score": 9.0,
        "band": None,
    }
    assert post(receptionist, "fitzpatrick", {"answers": [2] * 10}).json() == {
        "score": 20,
        "band": "III",
    }
    assert post(receptionist, "gais", {"rating": 1}).json() == {
        "score": 1,
        "band": "very much improved",
    }
    assert post(receptionist, "norwood", {"stage": "IIIv"}).json()["band"] == "IIIv"
    assert post(receptionist, "hair_count", {"hairs": 150, "area_cm2": 1}).json()["score"] == 150


def test_out_of_range_grades_answer_400_naming_each_field(practitioner_user):
    body = masi()
    body["forehead"] = {"area": 7, "darkness": -1, "homogeneity": 2}
    response = post(practitioner_user, "masi", body)
    assert response.status_code == 400
    assert set(response.json()) == {"forehead.area", "forehead.darkness"}


def test_a_missing_region_and_a_boolean_grade_answer_400(practitioner_user):
    body = masi()
    del body["chin"]
    body["forehead"]["darkness"] = True
    response = post(practitioner_user, "masi", body)
    assert response.status_code == 400
    assert set(response.json()) == {"chin", "forehead.darkness"}
    assert post(practitioner_user, "gais", {"rating": 2.0}).status_code == 400
    assert post(practitioner_user, "masi", [1, 2]).status_code == 400


def test_an_unknown_scale_is_404(practitioner_user):
    response = post(practitioner_user, "dlqi", {"rating": 1})
    assert response.status_code == 404
    assert "masi" in response.json()["detail"]


def test_it_needs_a_staff_account(make_user):
    assert post(None, "masi", masi()).status_code == 401
    assert post(make_user("someone", "patient"), "masi", masi()).status_code == 403


def test_the_schema_documents_each_scale(practitioner_user):
    schema = api(practitioner_user).get("/api/v1/schema/?format=json").json()
    for scale in ("masi", "mmasi", "fitzpatrick", "gais", "norwood", "ludwig", "glogau"):
        assert f"/api/v1/scores/{scale}/" in schema["paths"]
    region = schema["components"]["schemas"]["MasiRegionRequest"]["properties"]
    assert region["area"]["maximum"] == 6 and region["darkness"]["maximum"] == 4
    assert "/api/v1/scores/" in schema["paths"]


def test_the_list_shows_a_patients_scores_to_their_clinic_only_and_is_audited(
    charted, dermatologist, make_practitioner, clinic_b, patient_a
):
    record_score(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        course=charted.course,
        session=charted,
        scale="gais",
        inputs={"rating": 2},
    )
    response = api(dermatologist.user).get(f"/api/v1/scores/?patient={patient_a.pk}")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["scale"], row["band"], row["session"]) == ("gais", "much improved", charted.pk)
    assert AuditEvent.objects.filter(
        action="list", object_type="aftercare.outcomescore", detail__results=1
    ).exists()
    derm_b = make_practitioner("derm_b", clinic_b)
    assert api(derm_b.user).get(f"/api/v1/scores/?patient={patient_a.pk}").json()["results"] == []
    assert api(derm_b.user).get(f"/api/v1/scores/{row['id']}/").status_code == 404
    assert api(dermatologist.user).get(f"/api/v1/scores/{row['id']}/").status_code == 200


def test_the_list_refuses_receptionists_and_bad_ids(receptionist, practitioner_user):
    assert api(receptionist).get("/api/v1/scores/").status_code == 403
    assert api(practitioner_user).get("/api/v1/scores/?patient=abc").status_code == 400


def test_the_list_reads_a_fixed_number_of_queries(
    charted, dermatologist, django_assert_num_queries
):
    client = api(dermatologist.user)
    url = f"/api/v1/scores/?patient={charted.patient_id}"

    def scored(scale, inputs):
        record_score(
            acting_user=dermatologist.user,
            via=Interface.WEB,
            course=charted.course,
            session=charted,
            scale=scale,
            inputs=inputs,
        )

    scored("gais", {"rating": 2})
    # the page of scores (scoped in the same query) and the audit row; the user's roles and
    # clinics are cached on the (forced) user after the first request
    client.get(url)
    # ... and the throttle (restapi/testing.py)
    with django_assert_num_queries(2 + SESSION_QUERIES):
        client.get(url)
    scored("satisfaction", {"rating": 8})
    scored("glogau", {"type": "II"})
    with django_assert_num_queries(2 + SESSION_QUERIES):
        assert len(client.get(url).json()["results"]) == 3
