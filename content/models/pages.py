"""Page types of the portal: the home page, one index page per topic (栏目), and the two kinds of
普法 content, articles and short videos, which live under their topic."""

import math

from django.core.paginator import EmptyPage, Paginator
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from content.blocks import ArticleBodyBlock, block_text
from content.filters import CONTENT_KINDS, TopicFilterForm
from content.models.citation_changes import CitationChange
from content.slugs import PinyinSlugPageForm

SUMMARY_MAX_LENGTH = 200
# Reading speed for Chinese prose, characters per minute (common estimate for adults).
READING_CHARS_PER_MINUTE = 400
ITEMS_PER_PAGE = 12


class PortalPagePermissionTester(PagePermissionTester):
    """Deleting a page takes it off the site, out of search and out of every channel's feed at
    once: an administrator's decision alone, whatever page permissions a group holds (Wagtail
    otherwise lets anyone who may edit a page delete it)."""

    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk)


class AdministratorsDelete:
    """Mixed into every page type of the portal."""

    def permissions_for_user(self, user):
        return PortalPagePermissionTester(user, self)


class HomePage(AdministratorsDelete, Page):
    hero_title = models.CharField(_("主标题"), max_length=120, default="湖北网络普法")
    hero_text = models.TextField(_("导语"), blank=True, max_length=300)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_image"),
        InlinePanel("featured_topics", label=_("推荐栏目"), max_num=12),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.TopicIndexPage"]
    max_count = 1
    base_form_class = PinyinSlugPageForm

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_items"] = ContentPage.latest(self)[:8]
        context["featured_topics"] = [
            f.topic
            for f in self.featured_topics.select_related("topic")
            if f.topic and f.topic.live
        ]
        context["all_topics"] = TopicIndexPage.objects.child_of(self).live().order_by("path")
        return context


class FeaturedTopic(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_topics")
    topic = models.ForeignKey(
        "content.TopicIndexPage", verbose_name=_("栏目"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("topic", "content.TopicIndexPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("推荐栏目")


class TopicIndexPage(AdministratorsDelete, Page):
    intro = models.TextField(_("栏目介绍"), blank=True, max_length=500)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage", "content.VideoPage"]
    base_form_class = PinyinSlugPageForm

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    KIND_CHOICES = CONTENT_KINDS

    def items(self, kind=None, tag=None):
        models_by_kind = {"article": ArticlePage, "video": VideoPage}
        pages = Page.objects.child_of(self).live().specific()
        if kind:
            pages = pages.type(models_by_kind[kind])
        if tag:
            pages = pages.filter(
                models.Q(articlepage__tags__name=tag) | models.Q(videopage__tags__name=tag)
            ).distinct()
        return pages.order_by("-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = TopicFilterForm(request.GET)
        if not filters.is_valid():
            raise Http404(_("没有这一页"))
        kind = filters.cleaned_data["type"] or None
        tag = filters.cleaned_data["tag"] or None
        paginator = Paginator(self.items(kind, tag), ITEMS_PER_PAGE)
        try:
            page_obj = paginator.page(filters.cleaned_data["page"] or 1)
        except EmptyPage as exc:
            raise Http404(_("没有这一页")) from exc
        context.update(
            page_obj=page_obj,
            items=page_obj.object_list,
            kind=kind,
            tag=tag,
            kind_choices=self.KIND_CHOICES,
            tags=self.tags_in_use(),
        )
        return context

    def tags_in_use(self):
        from taggit.models import Tag

        child_ids = Page.objects.child_of(self).live().values("pk")
        return (
            Tag.objects.filter(
                models.Q(content_articlepagetag_items__content_object__in=child_ids)
                | models.Q(content_videopagetag_items__content_object__in=child_ids)
            )
            .distinct()
            .order_by("name")
        )


class ContentPage(AdministratorsDelete, Page):
    """What articles and videos share: a summary, tags, a date, and related items."""

    summary = models.TextField(
        _("摘要"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_("纯文本，最多 200 字，用于列表、搜索和分发"),
    )
    date = models.DateField(_("日期"), default=timezone.localdate)

    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["content.TopicIndexPage"]
    subpage_types = []
    base_form_class = PinyinSlugPageForm

    class Meta:
        abstract = True

    @property
    def topic(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    @classmethod
    def latest(cls, root):
        return (
            Page.objects.descendant_of(root)
            .live()
            .type(ArticlePage, VideoPage)
            .specific()
            .order_by("-first_published_at", "-pk")
        )

    def related_items(self, limit=4):
        parent = self.get_parent()
        if parent is None:
            return Page.objects.none()
        return (
            Page.objects.child_of(parent)
            .live()
            .type(ArticlePage, VideoPage)
            .not_page(self)
            .specific()
            .order_by("-first_published_at", "-pk")[:limit]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_items"] = self.related_items()
        # A law this page cites changed in the library: readers are told until an editor checks.
        context["citation_changes"] = CitationChange.objects.notices_for(self)
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(ContentPage):
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("封面替代文字"), max_length=200, blank=True, help_text=_("为读屏软件描述封面图")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("正文"))
    source = models.CharField(_("来源"), max_length=120, blank=True, default="湖北网络普法")
    author = models.CharField(_("作者"), max_length=120, blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("标签"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading=_("封面")),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("source"), FieldPanel("author"), FieldPanel("tags")],
            heading=_("发布信息"),
        ),
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    kind = "article"
    kind_label = CONTENT_KINDS["article"]

    class Meta:
        verbose_name = _("普法文章")
        verbose_name_plural = _("普法文章")

    @property
    def card_image(self):
        return self.cover_image

    def body_text(self):
        """Plain text of the body, for reading time, search and distribution."""
        texts = (block_text(block).strip() for block in self.body)
        return "\n".join(text for text in texts if text)

    @property
    def reading_minutes(self):
        chars = len("".join(self.body_text().split()))
        return max(1, math.ceil(chars / READING_CHARS_PER_MINUTE))


class VideoPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.VideoPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class VideoPage(ContentPage):
    video = models.ForeignKey(
        "content.VideoMedia",
        verbose_name=_("视频文件"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("MP4 或 WebM，附 WebVTT 字幕"),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("海报图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = models.TextField(_("文字稿"), blank=True)
    tags = ClusterTaggableManager(through=VideoPageTag, blank=True, verbose_name=_("标签"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MediaChooserPanel("video", media_type="video"),
        FieldPanel("poster"),
        FieldPanel("transcript"),
        MultiFieldPanel([FieldPanel("date"), FieldPanel("tags")], heading=_("发布信息")),
    ]
    search_fields = ContentPage.search_fields + [index.SearchField("transcript")]

    kind = "video"
    kind_label = CONTENT_KINDS["video"]

    class Meta:
        verbose_name = _("普法短视频")
        verbose_name_plural = _("普法短视频")

    @property
    def card_image(self):
        return self.poster

    @property
    def duration_display(self):
        seconds = self.video.duration if self.video_id else None
        if not seconds:
            return ""
        minutes, secs = divmod(round(seconds), 60)
        return f"{minutes}:{secs:02d}"
