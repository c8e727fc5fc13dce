"""The check-in form a patient opens from their message. (Foundation placeholder.)"""

from django.http import Http404
from django.views import View


class CheckInView(View):
    def get(self, request, token):
        raise Http404
