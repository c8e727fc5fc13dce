"""Staff pages of the appointment book, under /appointments/."""

app_name = "appointments"

urlpatterns = []
