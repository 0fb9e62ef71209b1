"""Pages of traveller reports: the form and what we keep (the API's report
endpoints are in the one API urlconf, exitwatch.api_urls)."""

from django.urls import path

from routes.reports import views

app_name = "reports"

urlpatterns = [
    path("report/", views.report_form, name="form"),
    path("report/<slug:slug>/", views.report_form, name="form-crossing"),
    path("privacy/", views.privacy, name="privacy"),
]
