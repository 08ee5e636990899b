"""Why an enrollment change was refused, in words a citizen understands (translated)."""

from django.utils.translation import gettext_lazy as _


class EnrollmentError(Exception):
    message = _("Sorry, this could not be done.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class RegistrationNotOpen(EnrollmentError):
    message = _("Registration for this course has not opened yet.")


class RegistrationClosed(EnrollmentError):
    message = _("Registration for this course has closed.")


class TermLimitReached(EnrollmentError):
    message = _(
        "You already hold the most courses allowed this term. Cancel one to choose another."
    )


class CancellationClosed(EnrollmentError):
    message = _(
        "It is too late to cancel online. Please call the venue so your seat can go to "
        "someone else."
    )


class NotLive(EnrollmentError):
    message = _("This enrollment is no longer active.")
