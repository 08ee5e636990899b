"""The default course-satisfaction survey: its content, and a builder that works with the real
models and with a migration's historical ones (so the migration never imports app code that
may change later)."""

from __future__ import annotations

DEFAULT_SURVEY = {
    "title_zh_hant": "課程滿意度調查",
    "title_en": "Course satisfaction survey",
    "title_vi": "Khảo sát mức độ hài lòng về khóa học",
    "intro_zh_hant": (
        "謝謝您來上課！請花兩分鐘告訴我們您的感想，您的意見會幫助我們把課程辦得更好。"
    ),
    "intro_en": (
        "Thank you for coming to the course! Please take two minutes to tell us what you "
        "thought: your answers help us make the courses better."
    ),
    "intro_vi": (
        "Cảm ơn bạn đã đến học! Xin dành hai phút cho chúng tôi biết cảm nghĩ của bạn: ý kiến "
        "của bạn giúp chúng tôi tổ chức các khóa học tốt hơn."
    ),
    "anonymous": True,
}

DEFAULT_QUESTIONS = [
    {
        "kind": "likert",
        "topic": "content",
        "text_zh_hant": "您對這門課的上課內容滿意嗎？",
        "text_en": "How satisfied are you with what the course taught?",
        "text_vi": "Bạn có hài lòng với nội dung khóa học không?",
    },
    {
        "kind": "likert",
        "topic": "instructor",
        "text_zh_hant": "您對講師的教學滿意嗎？",
        "text_en": "How satisfied are you with the instructor's teaching?",
        "text_vi": "Bạn có hài lòng với cách giảng dạy của giảng viên không?",
    },
    {
        "kind": "likert",
        "topic": "pace",
        "text_zh_hant": "您對上課的速度（快慢）滿意嗎？",
        "text_en": "How satisfied are you with the pace of the classes (not too fast or slow)?",
        "text_vi": (
            "Bạn có hài lòng với tốc độ của lớp học (không quá nhanh, không quá chậm) không?"
        ),
    },
    {
        "kind": "likert",
        "topic": "venue",
        "text_zh_hant": "您對上課地點和設備（電腦、網路、投影）滿意嗎？",
        "text_en": (
            "How satisfied are you with the venue and equipment (computers, internet, projector)?"
        ),
        "text_vi": (
            "Bạn có hài lòng với địa điểm và thiết bị học (máy tính, mạng internet, máy chiếu) "
            "không?"
        ),
    },
    {
        "kind": "likert",
        "topic": "usefulness",
        "text_zh_hant": "學到的東西在日常生活中用得上嗎？您對它的實用程度滿意嗎？",
        "text_en": "How satisfied are you with how useful the course is in your daily life?",
        "text_vi": (
            "Những gì đã học có hữu ích trong cuộc sống hằng ngày không? Bạn có hài lòng không?"
        ),
    },
    {
        "kind": "likert",
        "topic": "overall",
        "text_zh_hant": "整體來說，您對這門課滿意嗎？",
        "text_en": "Overall, how satisfied are you with this course?",
        "text_vi": "Nhìn chung, bạn có hài lòng với khóa học này không?",
    },
    {
        "kind": "recommend",
        "topic": "recommend",
        "text_zh_hant": "您有多願意推薦這門課給家人或朋友？",
        "text_en": "How likely are you to recommend this course to family or friends?",
        "text_vi": "Bạn sẵn lòng giới thiệu khóa học này cho gia đình hoặc bạn bè đến mức nào?",
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
        "text_vi": (
            "Bạn còn muốn nói gì với chúng tôi không? (Ví dụ: điều gì giúp bạn nhiều nhất, điều "
            "gì chúng tôi có thể làm tốt hơn, hoặc khóa học bạn muốn học tiếp theo.)"
        ),
    },
]


def default_survey_create(survey_model, question_model):
    """The default survey, created with its questions if no survey is the default yet.
    Idempotent; returns the default survey (existing or new)."""
    existing = survey_model.objects.filter(is_default=True).first()
    if existing is not None:
        return existing
    # A migration's historical model may predate some fields (e.g. the Vietnamese texts).
    fields = {field.name for field in survey_model._meta.get_fields()}
    survey = survey_model.objects.create(
        is_default=True, **{key: value for key, value in DEFAULT_SURVEY.items() if key in fields}
    )
    has_vietnamese = "text_vi" in {field.name for field in question_model._meta.get_fields()}
    question_model.objects.bulk_create(
        question_model(
            survey_id=survey.pk,
            sort_order=position,
            kind=spec["kind"],
            topic=spec["topic"],
            text_zh_hant=spec["text_zh_hant"],
            text_en=spec["text_en"],
            required=spec.get("required", True),
            **({"text_vi": spec["text_vi"]} if has_vietnamese else {}),
        )
        for position, spec in enumerate(DEFAULT_QUESTIONS)
    )
    return survey


def default_survey_add_vietnamese(survey_model, question_model):
    """Fill the default survey's empty Vietnamese texts (questions matched by topic; texts an
    administrator already wrote are kept)."""
    survey = survey_model.objects.filter(is_default=True).first()
    if survey is None:
        return
    for field in ("title_vi", "intro_vi"):
        if not getattr(survey, field):
            setattr(survey, field, DEFAULT_SURVEY[field])
    survey.save(update_fields=["title_vi", "intro_vi"])
    texts = {spec["topic"]: spec["text_vi"] for spec in DEFAULT_QUESTIONS}
    for question in question_model.objects.filter(survey_id=survey.pk, text_vi=""):
        if question.topic in texts:
            question.text_vi = texts[question.topic]
            question.save(update_fields=["text_vi"])
