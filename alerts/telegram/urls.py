from django.urls import path

from alerts.telegram import views

urlpatterns = [
    path("telegram/webhook/", views.webhook, name="telegram-webhook"),
]
