"""An editor clicks 一键分发全省 on a live article and watches the deliveries turn green on the
status page, which updates itself (polling its JSON endpoint) without a reload."""

import re
import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from distribution.models import Distribution
from distribution.receiver import Receiver
from distribution.webhooks import close_http_client
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory, hubei_sample
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def receiver(settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    close_http_client()
    secrets = {}
    instance = Receiver(secrets.get).start()
    instance.secrets = secrets
    yield instance
    instance.stop()
    close_http_client()


def test_editor_distributes_and_watches_deliveries_turn_green(
    login_page, topic, receiver, run_tasks
):
    regions = hubei_sample()
    article = ArticlePageFactory(parent=topic, title="遇到电信诈骗怎么办")
    article.save_revision().publish()
    channels = []
    for region in (regions["wuhan"], regions["jiangan"], regions["yiling"]):
        channel = WebhookChannelFactory(region=region, name=f"{region.name}融媒体中心")
        channel.webhook_url = receiver.hook_url(channel.code)
        channel.save()
        receiver.secrets[channel.code] = [channel.signing_secret]
        channels.append(channel)
    ChannelFactory(region=regions["xiantao"], name="仙桃市融媒体中心")  # pull

    # An editor whose computer is set to UTC, eight hours behind the portal.
    page = login_page("editor", timezone_id="UTC")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    # In the action menu beside 保存草稿.
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("link", name="一键分发全省").click()
    page.get_by_role("button", name="一键分发全省").click()

    expect(page).to_have_url(re.compile(r"/admin/distribution/\d+/$"))
    expect(page.locator('[data-count="total"]')).to_have_text("4")
    expect(page.locator('[data-count="pending"]')).to_have_text("4")
    expect(page.locator("[data-regions]")).to_contain_text("武汉市")
    expect(page.locator("[data-regions]")).to_contain_text("江岸区")

    # The worker delivers; the open page catches up by itself.
    run_tasks()
    expect(page.locator('[data-count="delivered"]')).to_have_text("3")
    expect(page.locator('[data-count="pending"]')).to_have_text("1")
    expect(page.locator("[data-finished]")).to_be_visible()
    assert Distribution.objects.get().deliveries.filter(state="delivered").count() == 3
    # The live time is written as the server writes times: in the portal's zone (Asia/Shanghai),
    # not the browser's, so it reads as now on the portal's clock.
    shown = datetime.strptime(page.locator("[data-as-of]").inner_text(), "%Y-%m-%d %H:%M:%S")
    portal_now = timezone.localtime().replace(tzinfo=None)
    assert abs(portal_now - shown) < timedelta(minutes=2)


def webhook_channel(receiver, region, name, registered=True):
    channel = WebhookChannelFactory(region=region, name=name)
    channel.webhook_url = receiver.hook_url(channel.code)
    channel.save()
    if registered:
        receiver.secrets[channel.code] = [channel.signing_secret]
    return channel


def test_editor_schedules_a_distribution_and_sees_it_go_out_at_that_time(
    editor_page, topic, receiver, run_tasks
):
    regions = hubei_sample()
    article = ArticlePageFactory(parent=topic, title="新版消费者权益保护知识")
    article.save_revision().publish()
    for region in (regions["wuhan"], regions["jiangan"], regions["yiling"]):
        webhook_channel(receiver, region, f"{region.name}融媒体中心")
    run_tasks()  # publishing's own background work, so the worker is idle from here on

    page = editor_page
    page.goto(f"/admin/distribution/page/{article.pk}/")
    expect(page.get_by_label("分发时间")).to_be_hidden()
    page.get_by_label("定时分发").check()
    send_at = timezone.localtime(timezone.now() + timedelta(seconds=20)).replace(microsecond=0)
    page.get_by_label("分发时间").fill(send_at.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="一键分发全省").click()

    expect(page.locator(".messages")).to_contain_text(f"已安排在 {send_at:%Y-%m-%d %H:%M} 分发")
    status_line = page.locator("[data-status-line]")
    expect(status_line).to_have_text(f"定时分发：{send_at:%Y-%m-%d %H:%M}（尚未发出）")
    run_tasks()  # the worker finds nothing due before the time
    expect(page.locator('[data-count="total"]')).to_have_text("0")
    assert receiver.handled == {}

    time.sleep(max(0.0, (send_at - timezone.now()).total_seconds()) + 0.1)
    run_tasks()
    expect(status_line).to_contain_text("已于")
    expect(page.locator('[data-count="delivered"]')).to_have_text("3")
    expect(page.get_by_role("button", name="取消这次分发")).to_be_hidden()
    distribution = Distribution.objects.get()
    assert distribution.sent_at >= send_at
    assert sum(receiver.handled.values()) == 3


def test_editor_counts_before_sending_reads_why_one_failed_and_retries_it(
    editor_page, topic, receiver, run_tasks
):
    regions = hubei_sample()
    article = ArticlePageFactory(parent=topic, title="遇到校园欺凌怎么办")
    article.save_revision().publish()
    webhook_channel(receiver, regions["wuhan"], "武汉市门户网站")
    # The receiver does not know this channel yet: it answers 404.
    jiangan = webhook_channel(receiver, regions["jiangan"], "江岸区融媒体中心", registered=False)
    webhook_channel(receiver, regions["yiling"], "夷陵区融媒体中心")

    page = editor_page
    page.goto(f"/admin/distribution/page/{article.pk}/")
    reach = page.locator(".distribute-reach")
    expect(reach.locator('[data-reach="channels"]')).to_have_text("0")
    page.get_by_label("武汉市", exact=True).check()
    expect(reach.locator('[data-reach="channels"]')).to_have_text("2")
    page.get_by_text("县市区", exact=True).click()
    page.get_by_label("江岸区", exact=True).check()  # inside 武汉市 already: still two
    expect(reach.locator('[data-reach="to_send"]')).to_have_text("2")
    page.get_by_role("button", name="分发到所选地区和渠道").click()

    run_tasks()
    failing = page.locator("[data-failing]")
    expect(failing).to_contain_text("江岸区融媒体中心")
    expect(failing).to_contain_text("接收地址不存在（HTTP 404）")
    expect(failing).to_contain_text("请向渠道确认 Webhook 地址")
    expect(page.locator('[data-count="delivered"]')).to_have_text("1")

    receiver.secrets[jiangan.code] = [jiangan.signing_secret]  # the channel fixed its receiver
    failing.get_by_role("button", name="重试").click()
    expect(page.locator(".messages")).to_contain_text("已重新排队：江岸区融媒体中心")
    run_tasks()
    expect(page.locator('[data-count="delivered"]')).to_have_text("2")
    expect(failing).to_contain_text("没有失败的渠道")

    # The channel's own page lists what it received.
    page.goto(f"/admin/distribution/channels/inspect/{jiangan.pk}/")
    history = page.locator("table.channel-history")
    expect(history).to_contain_text("遇到校园欺凌怎么办")
    expect(history).to_contain_text("已送达")
    expect(history).to_contain_text("未上报")
