"""The portal's pages, under /<language>/portal/ (each slice adds its own block of routes)."""

from django.urls import path

from mesoclinic.portal.views import home, mydata, signin

app_name = "portal"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # Sign-in (views/signin.py).
    path("sign-in/", signin.SignInView.as_view(), name="sign_in"),
    path("sign-out/", signin.SignOutView.as_view(), name="sign_out"),
    # My data (views/mydata.py): downloads, who opened my record, requests, contact answers.
    path("my-data/", mydata.MyDataView.as_view(), name="my_data"),
    path("my-data/export.json", mydata.ExportJsonView.as_view(), name="export_json"),
    path("my-data/export.pdf", mydata.ExportPdfView.as_view(), name="export_pdf"),
    path("my-data/access/", mydata.AccessLogView.as_view(), name="access_log"),
    path("my-data/requests/new/", mydata.DataRequestNewView.as_view(), name="data_request_new"),
    path("my-data/requests/<int:pk>/", mydata.DataRequestView.as_view(), name="data_request"),
    path("my-data/contact/", mydata.ContactPrefsView.as_view(), name="contact_prefs"),
]
