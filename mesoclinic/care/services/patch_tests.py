"""Applying and reading patch tests.

An application is recorded when it is made: its stated time may be at most the clinic's
`patch_backdate_minutes` before it is entered, unless a credentialed dermatologist attests an
earlier time with a reason (kept on the test and in the audit trail). The read window counts
from the stated application.

A reaction always counts, whenever it is seen: a positive reading is accepted at any time
after application and adds an allergy to every ingredient applied. A negative reading only
counts inside the clinic's window (too early, a reaction may not have developed; too late, it
may have faded) and only when it is entered before the window closes, so a reading typed in
later with a time inside the window cannot clear a patient; refused, the test must be read in
time or repeated. The decisions are `care.patch_tests`' (pure); this module gathers the facts
and words the refusals.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, patch_tests, selectors
from mesoclinic.care.models import Allergy, Consent, PatchTest, PatchTestItem
from mesoclinic.care.services import recording
from mesoclinic.care.services.patient_lock import locked_patient
from mesoclinic.care.services.screening import invalidate_consents
from mesoclinic.clinics.credentials import Step
from mesoclinic.formulary import stock
from mesoclinic.formulary.lot_words import blocker_messages
from mesoclinic.formulary.models import Lot, ProductIngredient

#: What stops a lot from touching skin at all. Multi-dose vial timing is for injection.
_PATCH_BLOCKERS = {stock.Blocker.RECALLED, stock.Blocker.QUARANTINED, stock.Blocker.EXPIRED}


def _minutes(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def apply_patch_test(
    *,
    acting_user,
    via: str,
    patient,
    lots,
    site: str,
    site_note: str = "",
    applied_at=None,
    backdate_reason: str = "",
) -> PatchTest:
    """Record the products (by lot) applied at one site. Lots must be the patient's clinic's
    and fit to use; the application cannot be in the future, already past its window, or
    stated further back than the clinic allows unless `acting_user` is a credentialed
    dermatologist attesting it with `backdate_reason`."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    now = timezone.now()
    applied_at = applied_at or now
    backdate_reason = backdate_reason.strip()
    attester = access.can_justify(acting_user) if backdate_reason else None
    with transaction.atomic():
        patient = locked_patient(acting_user, patient)
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
        problems = patch_tests.application_problems(
            applied_at=applied_at,
            now=now,
            window=window,
            backdate_limit=timedelta(minutes=settings.patch_backdate_minutes),
            attested=bool(backdate_reason),
            attester_is_dermatologist=attester is not None,
        )
        Problem = patch_tests.ApplicationProblem
        if Problem.ATTESTER_NOT_DERMATOLOGIST in problems:
            errors["backdate_reason"] = [
                _("Only a credentialed dermatologist may attest an earlier application time.")
            ]
        if Problem.IN_FUTURE in problems:
            errors.setdefault("applied_at", []).append(_("The application time is in the future."))
        if Problem.BACKDATED in problems:
            errors.setdefault("applied_at", []).append(
                _(
                    "The application is stated more than %(limit)s before it is entered "
                    "(this clinic's limit). Record a patch test when it is applied; an earlier "
                    "time needs a credentialed dermatologist's attestation with a reason."
                )
                % {"limit": _minutes(settings.patch_backdate_minutes)}
            )
        if Problem.WINDOW_CLOSED in problems:
            errors.setdefault("applied_at", []).append(
                _("Its reading window has already closed: apply a new test.")
            )
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
            entered_at=now,
            backdate_attested_by=attester,
            backdate_reason=backdate_reason if attester is not None else "",
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
            detail={
                "lots": sorted(lot.pk for lot in lots),
                # Who attested a late entry; the reason is on the record, not in the log.
                **({"backdate_attested_by": attester.pk} if attester is not None else {}),
            },
        )
    return patch_test


def window_of(patch_test: PatchTest) -> tuple:
    """When the test may be read: (opens, closes) as datetimes, from the stated application."""
    return patch_tests.window_bounds(
        patch_test.applied_at,
        patch_tests.Window(patch_test.window_opens_hours, patch_test.window_closes_hours),
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def read_patch_test(
    *, acting_user, via: str, patch_test: PatchTest, result: str, reaction: str = "", read_at=None
) -> PatchTest:
    """Record the reading. Refused with every reason (and nothing saved) when the test was
    already read, the time is impossible, a positive has no description, or a negative is
    stated outside the window or entered after it closed."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    now = timezone.now()
    read_at = read_at or now
    with transaction.atomic():
        locked_patient(acting_user, patch_test.patient)
        locked = PatchTest.objects.select_for_update().get(pk=patch_test.pk)
        recording.ensure_may_record(acting_user, locked.clinic_id, Step.PATCH_TEST)
        if locked.result != PatchTest.Result.PENDING:
            raise ValidationError({"result": _("This patch test has already been read.")})
        errors = {}
        window = patch_tests.Window(locked.window_opens_hours, locked.window_closes_hours)
        problems = patch_tests.reading_problems(
            applied_at=locked.applied_at,
            read_at=read_at,
            now=now,
            window=window,
            # Anything but a negative (a positive, or an impossible choice refused below)
            # is judged as a reaction would be, so its times are still checked.
            reaction_seen=result != PatchTest.Result.NEGATIVE,
        )
        opens, closes = window_of(locked)
        Problem = patch_tests.ReadProblem
        messages = {
            Problem.IN_FUTURE: _("The reading time is in the future."),
            Problem.BEFORE_APPLIED: _("The reading is before the test was applied."),
            Problem.TOO_EARLY: _("Too early for a negative reading: the window opens at %(opens)s.")
            % {"opens": _when(opens)},
            Problem.TOO_LATE: _(
                "Too late for a negative reading: the window closed at %(closes)s. "
                "Apply a new patch test."
            )
            % {"closes": _when(closes)},
            Problem.ENTERED_AFTER_CLOSE: _(
                "A negative reading is entered before the window closes; it closed at "
                "%(closes)s, so this reading cannot count. Apply a new patch test."
            )
            % {"closes": _when(closes)},
        }
        if problems:
            errors["read_at"] = [messages[problem] for problem in problems]
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
        locked.read_entered_at = now
        if result == PatchTest.Result.NEGATIVE:
            locked.valid_until = patch_tests.valid_until(read_at, validity_days=locked.valid_days)
        locked.save(
            update_fields=[
                "result",
                "reaction",
                "read_at",
                "read_by",
                "read_entered_at",
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
        Allergy.objects.standing()
        .filter(patient_id=patch_test.patient_id, ingredient_id__in=ingredient_ids)
        .values_list("ingredient_id", flat=True)
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
