from django.urls import path

from routes.waysout import views

urlpatterns = [
    path("ways-out/", views.ways_out_page, name="ways-out"),
]
