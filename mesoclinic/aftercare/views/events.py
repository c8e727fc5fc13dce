"""An adverse event and a cluster alert, as staff see them. (Foundation placeholder: the
event page with its checklist, lots and closing form is built on this.)"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.views import View

from mesoclinic.aftercare.models import ClusterAlert
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.models import AdverseEvent


class EventView(LoginRequiredMixin, View):
    def get(self, request, pk):
        event = AdverseEvent.objects.for_user(request.user).filter(pk=pk).first()
        if event is None:
            raise Http404
        record_event(actor=request.user, action=Action.VIEW, via=Interface.WEB, instance=event)
        return render(request, "aftercare/event.html", {"event": event})


class AlertView(LoginRequiredMixin, View):
    def get(self, request, pk):
        alert = ClusterAlert.objects.filter(pk=pk).first()
        if alert is None:
            raise Http404
        return render(request, "aftercare/alert.html", {"alert": alert})
