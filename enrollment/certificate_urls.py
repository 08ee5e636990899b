"""Public certificate verification: /certificates/verify/ and /certificates/verify/<code>/."""

from django.urls import path

from . import certificate_views

app_name = "certificates"

urlpatterns = [
    path("verify/", certificate_views.verify_form, name="verify_form"),
    path("verify/<str:code>/", certificate_views.verify, name="verify"),
]
