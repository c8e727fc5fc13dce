"""Care's pages for patients, reached from a message: no login, signed links, under /en/ and
/ur/ (the root URLconf includes them in its i18n patterns)."""

from django.urls import path

from mesoclinic.care.views.public import PublicAftercareView

app_name = "care_public"

urlpatterns = [
    path("aftercare/<str:token>/", PublicAftercareView.as_view(), name="aftercare"),
]
