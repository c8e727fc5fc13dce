"""Practitioners' iCalendar feeds, under /calendar-feeds/ (a secret, revocable address each)."""

app_name = "calendar_feeds"

urlpatterns = []
