"""The staff admin: a second factor for whoever enrolled one, required in production.

Staff who added a TOTP device (django-otp) must give its code at every login; with
DJANGO_ADMIN_REQUIRE_OTP on (the production default) staff without a device cannot
get in at all: a superuser enrols one for them under "TOTP devices", and the first
superuser enrols with `manage.py add_totp_device`. Password guessing is stopped by
django-axes before this form is reached (exitwatch.lib.login_lockout).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Password, then a TOTP code when the user has a device (or one is required)."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "device_missing": _(
            "This site requires a second factor and you have none yet. Ask a "
            "superuser to add a TOTP device for you."
        ),
    }

    def clean(self) -> dict:
        self.cleaned_data = super(OTPAdminAuthenticationForm, self).clean()
        user = self.get_user()
        if user is None:
            return self.cleaned_data
        if user_has_device(user):
            self.clean_otp(user)
        elif settings.ADMIN_REQUIRE_OTP:
            raise ValidationError(
                self.otp_error_messages["device_missing"], code="device_missing"
            )
        return self.cleaned_data


class ExitWatchAdminSite(AdminSite):
    """AdminSite that lets in only staff who passed the second factor they have."""

    site_header = "ExitWatch"
    site_title = "ExitWatch"
    login_form = StaffLoginForm
    login_template = "admin/exitwatch_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        user = request.user
        if user.is_verified():
            return True
        # A session made before the device was added (or before the rule) must
        # log in again through the form above.
        return not settings.ADMIN_REQUIRE_OTP and not user_has_device(user)
