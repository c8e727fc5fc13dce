"""The portal's pages, under /<language>/portal/ (each slice adds its own block of routes)."""

from django.urls import path

from mesoclinic.portal.views import home, signin, treatment

app_name = "portal"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # Sign-in (views/signin.py).
    path("sign-in/", signin.SignInView.as_view(), name="sign_in"),
    path("sign-out/", signin.SignOutView.as_view(), name="sign_out"),
    # My treatment (views/treatment.py): a record's plan, consents, aftercare, scores, photos.
    path("records/<int:pk>/", treatment.RecordView.as_view(), name="record"),
    path("consents/<int:pk>/pdf/", treatment.ConsentPdfView.as_view(), name="consent_pdf"),
    path("photos/<int:pk>/", treatment.PhotoView.as_view(), name="photo"),
    path(
        "photos/<int:pk>/thumbnail/",
        treatment.PhotoThumbnailView.as_view(),
        name="photo_thumbnail",
    ),
]
