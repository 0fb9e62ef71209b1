"""URLs of traveller reports: the pages and /api/v1/reports/ (included at the root)."""

from django.urls import path

from routes import api_reports, report_views

app_name = "reports"

urlpatterns = [
    path("report/", report_views.report_form, name="form"),
    path("report/<slug:slug>/", report_views.report_form, name="form-crossing"),
    path("privacy/", report_views.privacy, name="privacy"),
    path("api/v1/reports/", api_reports.ReportsView.as_view(), name="api-reports"),
    path(
        "api/v1/reports/form-token/",
        api_reports.FormTokenView.as_view(),
        name="api-form-token",
    ),
    path(
        "api/v1/reports/crossings/<slug:slug>/",
        api_reports.CrossingReportsView.as_view(),
        name="api-crossing",
    ),
]
