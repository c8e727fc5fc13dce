"""Reads for care: the screening policy, a patient's clinical facts and records, scoped by
`PatientRecordQuerySet.for_user`. Missing and not-yours look the same (404, audited)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, rules
from mesoclinic.care.models import (
    AftercareText,
    Allergy,
    BaselinePhoto,
    CareSettings,
    Consent,
    ConsentText,
    Consultation,
    ContraindicationRule,
    Course,
    CourseComponent,
    PatchTest,
    PatchTestItem,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.formulary.models import Ingredient, ProductIngredient
from mesoclinic.patients.selectors import _deny

HISTORY = 10


def current_policy() -> rules.Policy:
    """The active rules as the pure engine's Policy (one query).

    The ingredients the policy knows are the engine's vocabulary, the codes its rules can
    name. A clinic's own formulary ingredient is accepted as input (`accepted_ingredients`)
    but no rule can speak for it, so the engine screens it as "needs review", never eligible.
    """
    active = ContraindicationRule.objects.filter(is_active=True)
    return rules.Policy(rules=tuple(rule.as_rule() for rule in active))


def accepted_ingredients() -> frozenset[str]:
    """Ingredient codes a caller may name: the vocabulary and the formulary's active ones."""
    formulary = Ingredient.objects.filter(is_active=True).values_list("code", flat=True)
    return frozenset(rules.INGREDIENTS) | frozenset(formulary)


def care_settings(clinic_id: int) -> CareSettings:
    """The clinic's settings, or the defaults (unsaved) when it has not set its own."""
    return CareSettings.objects.filter(clinic_id=clinic_id).first() or CareSettings(
        clinic_id=clinic_id
    )


def allergy_codes(patient) -> list[str]:
    """The ingredient codes the patient is allergic to (one query; a patient or their id)."""
    return sorted(
        Allergy.objects.filter(patient=patient).values_list("ingredient__code", flat=True)
    )


def positive_patch_test_codes(patient) -> list[str]:
    """Every ingredient of every product applied in a positive patch test (one query; a
    patient or their id)."""
    codes = ProductIngredient.objects.filter(
        product__lots__patch_test_items__patch_test__patient=patient,
        product__lots__patch_test_items__patch_test__result=PatchTest.Result.POSITIVE,
    ).values_list("ingredient__code", flat=True)
    return sorted(set(codes))


def screening_outdated(consultation: Consultation) -> bool:
    """True when allergies or positive patch tests were recorded after this screening (two
    queries): the decision stands on old facts and a new consultation is needed."""
    patient_id = consultation.patient_id
    return allergy_codes(patient_id) != sorted(consultation.allergies) or (
        positive_patch_test_codes(patient_id) != sorted(consultation.positive_patch_tests)
    )


def latest_consultation(patient) -> Consultation | None:
    return Consultation.objects.filter(patient=patient).order_by("-id").first()


