"""Applying and reading patch tests.

A reaction always counts, whenever it is seen: a positive reading is accepted at any time
after application and adds an allergy to every ingredient applied. A negative reading only
counts inside the clinic's window (too early, a reaction may not have developed; too late, it
may have faded), so outside it the reading is refused and the test must be read in time or
repeated.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, patch_tests, selectors
from mesoclinic.care.models import Allergy, Consent, PatchTest, PatchTestItem
from mesoclinic.care.services import recording
from mesoclinic.care.services.screening import _locked_patient, invalidate_consents
from mesoclinic.clinics.credentials import Step
from mesoclinic.formulary import stock
from mesoclinic.formulary.models import Lot, ProductIngredient
from mesoclinic.formulary.services.lots import blocker_messages

#: What stops a lot from touching skin at all. Multi-dose vial timing is for injection.
_PATCH_BLOCKERS = {stock.Blocker.RECALLED, stock.Blocker.QUARANTINED, stock.Blocker.EXPIRED}

#: How long after a reading it may still be entered as negative. A negative only counts inside
#: the window; entering it days later with a typed time inside the window would defeat that.
READ_ENTRY_GRACE = timedelta(hours=12)


def apply_patch_test(
    *, acting_user, via: str, patient, lots, site: str, site_note: str = "", applied_at=None
) -> PatchTest:
    """Record the products (by lot) applied at one site. Lots must be the patient's clinic's
    and fit to use; the application cannot be in the future or already past its window."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    now = timezone.now()
    applied_at = applied_at or now
    with transaction.atomic():
        patient = _locked_patient(acting_user, patient)
        recording.ensure_may_record(acting_user, patient.registered_clinic_id, Step.PATCH_TEST)
        settings = selectors.care_settings(patient.registered_clinic_id)
        window = patch_tests.Window(
            settings.patch_read_opens_hours, settings.patch_read_closes_hours
        )
        errors: dict[str, list] = {}
        lots = list(
            Lot.objects.filter(pk__in=[lot.pk for lot in lots])
            .select_related("product")
            .prefetch_related("product__components__ingredient")
        )
        if not lots:
            errors.setdefault("lots", []).append(_("Choose at least one lot."))
        today = timezone.localdate()
        for lot in lots:
            if lot.clinic_id != patient.registered_clinic_id:
                errors.setdefault("lots", []).append(
                    _("Lot %(lot)s belongs to another clinic.") % {"lot": lot.lot_number}
                )
                continue
            blockers = [
                b
                for b in stock.use_blockers(lot.state, today=today, now=now)
                if b in _PATCH_BLOCKERS
            ]
            errors.setdefault("lots", []).extend(
                f"{lot.lot_number}: {message}" for message in blocker_messages(blockers)
            )
        allergic = set(selectors.allergy_codes(patient)) | set(
            selectors.positive_patch_test_codes(patient)
        )
        for lot in lots:
            for component in lot.product.components.all():
                if component.ingredient.code in allergic:
                    errors.setdefault("lots", []).append(
                        _("%(lot)s: the patient is allergic to %(ingredient)s; do not apply it.")
                        % {"lot": lot.lot_number, "ingredient": component.ingredient.name}
                    )
        if applied_at > now:
            errors["applied_at"] = [_("The application time is in the future.")]
        elif (
            patch_tests.read_problem(applied_at=applied_at, read_at=now, now=now, window=window)
            == patch_tests.ReadProblem.TOO_LATE
        ):
            errors["applied_at"] = [_("Its reading window has already closed: apply a new test.")]
        if site == PatchTest.Site.OTHER and not site_note.strip():
            errors["site_note"] = [_("Describe the site.")]
        errors = {key: value for key, value in errors.items() if value}
        if errors:
            raise ValidationError(errors)
        patch_test = PatchTest.objects.create(
            patient=patient,
            clinic_id=patient.registered_clinic_id,
            site=site,
            site_note=site_note.strip(),
            applied_at=applied_at,
            applied_by=acting_user,
            window_opens_hours=window.opens_after_hours,
            window_closes_hours=window.closes_after_hours,
            valid_days=settings.patch_valid_days,
        )
        PatchTestItem.objects.bulk_create(
            PatchTestItem(patch_test=patch_test, lot=lot) for lot in lots
        )
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=patch_test,
            detail={"lots": sorted(lot.pk for lot in lots)},
        )
    return patch_test


