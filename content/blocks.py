"""StreamField blocks for articles. The statute citation block renders the exact text of the
cited article from the statute library: editors choose, they never type the quote."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

from content.citations import ArticleNumberError, parse_article
from content.lawnames import resolve_law
from content.models.statutes import Statute


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


class LawNameField(forms.CharField):
    """A law typed by name (民法典, 勞動合同法, 道交法); cleans to the one Statute in force
    that it means."""

    def clean(self, value):
        if isinstance(value, Statute):
            value = value.name if value.is_in_force else value.law_id
        name = super().clean(value)
        if not name:
            return None
        match = resolve_law(name)
        if match.statute is None:
            raise ValidationError(match.error)
        return match.statute


class LawBlock(blocks.FieldBlock):
    """A law, stored as its law_id (the corpus's id, stable across imports), edited as its name.
    It reports the law to Wagtail's reference index, so the law's usage lists the page."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = LawNameField(
            required=required,
            help_text=help_text,
            max_length=255,
            widget=forms.TextInput(attrs={"data-statute-law": "", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Statute) or value in (None, ""):
            return value or None
        return Statute.objects.filter(law_id=value).first()

    def bulk_to_python(self, values):
        found = Statute.objects.in_bulk([v for v in values if v], field_name="law_id")
        return [found.get(v) for v in values]

    def get_prep_value(self, value):
        return value.law_id if isinstance(value, Statute) else value

    def value_for_form(self, value):
        if isinstance(value, Statute):
            # A law no longer in force shows its id: its name would now mean the version in force.
            return value.name if value.is_in_force else value.law_id
        return value or ""

    def value_from_form(self, value):
        return value

    def get_form_state(self, value):
        return self.field.widget.format_value(self.value_for_form(value))

    def extract_references(self, value):
        if isinstance(value, Statute):
            yield Statute, str(value.pk), "", ""


class StatuteCitationBlock(blocks.StructBlock):
    statute = LawBlock(
        label=_("法律法规"), help_text=_("法律名称，可用简称或繁体，如：民法典、劳动合同法、道交法")
    )
    article = blocks.CharBlock(
        label=_("条号"),
        max_length=32,
        help_text=_("如：1254、第1254条、第一千二百五十四条、133之一、133-1"),
        form_classname="statute-citation-article",
    )
    note = blocks.CharBlock(
        label=_("编者按"), required=False, max_length=200, help_text=_("可选：说明引用这一条的原因")
    )

    class Meta:
        icon = "doc-full"
        label = _("法条引用")
        template = "content/blocks/statute_citation.html"
        form_classname = "statute-citation-block"

    def clean(self, value):
        value = super().clean(value)
        statute = value.get("statute")
        try:
            ref = parse_article(value.get("article"))
        except ArticleNumberError as exc:
            raise StructBlockValidationError(
                block_errors={"article": ValidationError(str(exc))}
            ) from exc
        if statute is not None and find_article(statute, ref) is None:
            raise StructBlockValidationError(
                block_errors={
                    "article": ValidationError(
                        _("《%(name)s》没有%(article)s。")
                        % {"name": statute.name, "article": ref.label or value.get("article")}
                    )
                }
            )
        value["article"] = ref.key
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["article"] = cited_article(value)
        context["cited_label"] = cited_label(value)
        return context


def find_article(statute, ref):
    """The article of a law with this identity (an ArticleRef), or None."""
    return statute.articles.filter(number=ref.number, sub_number=ref.sub, item=ref.item).first()


def cited_label(value):
    """第一百三十三条之一 for a citation of 133-1; what was typed if it is not a number."""
    try:
        return parse_article(value.get("article")).label or value.get("article")
    except ArticleNumberError:
        return value.get("article") or ""


def cited_article(value):
    """The StatuteArticle a citation block value points at, or None if it has gone."""
    statute = value.get("statute")
    if statute is None:
        return None
    try:
        ref = parse_article(value.get("article"))
    except ArticleNumberError:
        return None
    return find_article(statute, ref)


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
