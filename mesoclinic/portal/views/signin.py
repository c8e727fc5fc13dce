"""Sign-in with the mobile number on the record and a one-time code (placeholder: the sign-in
slice builds the code request and check here)."""

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views import View


class SignInView(View):
    def get(self, request):
        return render(request, "portal/sign_in.html", {})


class SignOutView(View):
    def post(self, request):
        logout(request)
        return redirect("portal:sign_in")
