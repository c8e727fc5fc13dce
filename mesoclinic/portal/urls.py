"""The portal's pages, under /<language>/portal/ (each slice adds its own block of routes)."""

from django.urls import path

from mesoclinic.portal.views import bookings, home, signin

app_name = "portal"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # Sign-in (views/signin.py).
    path("sign-in/", signin.SignInView.as_view(), name="sign_in"),
    path("sign-out/", signin.SignOutView.as_view(), name="sign_out"),
    # Bookings (views/bookings.py).
    path("bookings/", bookings.BookingsView.as_view(), name="bookings"),
    path("bookings/<int:pk>/confirm/", bookings.ConfirmView.as_view(), name="booking_confirm"),
    path("bookings/<int:pk>/move/", bookings.MoveView.as_view(), name="booking_move"),
    path("bookings/<int:pk>/cancel/", bookings.CancelView.as_view(), name="booking_cancel"),
    path("bookings/courses/<int:pk>/", bookings.NextSessionView.as_view(), name="booking_next"),
]