def current_consent_text(procedure: str) -> ConsentText | None:
    return (
        ConsentText.objects.filter(procedure=procedure, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def current_aftercare(procedure: str):
    return (
        AftercareText.objects.filter(procedure=procedure, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def _patch_tests():
    return PatchTest.objects.prefetch_related(
        Prefetch("items", PatchTestItem.objects.select_related("lot__product"))
    )


@dataclass
class CareSummary:
    consultations: list
    allergies: list
    patch_tests: list
    consents: list
    courses: list


def care_summary(patient, *, clinical: bool) -> CareSummary:
    """The care section of the patient page: recent records of each kind, in a fixed number of
    queries. `clinical` False (receptionists) leaves out consultations and patch tests."""
    consents = list(
        Consent.objects.filter(patient=patient)
        .select_related("text", "witness")
        .order_by("-id")[:HISTORY]
    )
    if not clinical:
        return CareSummary([], [], [], consents, [])
    return CareSummary(
        consultations=list(
            Consultation.objects.filter(patient=patient)
            .select_related("recorded_by")
            .order_by("-id")[:HISTORY]
        ),
        allergies=list(Allergy.objects.filter(patient=patient).select_related("ingredient")),
        patch_tests=list(_patch_tests().filter(patient=patient).order_by("-id")[:HISTORY]),
        consents=consents,
        courses=list(
            Course.objects.filter(patient=patient)
            .select_related("protocol_version__protocol")
            .order_by("-id")[:HISTORY]
        ),
    )


def _get(user, queryset, model, pk, *, via: str, audit: bool = True):
    try:
        record = queryset.for_user(user).get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise _deny(user, model, pk, via=via, message="Not found.") from None
    if audit:
        record_event(
            actor=user,
            action=Action.VIEW,
            via=via,
            instance=record,
            clinic_id=record.patient.registered_clinic_id,
        )
    return record


def get_consultation_for_user(user, pk, *, via: str, audit: bool = True) -> Consultation:
    queryset = Consultation.objects.select_related(
        "patient__registered_clinic", "recorded_by", "reviewed_by"
    ).prefetch_related("photos")
    return _get(user, queryset, Consultation, pk, via=via, audit=audit)


def get_patch_test_for_user(user, pk, *, via: str, audit: bool = True) -> PatchTest:
    queryset = _patch_tests().select_related(
        "patient__registered_clinic", "applied_by", "read_by", "backdate_attested_by__user"
    )
    return _get(user, queryset, PatchTest, pk, via=via, audit=audit)


def get_consent_for_user(user, pk, *, via: str, audit: bool = True) -> Consent:
    queryset = Consent.objects.select_related(
        "patient__registered_clinic", "text", "witness", "consultation"
    )
    return _get(user, queryset, Consent, pk, via=via, audit=audit)


def get_photo_for_user(user, pk, *, via: str) -> BaselinePhoto:
    return _get(user, BaselinePhoto.objects.select_related("patient"), BaselinePhoto, pk, via=via)


def care_panel(user, patient) -> dict:
    """What the patient page shows of the pathway for this user's role."""
    clinical = access.can_read_clinical(user)
    summary = care_summary(patient, clinical=clinical)
    latest = summary.consultations[0] if summary.consultations else None
    return {
        "clinical": clinical,
        "outdated": latest is not None and screening_outdated(latest),
        "can_record": access.can_record_clinical(user),
        "can_witness": access.can_witness_consent(user),
        "summary": summary,
    }


def _sessions():
    return TreatmentSession.objects.select_related(
        "practitioner__user", "course__protocol_version__protocol", "aftercare"
    ).prefetch_related(
        Prefetch("products", SessionProduct.objects.select_related("lot__product", "movement"))
    )


def get_course_for_user(user, pk, *, via: str, audit: bool = True) -> Course:
    queryset = Course.objects.select_related(
        "patient__registered_clinic", "protocol_version__protocol", "created_by"
    ).prefetch_related(
        Prefetch(
            "components",
            CourseComponent.objects.select_related(
                "protocol_component__ingredient", "protocol_component__product", "override"
            ),
        ),
        Prefetch("sessions", _sessions().order_by("number")),
    )
    return _get(user, queryset, Course, pk, via=via, audit=audit)


def get_session_for_user(user, pk, *, via: str, audit: bool = True) -> TreatmentSession:
    queryset = _sessions().select_related("patient__registered_clinic", "course")
    return _get(user, queryset, TreatmentSession, pk, via=via, audit=audit)


@dataclass
class ChartEntry:
    at: object
    kind: str  # consultation, patch_test, consent, course, session
    record: object
    # The time the record states (a session's end) and when it was entered: the chart says
    # "entered at" when they differ (`care.entries`).
    stated: object = None
    entered: object = None


def chart(patient) -> list[ChartEntry]:
    """Everything of the patient's pathway, newest first, in a fixed number of queries however
    long the history: one per kind of record plus its prefetches."""
    entries = [
        ChartEntry(c.recorded_at, "consultation", c, c.recorded_at, c.entered_at)
        for c in Consultation.objects.filter(patient=patient).select_related("recorded_by")
    ]
    entries += [
        ChartEntry(t.applied_at, "patch_test", t, t.applied_at, t.entered_at)
        for t in _patch_tests().filter(patient=patient).select_related("applied_by", "read_by")
    ]
    entries += [
        ChartEntry(c.signed_at, "consent", c, c.signed_at, c.entered_at)
        for c in Consent.objects.filter(patient=patient).select_related("text", "witness")
    ]
    entries += [
        ChartEntry(c.entered_at, "course", c, c.entered_at, c.entered_at)
        for c in Course.objects.filter(patient=patient)
        .select_related("protocol_version__protocol")
        .prefetch_related(
            Prefetch(
                "components",
                CourseComponent.objects.select_related(
                    "protocol_component__ingredient", "protocol_component__product"
                ),
            )
        )
    ]
    # What the gate saw (`gate`, a few kB each) is shown on the session's page, not the chart.
    sessions = _sessions().filter(patient=patient).defer("gate")
    entries += [ChartEntry(s.started_at, "session", s, s.ended_at, s.entered_at) for s in sessions]
    entries.sort(key=lambda entry: (entry.at, entry.kind), reverse=True)
    return entries
