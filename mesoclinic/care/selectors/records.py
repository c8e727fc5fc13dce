"""A patient's care records as a user may see them: the patient page's care panel, the
chart, and single records. Every read goes through `for_user` (`clinics.scoping`, the one
rule), so a receptionist's lists simply hold no clinical record. Missing and not-yours look the
same (404, audited)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access
from mesoclinic.care.models import (
    Allergy,
    BaselinePhoto,
    Consent,
    Consultation,
    Course,
    CourseComponent,
    PatchTest,
    PatchTestItem,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.care.selectors.facts import screening_outdated
from mesoclinic.care.selectors.recording import recorder
from mesoclinic.clinics import scoping

HISTORY = 10


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


def care_summary(user, patient) -> CareSummary:
    """The care section of the patient page: the patient's recent records of each kind that
    `user` may see (`for_user`: a receptionist's hold the consents only), in a fixed number of
    queries, none for a kind the user does not read."""

    def recent(records):
        return list(records.for_user(user).filter(patient=patient).order_by("-id")[:HISTORY])

    return CareSummary(
        consultations=recent(Consultation.objects.select_related("recorded_by")),
        # Retracted ones too: the page shows them struck through, with the reason.
        allergies=list(
            Allergy.objects.for_user(user)
            .filter(patient=patient)
            .select_related("ingredient", "retracted_by")
        ),
        patch_tests=recent(_patch_tests()),
        consents=recent(Consent.objects.select_related("text", "witness")),
        courses=recent(Course.objects.select_related("protocol_version__protocol")),
    )


def _get(user, queryset, model, pk, *, via: str, audit: bool = True):
    try:
        record = queryset.for_user(user).get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, model, pk, via=via, message="Not found.") from None
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


def get_allergy_for_user(user, pk, *, via: str, audit: bool = True) -> Allergy:
    queryset = Allergy.objects.select_related(
        "patient__registered_clinic", "ingredient", "recorded_by", "retracted_by"
    )
    return _get(user, queryset, Allergy, pk, via=via, audit=audit)


def get_photo_for_user(user, pk, *, via: str) -> BaselinePhoto:
    return _get(user, BaselinePhoto.objects.select_related("patient"), BaselinePhoto, pk, via=via)


def care_panel(user, patient) -> dict:
    """What the patient page shows of the pathway for this user's role: the clinical sections
    only for a role the scoping rule lets read clinical records."""
    clinical = scoping.reaches(user, scoping.Kind.CLINICAL)
    summary = care_summary(user, patient)
    latest = summary.consultations[0] if summary.consultations else None
    can_record = access.can_record_clinical(user)
    # Each button only for who may use it (three queries, only for practitioners).
    person = recorder(user, patient.registered_clinic_id) if can_record else None
    return {
        "clinical": clinical,
        "outdated": latest is not None and screening_outdated(latest),
        "can_record": can_record,
        "may": person.steps_allowed() if person else {},
        # The same facts as `access.can_retract_allergy`, without another query.
        "can_retract": person is not None and person.credentialed_dermatologist,
        "can_witness": access.can_witness_consent(user),
        "summary": summary,
    }


def _sessions():
    return TreatmentSession.objects.select_related(
        "practitioner__user", "course__protocol_version__protocol", "aftercare"
    ).prefetch_related(
        Prefetch("products", SessionProduct.objects.select_related("lot__product", "movement"))
    )


def planned_components():
    """A course's planned components as the gate, the dose checks and the plan's fingerprint
    read them (to prefetch as "components"): each with its protocol component, that
    component's ingredient and product, and the override on the plan."""
    return CourseComponent.objects.select_related(
        "protocol_component__ingredient", "protocol_component__product", "override"
    )


def get_course_for_user(user, pk, *, via: str, audit: bool = True, sessions: bool = True) -> Course:
    """The course with its plan and, unless `sessions` is False (charting a session needs
    none of them), its sessions with their products."""
    prefetch = [Prefetch("components", planned_components())]
    if sessions:
        prefetch.append(Prefetch("sessions", _sessions().order_by("number")))
    queryset = Course.objects.select_related(
        "patient__registered_clinic", "protocol_version__protocol", "created_by"
    ).prefetch_related(*prefetch)
    return _get(user, queryset, Course, pk, via=via, audit=audit)


def get_session_for_user(user, pk, *, via: str, audit: bool = True) -> TreatmentSession:
    queryset = _sessions().select_related("patient__registered_clinic", "course", "clinic")
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


#: What the chart shows of a lot: its product's brand and its number (patch test items,
#: session lines).
_LOT = ("lot__lot_number", "lot__product__brand")


def chart(user, patient) -> list[ChartEntry]:
    """Everything of the patient's pathway that `user` may see (`for_user`), newest first, in
    a fixed number of queries however long the history: one per kind of record plus its
    prefetches. Each reads only the columns the chart shows (`only`): a consultation's facts,
    a session's gate and the people who recorded them are on their own pages, and building
    and decoding them cost most of the chart's time (issue 23)."""

    def of_patient(records):
        return records.for_user(user).filter(patient=patient)

    consultations = of_patient(
        Consultation.objects.only("recorded_at", "entered_at", "decision", "reasons")
    )
    patch_tests = of_patient(
        PatchTest.objects.only("applied_at", "entered_at", "result", "read_at", "read_entered_at")
    ).prefetch_related(
        Prefetch(
            "items",
            PatchTestItem.objects.select_related("lot__product").only("patch_test", *_LOT),
        )
    )
    consents = of_patient(
        Consent.objects.select_related("text").only(
            "signed_at", "entered_at", "invalidated_at", "text__title_en", "text__version"
        )
    )
    courses = of_patient(
        Course.objects.select_related("protocol_version__protocol").only(
            "entered_at",
            "status",
            "protocol_version__protocol__name",
            "protocol_version__protocol__name_ur",
        )
    ).prefetch_related(
        Prefetch(
            "components",
            CourseComponent.objects.select_related(
                "protocol_component__ingredient", "protocol_component__product"
            ).only(
                "course",
                "volume_per_session",
                "protocol_component__concentration",
                "protocol_component__unit",
                "protocol_component__ingredient__name",
                "protocol_component__ingredient__name_ur",
                "protocol_component__product__brand",
            ),
        )
    )
    sessions = of_patient(
        TreatmentSession.objects.only("number", "started_at", "ended_at", "entered_at")
    ).prefetch_related(
        Prefetch(
            "products",
            SessionProduct.objects.select_related("lot__product").only("session", "volume", *_LOT),
        )
    )
    entries = [
        ChartEntry(c.recorded_at, "consultation", c, c.recorded_at, c.entered_at)
        for c in consultations
    ]
    entries += [
        ChartEntry(t.applied_at, "patch_test", t, t.applied_at, t.entered_at) for t in patch_tests
    ]
    entries += [ChartEntry(c.signed_at, "consent", c, c.signed_at, c.entered_at) for c in consents]
    entries += [ChartEntry(c.entered_at, "course", c, c.entered_at, c.entered_at) for c in courses]
    entries += [ChartEntry(s.started_at, "session", s, s.ended_at, s.entered_at) for s in sessions]
    entries.sort(key=lambda entry: (entry.at, entry.kind), reverse=True)
    return entries
