"""record_score: the stored value is the calculator's, the scoping and the session's course are
checked, a second score of the same slot corrects the first (audited), and the screening's
baseline reads as a point on the chart."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesoclinic.aftercare import scales
from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.aftercare.services.scores import baseline_from_screening, record_score
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Consultation

pytestmark = pytest.mark.django_db

REGIONS = ("forehead", "right_malar", "left_malar", "chin")


def mmasi(area, darkness):
    return {r: {"area": area, "darkness": darkness} for r in REGIONS}


def score(user, charted, *, session=True, scale="mmasi", inputs=None, **extra):
    return record_score(
        acting_user=user,
        via=Interface.WEB,
        course=charted.course,
        session=charted if session else None,
        scale=scale,
        inputs=inputs if inputs is not None else mmasi(3, 2),
        **extra,
    )


def test_it_stores_the_calculators_value_with_who_scored(charted, dermatologist):
    stored = score(dermatologist.user, charted)
    assert stored.value == scales.score("mmasi", mmasi(3, 2)).score == Decimal("6")
    assert stored.scored_by == dermatologist.user
    assert (stored.patient_id, stored.clinic_id) == (charted.patient_id, charted.clinic_id)
    assert stored.inputs == mmasi(3, 2) and stored.rater == "clinician"
    assert AuditEvent.objects.filter(
        action="create", object_type="aftercare.outcomescore", object_id=str(stored.pk)
    ).exists()


def test_it_stores_the_band_and_a_decimal_density(charted, dermatologist):
    gais = score(dermatologist.user, charted, scale="gais", inputs={"rating": 2}, rater="patient")
    assert (gais.value, gais.band, gais.rater) == (2, "much improved", "patient")
    hair = score(
        dermatologist.user, charted, scale="hair_count", inputs={"hairs": 100, "area_cm2": 0.7}
    )
    hair.refresh_from_db()
    assert hair.value == Decimal("142.86") and hair.inputs == {"hairs": 100, "area_cm2": 0.7}


def test_scoring_the_same_slot_again_corrects_it_and_keeps_the_old_value_in_the_audit(
    charted, dermatologist
):
    first = score(dermatologist.user, charted)
    second = score(dermatologist.user, charted, inputs=mmasi(4, 4))
    assert second.pk == first.pk and OutcomeScore.objects.count() == 1
    assert OutcomeScore.objects.get().value == Decimal("16")
    update = AuditEvent.objects.get(
        action="update", object_type="aftercare.outcomescore", object_id=str(first.pk)
    )
    assert update.detail["previous"]["value"] == "6.00"
    # The patient's own GAIS is another slot than the clinician's.
    score(dermatologist.user, charted, scale="gais", inputs={"rating": 3})
    score(dermatologist.user, charted, scale="gais", inputs={"rating": 1}, rater="patient")
    assert OutcomeScore.objects.filter(scale="gais").count() == 2


def test_a_baseline_is_a_score_without_a_session(charted, dermatologist):
    baseline = score(dermatologist.user, charted, session=False)
    assert baseline.session is None and baseline.course_id == charted.course_id


def test_out_of_range_input_is_refused_naming_the_fields_and_nothing_is_stored(
    charted, dermatologist
):
    bad = mmasi(3, 2)
    bad["forehead"] = {"area": 7, "darkness": -1}
    with pytest.raises(ValidationError) as refused:
        score(dermatologist.user, charted, inputs=bad)
    assert set(refused.value.message_dict) == {"forehead.area", "forehead.darkness"}
    assert not OutcomeScore.objects.exists()


def test_another_clinics_course_is_refused(charted, make_practitioner, clinic_b):
    derm_b = make_practitioner("derm_b", clinic_b)
    with pytest.raises(PermissionDenied):
        score(derm_b.user, charted)
    assert not OutcomeScore.objects.exists()


def test_a_role_that_does_not_record_clinically_is_refused(charted, manager, receptionist):
    for user in (manager, receptionist):
        with pytest.raises(PermissionDenied):
            score(user, charted)


def test_a_session_of_another_course_is_refused(
    charted, dermatologist, make_patient, clinic_a, make_ready
):
    other = make_ready(make_patient(clinic_a))
    with pytest.raises(ValidationError) as refused:
        record_score(
            acting_user=dermatologist.user,
            via=Interface.WEB,
            course=other,
            session=charted,
            scale="mmasi",
            inputs=mmasi(1, 1),
        )
    assert "session" in refused.value.message_dict
    assert not OutcomeScore.objects.exists()


def test_an_unknown_scale_or_rater_is_refused(charted, dermatologist):
    with pytest.raises(ValidationError):
        score(dermatologist.user, charted, scale="dlqi")
    with pytest.raises(ValidationError):
        score(dermatologist.user, charted, rater="nurse")


def test_the_screening_baseline_reads_as_a_point(charted):
    course = charted.course
    assert baseline_from_screening(course) is None
    Consultation.objects.filter(pk=course.consultation_id).update(
        baseline_scale="mmasi", baseline_value=Decimal("7.20")
    )
    course.consultation.refresh_from_db()
    reading = baseline_from_screening(course)
    assert (reading.scale, reading.value, reading.source) == ("mmasi", Decimal("7.20"), "screening")
