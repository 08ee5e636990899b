"""StreamField blocks for a course page body."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(
        required=False, label=_("Caption"), help_text=_("Describe the picture in a few words.")
    )
    alt_text = blocks.CharBlock(
        required=False,
        label=_("Text for screen readers"),
        help_text=_("What the picture shows, for learners who cannot see it."),
    )

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("Video link"), help_text=_("A YouTube or Vimeo address, e.g. a recorded lesson.")
    )
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")


class HandoutBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Handout file"))
    title = blocks.CharBlock(
        required=False,
        label=_("Title"),
        help_text=_("Shown on the download button; the file's title is used if empty."),
    )
    description = blocks.TextBlock(required=False, label=_("Description"))

    class Meta:
        icon = "doc-full"
        template = "blocks/handout_block.html"
        label = _("Downloadable handout")


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ul", "ol"], label=_("Answer")
    )

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Heading"), default="常見問題")
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        label = _("Frequently asked questions")


class CourseBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="blocks/heading_block.html",
        label=_("Heading"),
    )
    text = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul"], icon="pilcrow", label=_("Text")
    )
    image = ImageBlock()
    video = VideoBlock()
    handout = HandoutBlock()
    faq = FAQBlock()
