"""The default course-satisfaction survey: its content, and a builder that works with the real
models and with a migration's historical ones (so the migration never imports app code that
may change later)."""

from __future__ import annotations

DEFAULT_SURVEY = {
    "title_zh_hant": "課程滿意度調查",
    "title_en": "Course satisfaction survey",
    "intro_zh_hant": (
        "謝謝您來上課！請花兩分鐘告訴我們您的感想，您的意見會幫助我們把課程辦得更好。"
    ),
    "intro_en": (
        "Thank you for coming to the course! Please take two minutes to tell us what you "
        "thought: your answers help us make the courses better."
    ),
    "anonymous": True,
}

DEFAULT_QUESTIONS = [
    {
        "kind": "likert",
        "topic": "content",
        "text_zh_hant": "您對這門課的上課內容滿意嗎？",
        "text_en": "How satisfied are you with what the course taught?",
    },
    {
        "kind": "likert",
        "topic": "instructor",
        "text_zh_hant": "您對講師的教學滿意嗎？",
        "text_en": "How satisfied are you with the instructor's teaching?",
    },
    {
        "kind": "likert",
        "topic": "pace",
        "text_zh_hant": "您對上課的速度（快慢）滿意嗎？",
        "text_en": "How satisfied are you with the pace of the classes (not too fast or slow)?",
    },
    {
        "kind": "likert",
        "topic": "venue",
        "text_zh_hant": "您對上課地點和設備（電腦、網路、投影）滿意嗎？",
        "text_en": (
            "How satisfied are you with the venue and equipment (computers, internet, projector)?"
        ),
    },
    {
        "kind": "likert",
        "topic": "usefulness",
        "text_zh_hant": "學到的東西在日常生活中用得上嗎？您對它的實用程度滿意嗎？",
        "text_en": "How satisfied are you with how useful the course is in your daily life?",
    },
    {
        "kind": "likert",
        "topic": "overall",
        "text_zh_hant": "整體來說，您對這門課滿意嗎？",
        "text_en": "Overall, how satisfied are you with this course?",
    },
    {
        "kind": "recommend",
        "topic": "recommend",
        "text_zh_hant": "您有多願意推薦這門課給家人或朋友？",
        "text_en": "How likely are you to recommend this course to family or friends?",
    },
    {
        "kind": "text",
        "topic": "comments",
        "required": False,
        "text_zh_hant": (
            "還有什麼想告訴我們的嗎？（例如：最有收穫的地方、希望改進的地方、想上的新課程）"
        ),
        "text_en": (
            "Anything else you would like to tell us? (For example: what helped you most, what "
            "we could do better, or a course you would like next.)"
        ),
    },
]


def default_survey_create(survey_model, question_model):
    """The default survey, created with its questions if no survey is the default yet.
    Idempotent; returns the default survey (existing or new)."""
    existing = survey_model.objects.filter(is_default=True).first()
    if existing is not None:
        return existing
    survey = survey_model.objects.create(is_default=True, **DEFAULT_SURVEY)
    question_model.objects.bulk_create(
        question_model(
            survey_id=survey.pk,
            sort_order=position,
            kind=spec["kind"],
            topic=spec["topic"],
            text_zh_hant=spec["text_zh_hant"],
            text_en=spec["text_en"],
            required=spec.get("required", True),
        )
        for position, spec in enumerate(DEFAULT_QUESTIONS)
    )
    return survey
