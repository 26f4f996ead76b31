"""StreamField blocks for articles. The statute citation block renders the exact text of the
cited article from the statute library: editors choose, they never type the quote."""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailmedia.blocks import VideoChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题文字"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("级别"), choices=[("h2", _("二级标题")), ("h3", _("三级标题"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "content/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt_text = blocks.CharBlock(
        label=_("替代文字"), max_length=200, help_text=_("为读屏软件描述图片内容")
    )
    caption = blocks.CharBlock(label=_("图注"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "content/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("引文"))
    attribution = blocks.CharBlock(label=_("出处"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("引言")
        template = "content/blocks/quote.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问"), max_length=200)
    answer = blocks.RichTextBlock(label=_("答"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("以案说法问答")
        template = "content/blocks/qa.html"


class StatuteCitationBlock(blocks.StructBlock):
    statute = SnippetChooserBlock("content.Statute", label=_("法律法规"))
    article_number = blocks.IntegerBlock(
        label=_("条号"), min_value=1, help_text=_("填写阿拉伯数字，如第一千二百五十四条填 1254")
    )
    note = blocks.CharBlock(
        label=_("编者按"), required=False, max_length=200, help_text=_("可选：说明引用这一条的原因")
    )

    class Meta:
        icon = "doc-full"
        label = _("法条引用")
        template = "content/blocks/statute_citation.html"

    def clean(self, value):
        value = super().clean(value)
        statute = value.get("statute")
        number = value.get("article_number")
        errors = {}
        if statute is not None and not statute.is_in_force:
            errors["statute"] = ValidationError(
                _("《%(name)s》%(status)s，不能引用；请引用现行有效的版本。")
                % {"name": statute.name, "status": statute.get_status_display()}
            )
        elif (
            statute is not None
            and number is not None
            and not statute.articles.filter(number=number).exists()
        ):
            errors["article_number"] = ValidationError(
                _("《%(name)s》没有第 %(number)s 条。") % {"name": statute.name, "number": number}
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["article"] = cited_article(value)
        return context


def cited_article(value):
    """The StatuteArticle a citation block value points at, or None if it has gone."""
    statute = value.get("statute")
    number = value.get("article_number")
    if statute is None or number is None:
        return None
    return statute.articles.filter(number=number).order_by("position").first()


class ArticleVideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("视频"))
    caption = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("视频")
        template = "content/blocks/video.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("段落"),
        features=["bold", "italic", "link", "ol", "ul", "hr"],
        template="content/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    qa = QuestionAnswerBlock()
    statute_citation = StatuteCitationBlock()
    video = ArticleVideoBlock()

    class Meta:
        label = _("正文")


def block_text(block):
    """The words a reader reads in one body block, as plain text: for reading time, search and
    distribution. A citation contributes the law's text; a picture or video only its caption."""
    value = block.value
    match block.block_type:
        case "paragraph":
            return strip_tags(value.source)
        case "heading":
            return value["text"]
        case "quote":
            return "\n".join(filter(None, [value["quote"], value["attribution"]]))
        case "qa":
            return "\n".join([value["question"], strip_tags(value["answer"].source)])
        case "statute_citation":
            article = cited_article(value)
            return article.text if article else ""
        case "image" | "video":
            return value["caption"]
    return ""
