"""Provider callbacks (delivery statuses, inbound messages): no login, verified by signature."""

app_name = "notifications_hooks"

urlpatterns: list = []
