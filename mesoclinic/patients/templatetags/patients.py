"""The patient's name as the page's language writes it."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(patient) -> str:
    """The Urdu name on Urdu pages when the record has one (a patient known as "ثنا ملک" at the
    desk reads their own name so), the Latin-script name otherwise."""
    if get_language() == "ur" and getattr(patient, "name_ur", ""):
        return patient.name_ur
    return patient.full_name
