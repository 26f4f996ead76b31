"""What an editor uses around a distribution: the count of channels a selection reaches before
sending, retrying one failed delivery, a channel's history with its reported reads, and the
distribute buttons offered only where they can work."""

import re
from datetime import date

import pytest
from django.urls import reverse

from distribution import services
from distribution.models import Delivery
from reach.models import ReportedRead
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory
from tests.factories import ArticlePageFactory, UserFactory


@pytest.fixture
def channels(regions):
    return {
        "wuhan": ChannelFactory(region=regions["wuhan"], name="武汉市门户网站"),
        "jiangan": ChannelFactory(region=regions["jiangan"], name="江岸区融媒体中心"),
        "yiling": ChannelFactory(region=regions["yiling"], name="夷陵区融媒体中心"),
        "paused": ChannelFactory(region=regions["wuchang"], name="武昌区融媒体中心", paused=True),
    }


def reach_of(client, page, **params):
    url = reverse("api:distribution_reach", args=[page.pk])
    response = client.get(url, params)
    assert response.status_code == 200
    return response.json()


def test_the_count_before_sending_follows_the_selection(client, editor, article, regions, channels):
    client.force_login(editor)
    assert reach_of(client, article) == {"channels": 0, "already": 0, "to_send": 0}
    # A prefecture brings its counties; the paused 武昌区 channel is not reachable.
    assert reach_of(client, article, region=[regions["wuhan"].pk]) == {
        "channels": 2,
        "already": 0,
        "to_send": 2,
    }
    # A county already inside a chosen prefecture is not counted twice.
    both = [regions["wuhan"].pk, regions["jiangan"].pk, regions["yiling"].pk]
    assert reach_of(client, article, region=both)["channels"] == 3

    services.distribute(article, editor, channels=[channels["jiangan"]])
    assert reach_of(client, article, everywhere="true") == {
        "channels": 3,
        "already": 1,
        "to_send": 2,
    }
    assert reach_of(client, article, everywhere="true", resend="true")["to_send"] == 3


def test_the_count_is_for_those_who_may_distribute(client, official, article, channels):
    client.force_login(official)
    response = client.get(reverse("api:distribution_reach", args=[article.pk]))
    assert response.status_code == 403


def test_a_bad_selection_gets_a_chinese_4xx(client, editor, article, channels):
    client.force_login(editor)
    response = client.get(reverse("api:distribution_reach", args=[article.pk]), {"region": "武汉"})
    assert response.status_code == 422
    assert response.json()["detail"] == "参数有误：region必须是整数。"


def failed_delivery(article, editor, regions, code="http_404", status=404):
    channel = WebhookChannelFactory(region=regions["yiling"], name="夷陵区融媒体中心")
    distribution = services.distribute(article, editor, channels=[channel])
    delivery = distribution.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.DEAD,
        attempt_count=15,
        last_status_code=status,
        last_error_code=code,
        last_error=f"接收方返回 HTTP {status}",
    )
    return delivery


def test_one_failed_delivery_is_retried_alone(client, editor, article, regions):
    delivery = failed_delivery(article, editor, regions)
    other = failed_delivery(article, editor, regions)
    client.force_login(editor)

    status = client.get(reverse("distribution_status", args=[delivery.distribution_id]))
    html = status.content.decode()
    assert "接收地址不存在（HTTP 404）" in html
    assert "请向渠道确认 Webhook 地址" in html

    response = client.post(reverse("distribution_delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    other.refresh_from_db()
    assert (delivery.state, delivery.attempt_count) == (Delivery.State.PENDING, 0)
    assert other.state == Delivery.State.DEAD


def test_a_delivery_to_a_paused_channel_cannot_be_retried_until_resumed(
    client, editor, article, regions
):
    delivery = failed_delivery(article, editor, regions, code="channel_paused", status=None)
    delivery.channel.pause("持续失败")
    client.force_login(editor)
    html = client.get(reverse("distribution_delivery", args=[delivery.pk])).content.decode()
    assert "在渠道设置中取消“已暂停”" in html
    response = client.post(reverse("distribution_delivery_retry", args=[delivery.pk]), follow=True)
    assert "这条送达不能重试" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DEAD


def test_the_channel_page_lists_what_it_received_with_its_reported_reads(
    client, editor, topic, regions, channels
):
    first = ArticlePageFactory(parent=topic, title="民法典里的邻里关系")
    second = ArticlePageFactory(parent=topic, title="遇到校园欺凌怎么办")
    for page in (first, second):
        page.save_revision().publish()
        services.distribute(page, editor, channels=[channels["yiling"]])
    ReportedRead.objects.create(
        channel=channels["yiling"], page=first, date=date(2026, 11, 1), reads=1200
    )
    ReportedRead.objects.create(
        channel=channels["yiling"], page=first, date=date(2026, 11, 2), reads=34
    )
    client.force_login(editor)

    response = client.get(reverse("distribution_channel:inspect", args=[channels["yiling"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("遇到校园欺凌怎么办") < html.index("民法典里的邻里关系")  # newest first
    assert "1,234" in html
    assert "未上报" in html  # the second item: no report is unknown, not zero


def test_channel_booleans_read_as_yes_and_no(client, editor, channels):
    client.force_login(editor)
    html = client.get(
        reverse("distribution_channel:inspect", args=[channels["paused"].pk])
    ).content.decode()
    fields = dict(
        zip(
            re.findall(r"<dt>\s*(.*?)\s*</dt>", html),
            re.findall(r"<dd>\s*(.*?)\s*</dd>", html, re.S),
            strict=True,
        )
    )
    assert (fields["启用"], fields["已暂停"], fields["暂停时间"]) == ("是", "是", "—")
    assert {"True", "False", "None"}.isdisjoint(fields.values())


def test_distribute_buttons_only_where_they_work(client, editor, topic, article):
    draft = ArticlePageFactory(parent=topic, title="还在审核的文章", live=False)
    client.force_login(editor)
    live_html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    draft_html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert "一键分发全省" in live_html and "分发到…" in live_html
    assert "一键分发全省" not in draft_html and "分发到…" not in draft_html
    assert "发布后分发…" in draft_html


def test_reviewers_get_no_distribute_buttons(client, article):
    reviewer = UserFactory(username="reviewer-d", groups=["审核"])
    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "一键分发全省" not in html
