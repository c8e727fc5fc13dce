"""Helpers of the staff pages: a URL reversed once for a whole list."""

from django.urls import reverse
from django.utils import translation

from mesoclinic.core.pages import pk_url


def test_it_gives_the_url_reverse_gives_for_every_primary_key():
    for name in ("patients:detail", "care:session", "formulary:lot"):
        url = pk_url(name)
        for pk in (1, 7, 2_147_483_646, 10**12):
            assert url(pk) == reverse(name, args=[pk])


def test_it_keeps_the_language_of_the_request_it_was_made_in():
    with translation.override("ur"):
        url = pk_url("care:session")
        assert url(3) == reverse("care:session", args=[3])
