"""Reads for consent: the current texts, the course a consent is for, and the plan as the
consent names it (its fingerprint tells a consent given on an older plan)."""

from django.utils import translation

from mesoclinic.care import consent_plan
from mesoclinic.care.models import (
    AftercareText,
    ConsentText,
    Consultation,
    Course,
    CourseComponent,
)
from mesoclinic.formulary.models import ProductIngredient


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


def plan_digest(course: Course, planned=None) -> str:
    """The fingerprint of the course's plan as it stands now (one query, none when the caller
    passes the course's components it has just read as `planned`): equal to the `plan_digest`
    of a consent given on it while products, sessions and interval are unchanged."""
    if planned is None:
        planned = _plan_components(course)
    components = [item.protocol_component for item in planned]
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