def window_of(patch_test: PatchTest) -> tuple:
    """When the test may be read: (opens, closes) as datetimes."""
    return (
        patch_test.applied_at + timedelta(hours=patch_test.window_opens_hours),
        patch_test.applied_at + timedelta(hours=patch_test.window_closes_hours),
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def read_patch_test(
    *, acting_user, via: str, patch_test: PatchTest, result: str, reaction: str = "", read_at=None
) -> PatchTest:
    """Record the reading. Refused with the reason (and nothing saved) when the test was
    already read, the time is impossible, a positive has no description, or a negative falls
    outside the window."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    now = timezone.now()
    read_at = read_at or now
    with transaction.atomic():
        _locked_patient(acting_user, patch_test.patient)
        locked = PatchTest.objects.select_for_update().get(pk=patch_test.pk)
        recording.ensure_may_record(acting_user, locked.clinic_id, Step.PATCH_TEST)
        if locked.result != PatchTest.Result.PENDING:
            raise ValidationError({"result": _("This patch test has already been read.")})
        errors = {}
        window = patch_tests.Window(locked.window_opens_hours, locked.window_closes_hours)
        problem = patch_tests.read_problem(
            applied_at=locked.applied_at, read_at=read_at, now=now, window=window
        )
        opens, closes = window_of(locked)
        if problem == patch_tests.ReadProblem.IN_FUTURE:
            errors["read_at"] = [_("The reading time is in the future.")]
        elif problem == patch_tests.ReadProblem.BEFORE_APPLIED:
            errors["read_at"] = [_("The reading is before the test was applied.")]
        elif result == PatchTest.Result.NEGATIVE and problem == patch_tests.ReadProblem.TOO_EARLY:
            errors["read_at"] = [
                _("Too early for a negative reading: the window opens at %(opens)s.")
                % {"opens": _when(opens)}
            ]
        elif result == PatchTest.Result.NEGATIVE and problem == patch_tests.ReadProblem.TOO_LATE:
            errors["read_at"] = [
                _(
                    "Too late for a negative reading: the window closed at %(closes)s. "
                    "Apply a new patch test."
                )
                % {"closes": _when(closes)}
            ]
        if (
            result == PatchTest.Result.NEGATIVE
            and "read_at" not in errors
            and now - read_at > READ_ENTRY_GRACE
        ):
            errors["read_at"] = [
                _(
                    "A negative reading is entered within 12 hours of reading it; this one is "
                    "too old to count. Apply a new patch test."
                )
            ]
        if result not in (PatchTest.Result.NEGATIVE, PatchTest.Result.POSITIVE):
            errors["result"] = [_("Choose negative or positive.")]
        if result == PatchTest.Result.POSITIVE and not reaction.strip():
            errors["reaction"] = [_("Describe the reaction.")]
        if errors:
            raise ValidationError(errors)
        locked.result = result
        locked.reaction = reaction.strip()
        locked.read_at = read_at
        locked.read_by = acting_user
        locked.read_recorded_at = now
        if result == PatchTest.Result.NEGATIVE:
            locked.valid_until = patch_tests.valid_until(read_at, validity_days=locked.valid_days)
        locked.save(
            update_fields=[
                "result",
                "reaction",
                "read_at",
                "read_by",
                "read_recorded_at",
                "valid_until",
            ]
        )
        record_event(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instance=locked,
            changed_fields=["result", "reaction", "read_at", "read_by", "valid_until"],
        )
        if result == PatchTest.Result.POSITIVE:
            _add_allergies(acting_user, via, locked)
            # Consent was given without knowing of this reaction.
            invalidate_consents(
                acting_user,
                via,
                Consent.objects.filter(patient_id=locked.patient_id, invalidated_at__isnull=True),
                when=now,
                reason=f"Positive patch test {locked.pk}: screen the patient again.",
                detail={"patch_test": locked.pk},
            )
    return locked


def _add_allergies(acting_user, via: str, patch_test: PatchTest) -> None:
    ingredient_ids = set(
        ProductIngredient.objects.filter(
            product__lots__patch_test_items__patch_test=patch_test
        ).values_list("ingredient_id", flat=True)
    )
    existing = set(
        Allergy.objects.filter(
            patient_id=patch_test.patient_id, ingredient_id__in=ingredient_ids
        ).values_list("ingredient_id", flat=True)
    )
    for ingredient_id in sorted(ingredient_ids - existing):
        allergy = Allergy.objects.create(
            patient_id=patch_test.patient_id,
            ingredient_id=ingredient_id,
            source=Allergy.Source.PATCH_TEST,
            patch_test=patch_test,
            reaction=patch_test.reaction,
            recorded_by=acting_user,
        )
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=allergy,
            clinic_id=patch_test.clinic_id,
        )
