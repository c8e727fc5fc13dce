"""Reads for care: the screening policy, a patient's clinical facts and records, scoped by
`PatientRecordQuerySet.for_user`. Missing and not-yours look the same (404, audited)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone, translation

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, consent_plan, rules
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
from mesoclinic.clinics import credentials
from mesoclinic.clinics.credentials import CredentialProblem, Step
from mesoclinic.clinics.models import Membership, Practitioner
from mesoclinic.formulary import lot_words, stock
from mesoclinic.formulary.models import Ingredient, Lot, ProductIngredient
from mesoclinic.patients.selectors import _deny

HISTORY = 10


def current_policy(*, settings: CareSettings | None = None) -> rules.Policy:
    """The active rules as the pure engine's Policy (one query), as a clinic applies them
    when its `settings` are given (its own adult age in the age rules), else the chain's.

    The ingredients the policy knows are the engine's vocabulary, the codes its rules can
    name. A clinic's own formulary ingredient is accepted as input (`accepted_ingredients`)
    but no rule can speak for it, so the engine screens it as "needs review", never eligible.
    """
    active = ContraindicationRule.objects.filter(is_active=True)
    policy = rules.Policy(rules=tuple(rule.as_rule() for rule in active))
    return policy.with_adult_age(settings.adult_age if settings is not None else None)


def clinic_policy(clinic_id: int) -> rules.Policy:
    """The policy as the clinic applies it (two queries: its settings, the rules)."""
    return current_policy(settings=care_settings(clinic_id))


#: The adult age used only when neither the clinic nor any screening rule gives one (the
#: chain deleted its minor rule): a parent or guardian still signs below it. Data decides in
#: every other case (the "minor" rule's adult_age, or the clinic's own).
FALLBACK_ADULT_AGE = 18


def adult_age(clinic_id: int) -> int:
    """The age from which the clinic treats a patient as an adult: its own setting, else the
    chain's age rule (the highest, active or not: switching review off does not let a child
    sign), else FALLBACK_ADULT_AGE. Two queries at most."""
    own = care_settings(clinic_id).adult_age
    if own is not None:
        return own
    ages = ContraindicationRule.objects.filter(adult_age__isnull=False).values_list(
        "adult_age", flat=True
    )
    return max(ages, default=FALLBACK_ADULT_AGE)


def accepted_ingredients() -> frozenset[str]:
    """Ingredient codes a caller may name: the vocabulary and the formulary's active ones."""
    formulary = Ingredient.objects.filter(is_active=True).values_list("code", flat=True)
    return frozenset(rules.INGREDIENTS) | frozenset(formulary)


@dataclass(frozen=True)
class LotOption:
    """A lot on the charting page's list, with why it cannot be used now (empty: usable)."""

    lot: Lot
    why: tuple[str, ...]

    @property
    def usable(self) -> bool:
        return not self.why


def session_lot_options(course: Course, product_ids, *, now: datetime) -> list[LotOption]:
    """The course's clinic's lots with stock left of `product_ids` (the products the plan may
    use), usable lots first and the first to expire first (FEFO), then the unusable ones with
    why (recalled, expired, quarantined, vial past its discard time). One query, whatever the
    number of lots (lot_clinic_expiry_idx); emptied lots are left out, and refused in words if
    posted."""
    lots = (
        Lot.objects.filter(clinic_id=course.clinic_id, product__in=product_ids, balance__gt=0)
        .select_related("product")
        .order_by("expires_on", "id")
    )
    options = [LotOption(lot, tuple(lot_words.why_unusable(lot, now=now))) for lot in lots]
    return sorted(
        options,
        key=lambda o: stock.fefo_key(
            usable=o.usable, expires_on=o.lot.expires_on, lot_number=o.lot.lot_number
        ),
    )


def care_settings(clinic_id: int) -> CareSettings:
    """The clinic's settings, or the defaults (unsaved) when it has not set its own."""
    return CareSettings.objects.filter(clinic_id=clinic_id).first() or CareSettings(
        clinic_id=clinic_id
    )


#: Problems about the clinic and the step rather than the registration itself.
NOT_ALLOWED = {
    CredentialProblem.NOT_MEMBER,
    CredentialProblem.QUALIFICATION_NOT_ALLOWED,
    CredentialProblem.PROCEDURE_NOT_ALLOWED,
}


@dataclass(frozen=True)
class Recorder:
    """A person as the clinic's policy sees them, on one day."""

    practitioner: Practitioner | None
    member: bool
    status: credentials.CredentialStatus | None
    policy: object  # the clinic's recording_qualifications, as stored (maybe malformed)

    @property
    def qualification(self) -> str:
        return self.practitioner.qualification if self.practitioner else ""

    def problems(self, step: Step) -> tuple[CredentialProblem, ...]:
        return credentials.recording_problems(
            status=self.status,
            qualification=self.qualification,
            member=self.member,
            allowed=credentials.qualifications_for(self.policy, step),
        )

    def codes(self, problems) -> tuple[str, ...]:
        return credentials.codes_of(
            problems,
            body=self.status.body if self.status else None,
            expires_on=self.status.expires_on if self.status else None,
            qualification=self.qualification,
        )

    def may(self, step: Step) -> bool:
        return not self.problems(step)

    @property
    def credentialed_dermatologist(self) -> bool:
        return (
            self.qualification == Practitioner.Qualification.DERMATOLOGIST
            and self.status is not None
            and self.status.credentialed
        )


