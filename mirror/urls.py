from django.urls import path

from mirror import views

urlpatterns = [
    path(".well-known/exitwatch-mirror-key", views.mirror_key, name="mirror-key"),
]
