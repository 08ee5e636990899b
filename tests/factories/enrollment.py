from django.utils import timezone

import factory

from enrollment.models import CONSENT_VERSION, Learner


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    name = factory.Sequence(lambda n: f"學員{n}")
    birth_year = 1980
    phone = factory.Sequence(lambda n: f"+8869{n:08d}")
    email = factory.Sequence(lambda n: f"learner{n}@example.test")
    # An account's learner has finished sign-up, so typed back the code texted to the number.
    phone_verified_at = factory.LazyAttribute(
        lambda learner: timezone.now() if getattr(learner, "user", None) and learner.phone else None
    )

    class Params:
        senior = factory.Trait(birth_year=1950)
        indigenous_person = factory.Trait(
            indigenous="yes",
            indigenous_nation="atayal",
            consent_version=CONSENT_VERSION,
            consent_given_at=factory.LazyFunction(timezone.now),
        )
        new_immigrant_person = factory.Trait(
            new_immigrant="yes",
            origin_country="vn",
            consent_version=CONSENT_VERSION,
            consent_given_at=factory.LazyFunction(timezone.now),
        )
