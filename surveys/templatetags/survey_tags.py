"""For /my/ (owned by enrollment's templates, which must not import surveys):
`{% load survey_tags %}{% my_survey_invitations %}` shows the signed-in learner's surveys."""

from django import template

from surveys.selectors import learner_survey_invitations

register = template.Library()


@register.inclusion_tag("surveys/includes/my_invitations.html", takes_context=True)
def my_survey_invitations(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    invitations = learner_survey_invitations(user=user) if user is not None else []
    return {"invitations": invitations}
