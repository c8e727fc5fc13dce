"""City names the catalogue translates, so the finder can show them in Urdu. Clinics store the
English name; a city missing here is simply shown as stored."""

from django.utils.translation import gettext_noop

KNOWN_CITIES = [
    gettext_noop("Islamabad"),
    gettext_noop("Rawalpindi"),
    gettext_noop("Lahore"),
    gettext_noop("Karachi"),
    gettext_noop("Peshawar"),
    gettext_noop("Faisalabad"),
    gettext_noop("Multan"),
    gettext_noop("Quetta"),
    gettext_noop("Sialkot"),
    gettext_noop("Hyderabad"),
]
