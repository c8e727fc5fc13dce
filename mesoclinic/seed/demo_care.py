"""Demo clinical pathway for `seed_demo`: at every clinic, one patient screened, patch-tested,
planned and consented on the plan (with a printed PDF), one whose screening needs a
dermatologist's review, and one pregnant patient the engine refuses. Everything goes through
the services."""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care import selectors
from mesoclinic.care.models import Consultation
from mesoclinic.care.services import consents, courses, patch_tests, screening, sessions
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.formulary.models import Lot, ProtocolVersion

VIA = Interface.CLI
logger = logging.getLogger(__name__)

#: A signature-like scribble in the pad's 600 × 200 box.
SIGNATURE = [
    [[60, 140], [90, 60], [120, 140], [150, 70], [185, 135]],
    [[210, 120], [260, 80], [300, 130], [350, 75], [420, 125], [500, 90]],
]


def _input(**facts):
    data = {
        "indication": "melasma",
        "pregnant": False,
        "breastfeeding": False,
        "may_become_pregnant": False,
        "fitzpatrick_type": 4,
        "planned_ingredients": ["tranexamic_acid"],
        "text": {"concerns": "Brown patches on the cheeks for two years (demo)."},
        **facts,
    }
    return screening.ConsultationInput(**data)


def seed(*, clinics, patients_by_clinic) -> None:
    User = get_user_model()
    for clinic in clinics:
        code = clinic.slug.split("-")[-1]
        doctor = User.objects.filter(memberships__clinic=clinic, username__startswith="doctor.")
        reception = User.objects.filter(
            memberships__clinic=clinic, username__startswith="reception."
        )
        doctor, reception = doctor.first(), reception.first()
        patients = patients_by_clinic.get(clinic.pk, [])[:3]
        if doctor is None or reception is None or len(patients) < 3:
            logger.info("care demo skipped for clinic %s", code)
            continue
        if Consultation.objects.filter(patient__in=patients).exists():
            continue  # seeded already
        ready, review, pregnant = patients
        _ready_for_treatment(doctor, reception, ready, clinic)
        screening.record_consultation(
            acting_user=doctor,
            via=VIA,
            patient=review,
            data=_input(medications=["antiplatelet"]),
        )
        screening.record_consultation(
            acting_user=doctor, via=VIA, patient=pregnant, data=_input(pregnant=True)
        )


def _ready_for_treatment(doctor, reception, patient, clinic) -> None:
    ready = ready_course(doctor, reception, patient, clinic)
    if ready is not None:
        chart_session(doctor, *ready)


def ready_course(doctor, reception, patient, clinic):
    """Screen `patient` for melasma with tranexamic acid, patch-test them negative on the
    clinic's soonest-expiring TXA lot, plan a course from the approved melasma protocol and have
    them sign the current consent, which names that plan: everything the safety gate asks for
    before session one.
    (course, the patch-tested lot), or None when the clinic has no such lot, consent text or
    protocol. Used by the demo and by `make bench`, which charts sessions on these courses."""
    screening.record_consultation(acting_user=doctor, via=VIA, patient=patient, data=_input())
    today = timezone.localdate()
    lot = txa_lot(clinic, today)
    if lot is not None:
        test = patch_tests.apply_patch_test(
            acting_user=doctor,
            via=VIA,
            patient=patient,
            lots=[lot],
            site="behind_ear",
            applied_at=timezone.now() - timedelta(hours=30),
            # Demo history: read today, so applied yesterday; the dermatologist attests it.
            backdate_reason="Demo: applied yesterday, entered from the paper record.",
        )
        patch_tests.read_patch_test(acting_user=doctor, via=VIA, patch_test=test, result="negative")
    text = selectors.current_consent_text(PROCEDURE_FOR_INDICATION["melasma"])
    version = ProtocolVersion.objects.filter(
        status=ProtocolVersion.Status.APPROVED, protocol__indication="melasma"
    ).first()
    if text is None or lot is None or version is None:
        return None
    course = courses.create_course(
        acting_user=doctor,
        via=VIA,
        patient=patient,
        version=version,
        plan=course_rules.Plan(
            version.sessions_min, version.interval_days_min, version.maintenance_days_min
        ),
        start_date=today,
        components=[
            courses.PlannedComponent(c, c.volume_per_session_min or c.volume_per_session_max)
            for c in version.components.all()
        ],
    )
    # The consent names the plan (its products, sessions and interval), so it follows it.
    consents.sign_consent(
        acting_user=reception,
        via=VIA,
        patient=patient,
        text=text,
        language=patient.preferred_language,
        signer_name=patient.full_name,
        signature_data=SIGNATURE,
        photo_consent=False,
    )
    return course, lot


def txa_lot(clinic, today):
    return (
        Lot.objects.filter(
            clinic=clinic,
            status=Lot.Status.AVAILABLE,
            expires_on__gte=today,
            product__components__ingredient__code="tranexamic_acid",
            balance__gte=5,
        )
        .order_by("expires_on", "pk")
        .first()
    )


def chart_session(doctor, plan, lot):
    """The course's next session, charted now through the gate like any other (the doctor is a
    credentialed dermatologist), on the lot the patient was patch-tested on."""
    version = plan.protocol_version
    now = timezone.now()
    return sessions.record_session(
        acting_user=doctor,
        via=VIA,
        course=plan,
        data=sessions.SessionInput(
            lines=[
                sessions.Line(
                    lot=lot,
                    volume=plan.components.first().volume_per_session,
                    zones=["cheek_left", "cheek_right", "forehead"],
                )
            ],
            points=40,
            technique=version.technique,
            depth=version.depth,
            needle=version.needle,
            started_at=now,
            ended_at=now,
            pregnant_today=False,
            breastfeeding_today=False,
            reactions="Mild redness, settled before leaving (demo).",
        ),
    )
