from django.urls import path
from django.views.generic import RedirectView

from mesoclinic.guide import booking_views, views

app_name = "guide"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="guide:index"), name="home"),
    path("guide/", views.GuideIndexView.as_view(), name="index"),
    path("guide/faq/", views.FaqView.as_view(), name="faq"),
    path("guide/search/", views.SearchView.as_view(), name="search"),
    path("guide/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("self-check/", views.SelfCheckView.as_view(), name="self_check"),
    path("clinics/", views.ClinicFinderView.as_view(), name="clinics"),
    path("clinics/<slug:slug>/", views.ClinicPageView.as_view(), name="clinic"),
    path("clinics/<slug:slug>/sent/", views.EnquirySentView.as_view(), name="enquiry_sent"),
    path("clinics/<slug:slug>/book/", booking_views.BookView.as_view(), name="book"),
    path(
        "clinics/<slug:slug>/book/<str:token>/",
        booking_views.ConfirmView.as_view(),
        name="book_confirm",
    ),
    path(
        "clinics/<slug:slug>/book/<str:token>/done/",
        booking_views.BookedView.as_view(),
        name="booked",
    ),
]
