"""An editor clicks 一键分发全省 on a live article and watches the deliveries turn green on the
status page, which updates itself (polling its JSON endpoint) without a reload."""

import re

import pytest
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
    editor_page, topic, receiver, run_tasks
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

    page = editor_page
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
