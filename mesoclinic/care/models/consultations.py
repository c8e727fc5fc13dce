"""Consultations (each one a screening), the patient's allergies, and baseline photos."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.roles import is_administrator
from mesoclinic.care import entries, rules
from mesoclinic.care.facts import Facts
from mesoclinic.care.storage import private_storage
from mesoclinic.clinics import scoping
from mesoclinic.patients.models import in_care


class PatientRecordQuerySet(models.QuerySet):
    #: What kind of record the rows are to the scoping rule: clinical, unless a subclass says.
    kind = scoping.Kind.CLINICAL

    def for_user(self, user):
        """The records `user` may see (`clinics.scoping`, the one rule), judged by the
        patient's registered clinic like the patient itself. Clinical records reach no
        receptionist: a list of them simply holds none. An archived patient's records are
        out of the day's work like the patient (`in_care`): clinic staff reach none of them
        (pages answer 404, nothing can be booked or charted on them); administrators keep
        read access, they answer for the record."""
        visible = scoping.restrict(
            self, user, self.kind, clinic="patient__registered_clinic_id", patient="patient"
        )
        return self.in_care_for(user, visible)

    @staticmethod
    def in_care_for(user, visible):
        """`visible` without archived patients' rows, unless `user` is an administrator."""
        return visible if is_administrator(user) else visible.filter(in_care("patient__"))


class AllergyQuerySet(PatientRecordQuerySet):
    def standing(self):
        """The allergies screenings see: those not retracted."""
        return self.filter(retracted_at__isnull=True)


class Consultation(models.Model):
    """One consultation and the screening it produced, kept as it was.

    `recorded_at` is when the consultation took place, `entered_at` when it was entered (the
    server's clock, never typed).

    A consultation is never edited: new facts mean a new consultation (prefilled from the last
    one), so each screening decision stays next to the facts it was made on, and a consent
    given against earlier facts can be seen to be out of date (`facts_digest`).
    """

    class Decision(models.TextChoices):
        ELIGIBLE = rules.Decision.ELIGIBLE.value, _("Eligible")
        NEEDS_REVIEW = rules.Decision.NEEDS_REVIEW.value, _("Needs a dermatologist's review")
        CONTRAINDICATED = rules.Decision.CONTRAINDICATED.value, _("Contraindicated")

    class Scale(models.TextChoices):
        MASI = "masi", _("MASI (0–48)")
        MMASI = "mmasi", _("mMASI (0–24)")
        GAIS = "gais", _("GAIS baseline note")
        NORWOOD = "norwood", _("Norwood–Hamilton")
        LUDWIG = "ludwig", _("Ludwig")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="consultations"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    indication = models.CharField(_("indication"), max_length=40)
    icd10 = models.CharField(_("ICD-10"), max_length=10, blank=True)
    concerns = models.TextField(_("concerns, in the patient's words"), blank=True)
    medical_history = models.TextField(_("medical history"), blank=True)
    medication_notes = models.TextField(_("current medications"), blank=True)
    other_allergies = models.TextField(_("other allergies"), blank=True)
    exam_notes = models.TextField(_("examination"), blank=True)

    # The engine's facts, as asked at this consultation (vocabulary codes).
    pregnant = models.BooleanField(_("pregnant"))
    breastfeeding = models.BooleanField(_("breastfeeding"))
    may_become_pregnant = models.BooleanField(_("may become pregnant"))
    unspecified_allergy = models.BooleanField(_("reaction to an unknown medicine"), default=False)
    conditions = models.JSONField(default=list, blank=True)
    medications = models.JSONField(default=list, blank=True)
    allergies = models.JSONField(
        default=list, blank=True, help_text=_("Ingredient codes, from the patient's allergies.")
    )
    positive_patch_tests = models.JSONField(default=list, blank=True)
    planned_ingredients = models.JSONField(default=list, blank=True)

    fitzpatrick_answers = models.JSONField(null=True, blank=True)
    fitzpatrick_total = models.PositiveSmallIntegerField(null=True, blank=True)
    fitzpatrick_type = models.PositiveSmallIntegerField(_("Fitzpatrick type"), null=True)
    fitzpatrick_banding = models.CharField(max_length=120, blank=True)

    baseline_scale = models.CharField(
        _("baseline scale"), max_length=10, choices=Scale.choices, blank=True
    )
    baseline_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    baseline_detail = models.JSONField(default=dict, blank=True)
    baseline_note = models.TextField(_("baseline note"), blank=True)

    decision = models.CharField(max_length=20, choices=Decision.choices)
    reasons = models.JSONField(default=list)
    facts_digest = models.CharField(max_length=64)

    review_note = models.TextField(_("dermatologist's justification"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["patient", "-id"], name="consultation_patient_idx"),
            # The worklist's recent screenings of a clinic (care.worklist).
            models.Index(fields=["clinic", "recorded_at"], name="consultation_clinic_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="consultation_decision_known",
                condition=Q(decision__in=[d.value for d in rules.Decision]),
            ),
            models.CheckConstraint(
                name="consultation_indication_known",
                condition=Q(indication__in=sorted(rules.INDICATIONS)),
            ),
            models.CheckConstraint(
                name="consultation_fitzpatrick_range",
                condition=Q(fitzpatrick_type__isnull=True)
                | Q(fitzpatrick_type__gte=1, fitzpatrick_type__lte=6),
            ),
            # A review is a dermatologist's justification with its author and time, and only
            # for relative reasons: nothing justifies an absolute contraindication.
            models.CheckConstraint(
                name="consultation_review_complete",
                condition=Q(reviewed_by__isnull=True, reviewed_at__isnull=True, review_note="")
                | (
                    Q(reviewed_by__isnull=False, reviewed_at__isnull=False)
                    & ~Q(review_note="")
                    & Q(decision=rules.Decision.NEEDS_REVIEW.value)
                ),
            ),
        ]

    def __str__(self):
        return f"consultation {self.pk}"

    def facts(self) -> Facts:
        return Facts(
            sex=self.patient.sex,
            age=self.patient.age_on(timezone.localdate(self.recorded_at)),
            pregnant=self.pregnant,
            breastfeeding=self.breastfeeding,
            may_become_pregnant=self.may_become_pregnant,
            unspecified_allergy=self.unspecified_allergy,
            allergies=self.allergies,
            conditions=self.conditions,
            medications=self.medications,
            positive_patch_tests=self.positive_patch_tests,
        )

    @property
    def entered_apart(self) -> bool:
        return entries.entered_apart(self.recorded_at, self.entered_at)

    @property
    def needs_review(self) -> bool:
        return self.decision == rules.Decision.NEEDS_REVIEW and self.reviewed_at is None


