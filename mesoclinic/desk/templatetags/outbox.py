"""How a message row reads on the staff pages: the address masked, the template named."""

from django import template
from django.utils.translation import gettext_lazy as _

from mesoclinic.notifications.channels import mask

register = template.Library()

#: The templates' names as staff read them (a code the page does not know shows as it is).
TEMPLATE_NAMES = {
    "enquiry-notice": _("New appointment request"),
    "aftercare": _("Aftercare"),
    "maintenance-recall": _("Maintenance recall"),
    "check-in": _("Aftercare check-in"),
    "adverse-event-opened": _("Adverse event opened"),
    "cluster-alert": _("Cluster of adverse events"),
}


#: The channels as people write them.
CHANNEL_NAMES = {
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "email": _("E-mail"),
    "console": _("Console"),
}


@register.filter
def channel_name(code: str) -> str:
    return CHANNEL_NAMES.get(code, code)


@register.filter
def masked(address: str) -> str:
    """All but the last four characters hidden: enough to tell two numbers apart, and no
    more of an address than a screen behind the desk should show."""
    return mask(address or "")


@register.filter
def template_name(code: str) -> str:
    return TEMPLATE_NAMES.get(code, code)


@register.filter
def reason(last_error: str) -> str:
    """The reason a message failed or was cancelled, as stored: a code and a short text."""
    return last_error or "—"
