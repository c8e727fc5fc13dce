"""The portal's pages, under /<language>/portal/ (each slice adds its own block of routes)."""

from django.urls import path

from mesoclinic.portal.views import bookings, home, mydata, sidefx, signin, treatment

app_name = "portal"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # Sign-in slice (views/signin.py): number and date of birth, the code, the second factor,
    # signing out, and adding an authenticator app.
    path("sign-in/", signin.SignInView.as_view(), name="sign_in"),
    path("sign-in/code/", signin.CodeView.as_view(), name="sign_in_code"),
    path("sign-in/verify/", signin.VerifyView.as_view(), name="verify"),
    path("sign-out/", signin.SignOutView.as_view(), name="sign_out"),
    # Report a side effect (views/sidefx.py).
    path("report/", sidefx.ReportView.as_view(), name="report"),
    path("report/<int:pk>/", sidefx.ReportSentView.as_view(), name="report_sent"),
    path("authenticator/", signin.AuthenticatorView.as_view(), name="authenticator"),
    # My treatment (views/treatment.py): a record's plan, consents, aftercare, scores, photos.
    path("records/<int:pk>/", treatment.RecordView.as_view(), name="record"),
    path("consents/<int:pk>/pdf/", treatment.ConsentPdfView.as_view(), name="consent_pdf"),
    path("photos/<int:pk>/", treatment.PhotoView.as_view(), name="photo"),
    path(
        "photos/<int:pk>/thumbnail/",
        treatment.PhotoThumbnailView.as_view(),
        name="photo_thumbnail",
    ),
    # Bookings (views/bookings.py).
    path("bookings/", bookings.BookingsView.as_view(), name="bookings"),
    path("bookings/<int:pk>/confirm/", bookings.ConfirmView.as_view(), name="booking_confirm"),
    path("bookings/<int:pk>/move/", bookings.MoveView.as_view(), name="booking_move"),
    path("bookings/<int:pk>/cancel/", bookings.CancelView.as_view(), name="booking_cancel"),
    path("bookings/courses/<int:pk>/", bookings.NextSessionView.as_view(), name="booking_next"),
    # My data (views/mydata.py): downloads, who opened my record, requests, contact answers.
    path("my-data/", mydata.MyDataView.as_view(), name="my_data"),
    path("my-data/export.json", mydata.ExportJsonView.as_view(), name="export_json"),
    path("my-data/export.pdf", mydata.ExportPdfView.as_view(), name="export_pdf"),
    path("my-data/access/", mydata.AccessLogView.as_view(), name="access_log"),
    path("my-data/requests/new/", mydata.DataRequestNewView.as_view(), name="data_request_new"),
    path("my-data/requests/<int:pk>/", mydata.DataRequestView.as_view(), name="data_request"),
    path("my-data/contact/", mydata.ContactPrefsView.as_view(), name="contact_prefs"),
]
