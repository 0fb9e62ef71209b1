"""Pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from routes.models import BorderCrossing


def home(request: HttpRequest) -> HttpResponse:
    crossings = BorderCrossing.objects.order_by("country", "name_en")
    return render(request, "routes/home.html", {"crossings": crossings})