class Allergy(models.Model):
    """A patient's allergy to a formulary ingredient: reported, or found by a patch test.

    Allergies to things outside the formulary stay as text on the consultation; these rows are
    what the engine reads, so a positive patch test blocks that ingredient at every later
    screening.

    An allergy recorded in error is never deleted: a credentialed dermatologist retracts it
    with a reason (`services.allergies.retract_allergy`). The row stays, marked with who
    retracted it, when and why, and screenings from then on no longer see it
    (`AllergyQuerySet.standing`); screenings made before keep what they were decided on. The
    same ingredient may be recorded again later as a new row.
    """

    class Source(models.TextChoices):
        REPORTED = "reported", _("Reported by the patient")
        PATCH_TEST = "patch_test", _("Positive patch test")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="allergies"
    )
    ingredient = models.ForeignKey(
        "formulary.Ingredient", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    reaction = models.TextField(_("reaction"), blank=True)
    patch_test = models.ForeignKey(
        "care.PatchTest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retraction_reason = models.TextField(_("why it was retracted"), blank=True)
    #: The row's last change (a retraction): FHIR's meta.lastUpdated and version.
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllergyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "allergies"
        ordering = ["ingredient__code"]
        constraints = [
            # One standing allergy per ingredient; retracted ones stay beside a new record.
            models.UniqueConstraint(
                fields=["patient", "ingredient"],
                condition=Q(retracted_at__isnull=True),
                name="allergy_one_standing_per_ingredient",
            ),
            # A retraction is a reason with its author and time, all three or none.
            models.CheckConstraint(
                name="allergy_retraction_complete",
                condition=Q(
                    retracted_at__isnull=True, retracted_by__isnull=True, retraction_reason=""
                )
                | (
                    Q(retracted_at__isnull=False, retracted_by__isnull=False)
                    & ~Q(retraction_reason="")
                ),
            ),
            models.CheckConstraint(
                name="allergy_patch_test_source",
                condition=Q(source="patch_test", patch_test__isnull=False)
                | Q(source="reported", patch_test__isnull=True),
            ),
        ]

    def __str__(self):
        return f"allergy {self.pk}"

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None


class BaselinePhoto(models.Model):
    """A baseline photo, stored as a file in the private storage under a random name and served
    only through `care.views.PhotoView`, which checks access and audits the read."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="photos")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    label = models.CharField(_("view"), max_length=80, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"photo {self.pk}"