def recorder(user, clinic_id: int, *, on=None) -> Recorder:
    """The facts about `user` at `clinic_id` (three queries: practitioner, membership, the
    clinic's settings). A user with no practitioner record has no registration."""
    practitioner = Practitioner.objects.filter(user_id=user.pk).first()
    return Recorder(
        practitioner=practitioner,
        member=Membership.objects.filter(user_id=user.pk, clinic_id=clinic_id).exists(),
        status=practitioner.credential_status(on or timezone.localdate()) if practitioner else None,
        policy=care_settings(clinic_id).recording_qualifications,
    )


def steps_allowed(user, clinic_id: int) -> dict[str, bool]:
    """{step: may record it} for the pages' buttons (three queries for all steps)."""
    person = recorder(user, clinic_id)
    return {step.value: person.may(step) for step in Step}


def allergy_codes(patient) -> list[str]:
    """The ingredient codes the patient is allergic to (one query; a patient or their id):
    their standing allergies, the ones screenings, the gate (through `screening_outdated`) and
    patch tests read. A retracted allergy is not one of them."""
    return sorted(
        Allergy.objects.standing()
        .filter(patient=patient)
        .values_list("ingredient__code", flat=True)
    )


def standing_allergies(patient) -> list[Allergy]:
    """The patient's allergies that screenings see, with their ingredients (one query)."""
    return list(Allergy.objects.standing().filter(patient=patient).select_related("ingredient"))


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


def consent_course(consultation: Consultation | None) -> Course | None:
    """The course a consent taken now on this screening is for: the patient's latest course
    under way (active or paused) for the screening's indication. None when none is planned:
    the consent names the plan, so the plan comes first."""
    if consultation is None:
        return None
    return (
        Course.objects.filter(
            patient_id=consultation.patient_id,
            indication=consultation.indication,
            status__in=[Course.Status.ACTIVE, Course.Status.PAUSED],
        )
        .order_by("-id")
        .first()
    )


def _plan_components(course: Course):
    return CourseComponent.objects.filter(course=course).select_related(
        "protocol_component__ingredient", "protocol_component__product"
    )


def _identity(component) -> dict:
    """A protocol component as the plan's fingerprint sees it."""
    strength = ""
    if component.concentration is not None:
        strength = f"{component.concentration.normalize():f} {component.unit}"
    return {
        "id": component.pk,
        "ingredient": component.ingredient.code if component.ingredient_id else None,
        "product": component.product_id,
        "strength": strength,
    }


def plan_for_consent(course: Course) -> dict:
    """The plan as its consent names it (`care.consent_plan`): the cocktail's components
    with their English and Urdu labels (a product is named with its ingredients), the number
    of sessions and the interval. Three queries."""
    components = [planned.protocol_component for planned in _plan_components(course)]
    product_ingredients: dict[int, list] = {}
    for link in ProductIngredient.objects.filter(
        product_id__in=[c.product_id for c in components if c.product_id]
    ).select_related("ingredient"):
        product_ingredients.setdefault(link.product_id, []).append(link.ingredient)

    def label(component, language: str) -> str:
        with translation.override(language):
            text = component.label
            if component.product_id and product_ingredients.get(component.product_id):
                names = ("، " if language == "ur" else ", ").join(
                    i.display_name for i in product_ingredients[component.product_id]
                )
                if language == "ur":
                    text = f"\u2066{text}\u2069"  # the Latin brand stays in order in Urdu
                text = f"{text} ({names})"
            return text

    return {
        "course": course.pk,
        "sessions": course.sessions_planned,
        "interval_days": course.interval_days,
        "components": [
            {**_identity(c), "en": label(c, "en"), "ur": label(c, "ur")} for c in components
        ],
    }


def plan_digest(course: Course) -> str:
    """The fingerprint of the course's plan as it stands now (one query): equal to the
    `plan_digest` of a consent given on it while products, sessions and interval are unchanged."""
    components = [planned.protocol_component for planned in _plan_components(course)]
    return consent_plan.digest(
        {
            "course": course.pk,
            "sessions": course.sessions_planned,
            "interval_days": course.interval_days,
            "components": [_identity(c) for c in components],
        }
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
        # Retracted ones too: the page shows them struck through, with the reason.
        allergies=list(
            Allergy.objects.filter(patient=patient).select_related("ingredient", "retracted_by")
        ),
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


def get_allergy_for_user(user, pk, *, via: str, audit: bool = True) -> Allergy:
    queryset = Allergy.objects.select_related(
        "patient__registered_clinic", "ingredient", "recorded_by", "retracted_by"
    )
    return _get(user, queryset, Allergy, pk, via=via, audit=audit)


def get_photo_for_user(user, pk, *, via: str) -> BaselinePhoto:
    return _get(user, BaselinePhoto.objects.select_related("patient"), BaselinePhoto, pk, via=via)


def care_panel(user, patient) -> dict:
    """What the patient page shows of the pathway for this user's role."""
    clinical = access.can_read_clinical(user)
    summary = care_summary(patient, clinical=clinical)
    latest = summary.consultations[0] if summary.consultations else None
    can_record = access.can_record_clinical(user)
    # Each button only for who may use it (three queries, only for practitioners).
    person = recorder(user, patient.registered_clinic_id) if can_record else None
    return {
        "clinical": clinical,
        "outdated": latest is not None and screening_outdated(latest),
        "can_record": can_record,
        "may": {step.value: person.may(step) for step in Step} if person else {},
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
