from django.utils.translation import gettext_lazy as _


class SurveyError(Exception):
    """A refused survey action, with a message for the person who tried it."""

    message = _("This could not be done.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class AlreadyAnswered(SurveyError):
    message = _("This survey has already been answered. Thank you!")


class AnswersInvalid(SurveyError):
    """Answers that do not fit the questions; `errors` maps question ids (None: the form as a
    whole) to messages."""

    message = _("Some answers are missing or not possible.")

    def __init__(self, errors: dict[int | None, str]):
        self.errors = errors
        super().__init__()


class NoSurvey(SurveyError):
    message = _("No survey applies to this course. Make one survey the default.")
