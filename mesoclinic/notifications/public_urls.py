"""A patient's pages reached from a message (the opt-out link): no login, signed URLs, under
/en/ and /ur/."""

app_name = "messages_public"

urlpatterns: list = []
