from .courses import (
    AdministratorFactory,
    CategoryFactory,
    CoursePageFactory,
    InstructorFactory,
    TermFactory,
    UserFactory,
    VenueFactory,
)
from .enrollment import LearnerFactory
from .surveys import InvitationFactory, QuestionFactory, SurveyFactory

__all__ = [
    "LearnerFactory",
    "AdministratorFactory",
    "CategoryFactory",
    "CoursePageFactory",
    "InstructorFactory",
    "TermFactory",
    "UserFactory",
    "VenueFactory",
    "InvitationFactory",
    "QuestionFactory",
    "SurveyFactory",
]
