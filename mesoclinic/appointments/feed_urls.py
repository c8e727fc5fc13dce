"""Practitioners' iCalendar feeds, under /calendar-feeds/ (a secret, revocable address each)."""

from django.urls import re_path

from mesoclinic.appointments import feed_views

app_name = "calendar_feeds"

urlpatterns = [
    # secrets.token_urlsafe(32): 43 characters of A-Z, a-z, 0-9, "-" and "_".
    re_path(r"^(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", feed_views.feed, name="feed"),
]
