"""Public pages about crossings (the API's crossing endpoints live in routes/api/)."""

from django.urls import path

from routes import views

urlpatterns = [
    path("crossings/<slug:slug>/", views.crossing_detail, name="crossing-detail"),
]
