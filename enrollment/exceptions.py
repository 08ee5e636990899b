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


class CertificateError(EnrollmentError):
    message = _("Sorry, this certificate could not be changed.")


class CertificateNotAvailable(CertificateError):
    message = _("A certificate is issued only for a course the learner has completed.")


class CertificateReasonRequired(CertificateError):
    message = _("Please give a reason: it is kept in the certificate's history.")


class CertificateRevoked(CertificateError):
    message = _("This certificate has been revoked and cannot be re-issued or changed.")


class CertificateSuperseded(CertificateError):
    message = _(
        "This certificate has already been replaced by a newer one. Work on the current "
        "certificate instead."
    )
