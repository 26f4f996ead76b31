"""Factories for every model the tests touch, shared by unit and browser tests. Other apps add
their factories in modules beside this one (tests/<app>/factories.py)."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from content.models import (
    ArticlePage,
    HomePage,
    Statute,
    StatuteArticle,
    TopicIndexPage,
    VideoMedia,
    VideoPage,
)

CHINESE_NUMERALS = "零一二三四五六七八九"


def article_label(number):
    """第N条 in Chinese numerals, good enough for test data up to 9999."""
    if number < 10:
        digits = CHINESE_NUMERALS[number]
    else:
        units = ["", "十", "百", "千"]
        digits = ""
        for power, digit in reversed(list(enumerate(int(d) for d in reversed(str(number))))):
            if digit:
                digits += CHINESE_NUMERALS[digit] + units[power]
            elif digits and not digits.endswith("零"):
                digits += "零"
        digits = digits.rstrip("零")
        if digits.startswith("一十"):
            digits = digits[1:]
    return f"第{digits}条"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            for name in extracted:
                self.groups.add(Group.objects.get(name=name))


class StatuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statute
        django_get_or_create = ("law_id",)

    law_id = factory.Sequence(lambda n: f"law{n:08x}")
    name = factory.Sequence(lambda n: f"中华人民共和国测试法{n}")
    short_name = factory.LazyAttribute(lambda s: s.name.removeprefix("中华人民共和国"))
    doc_type = "法律"
    level = "法律"
    issuing_body = "全国人民代表大会常务委员会"
    status = Statute.Status.IN_FORCE


class StatuteArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatuteArticle

    statute = factory.SubFactory(StatuteFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda a: a.position)
    label = factory.LazyAttribute(lambda a: article_label(a.number))
    chapter = "第一章 总则"
    text = factory.Sequence(lambda n: f"这是第{n}条测试条文的内容。")


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "湖北网络普法"
    hero_title = "湖北网络普法"
    hero_text = "学法、守法、用法，一键送达全省。"


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TopicIndexPage

    title = factory.Sequence(lambda n: f"栏目{n}")
    intro = "栏目介绍"


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"普法文章{n}")
    summary = "一篇用于测试的普法文章摘要。"
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>遇到电信网络诈骗，请立即拨打110报警。</p>")]
    )


class VideoMediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoMedia

    title = factory.Sequence(lambda n: f"普法短视频文件{n}")
    type = "video"
    file = factory.django.FileField(filename="demo.mp4", data=b"\x00" * 16)
    duration = 12.0


class VideoPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = VideoPage

    title = factory.Sequence(lambda n: f"普法短视频{n}")
    summary = "一段用于测试的普法短视频。"
    video = factory.SubFactory(VideoMediaFactory)
    transcript = "这是视频的文字稿。"


def make_site():
    """A site whose root is a HomePage, as the demo builds it; returns the HomePage."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "湖北网络普法",
        },
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home
