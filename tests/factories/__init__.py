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

__all__ = [
    "LearnerFactory",
    "AdministratorFactory",
    "CategoryFactory",
    "CoursePageFactory",
    "InstructorFactory",
    "TermFactory",
    "UserFactory",
    "VenueFactory",
]
