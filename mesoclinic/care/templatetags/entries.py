"""`{% entered_note stated entered %}`: "entered at <time>" beside a stated time, shown only
when the two differ (`care.entries.entered_apart`), so a late entry is never read as one made
at the time it states."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from mesoclinic.care import entries

register = template.Library()


@register.simple_tag
def entered_note(stated, entered):
    if not entries.entered_apart(stated, entered):
        return ""
    moment = date_format(timezone.localtime(entered), "j M Y, H:i")
    return format_html(
        '<span class="badge warn entered">{}</span>',
        _("entered at %(time)s") % {"time": moment},
    )
