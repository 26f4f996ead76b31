"""The admin side: editors click 一键分发全省 / 分发到…, watch the status page; officials cannot
distribute; channels are managed with a test event, secret rotation and a one-time token."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from distribution.models import Channel, Distribution
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory
from tests.factories import UserFactory


@pytest.fixture
def channels(regions):
    return [
        ChannelFactory(region=regions["wuhan"], name="武汉市门户网站"),
        ChannelFactory(region=regions["jiangan"], name="江岸区融媒体中心"),
        ChannelFactory(region=regions["yiling"], name="夷陵区融媒体中心"),
    ]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-d", is_superuser=True, is_staff=True)


def test_editor_sees_the_buttons_on_a_live_article(client, editor, article, channels):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "一键分发全省" in html
    assert reverse("distribution_distribute", args=[article.pk]) in html


def test_one_click_creates_a_distribution_and_shows_its_status(client, editor, article, channels):
    client.force_login(editor)
    url = reverse("distribution_distribute", args=[article.pk])
    assert "一键分发全省" in client.get(url + "?all=1").content.decode()

    response = client.post(url, {"everywhere": "on"})

    distribution = Distribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("distribution_status", args=[distribution.pk])
    assert distribution.created_by == editor
    assert distribution.deliveries.count() == 3
    status_page = client.get(response["Location"])
    html = status_page.content.decode()
    assert "武汉市" in html and "江岸区" in html and "待送达" in html
    assert "status.js" in html

    # The page polls this small JSON endpoint.
    data = client.get(reverse("api:distribution_status", args=[distribution.pk])).json()
    assert data["total"] == 3
    assert data["counts"]["pending"] == 3
    (wuhan,) = [p for p in data["prefectures"] if p["name"] == "武汉市"]
    assert wuhan["counts"]["pending"] == 2
    assert [c["name"] for c in wuhan["counties"]] == ["江岸区"]

    # The audit log records who distributed what.
    entry = PageLogEntry.objects.get(page=article, action="distribution.distribute")
    assert entry.user == editor
    assert entry.data["channels"] == 3


def test_distribute_to_chosen_prefecture(client, editor, article, channels, regions):
    client.force_login(editor)
    url = reverse("distribution_distribute", args=[article.pk])
    form = client.get(url).content.decode()
    assert "宜昌市" in form and "夷陵区" in form
    client.post(url, {"prefectures": [regions["yichang"].pk]})
    assert [d.channel.name for d in Distribution.objects.get().deliveries.all()] == [
        "夷陵区融媒体中心"
    ]


def test_empty_choice_and_not_live_page_get_a_clear_answer(client, editor, article, channels):
    client.force_login(editor)
    url = reverse("distribution_distribute", args=[article.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "请至少选择一个地区或渠道" in response.content.decode()

    article.unpublish()
    response = client.post(url, {"everywhere": "on", "when": "now"})
    assert response.status_code == 400
    assert "未发布的内容只能发布后分发或定时分发" in response.content.decode()
    assert not Distribution.objects.exists()


def test_official_cannot_distribute_or_see_distributions(client, official, article, channels):
    client.force_login(official)
    url = reverse("distribution_distribute", args=[article.pk])
    assert client.get(url).status_code == 302
    response = client.post(url, {"everywhere": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not Distribution.objects.exists()

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert "一键分发全省" not in edit.content.decode()
    assert client.get(reverse("distribution_list")).status_code == 302


def test_official_cannot_read_the_status_json(client, official, editor, article, channels):
    from distribution.services import distribute

    distribution = distribute(article, editor, everywhere=True)
    client.force_login(official)
    response = client.get(reverse("api:distribution_status", args=[distribution.pk]))
    assert response.status_code == 403
    client.logout()
    assert client.get(reverse("api:distribution_status", args=[distribution.pk])).status_code == 401


def test_retry_failed_only_requeues_failed_deliveries(client, editor, article, regions):
    from distribution.models import Delivery
    from distribution.services import distribute

    bad = WebhookChannelFactory(region=regions["wuhan"])
    good = ChannelFactory(region=regions["yiling"])
    distribution = distribute(article, editor, channels=[bad, good])
    distribution.deliveries.filter(channel=bad).update(state=Delivery.State.DEAD, attempt_count=5)
    client.force_login(editor)
    response = client.post(reverse("distribution_retry", args=[distribution.pk]), follow=True)
    assert "已重新排队 1 个失败的送达" in response.content.decode()
    assert distribution.deliveries.get(channel=bad).state == Delivery.State.PENDING
    assert distribution.deliveries.get(channel=good).state == Delivery.State.PENDING
    assert PageLogEntry.objects.filter(action="distribution.retry").exists()


def add_webhook_channel(client, region, webhook_url):
    return client.post(
        reverse("distribution_channel:add"),
        {
            "name": "某县融媒体中心",
            "region": region.pk,
            "kind": Channel.Kind.MEDIA_CENTRE,
            "delivery_mode": Channel.Mode.WEBHOOK,
            "webhook_url": webhook_url,
            "active": "on",
            "code": "mycode01",
        },
    )


def test_channel_form_refuses_an_internal_webhook_url(client, admin_user, regions, settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = []
    client.force_login(admin_user)
    response = add_webhook_channel(client, regions["yiling"], "http://192.168.1.20/hook")
    assert response.status_code == 200
    assert "内网地址" in response.content.decode()
    assert not Channel.objects.exists()


def test_channel_form_needs_a_url_for_webhooks(client, admin_user, regions):
    client.force_login(admin_user)
    response = add_webhook_channel(client, regions["yiling"], "")
    assert "必须填写 Webhook 地址" in response.content.decode()
    assert not Channel.objects.exists()


def test_admin_adds_a_webhook_channel(client, admin_user, regions, settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = ["hooks.example.gov.cn"]
    client.force_login(admin_user)
    response = add_webhook_channel(client, regions["yiling"], "https://hooks.example.gov.cn/pufa")
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.signing_secret.startswith("whsec_")
    assert channel.token_hash is None  # a token is issued on its own page, shown once


def test_send_test_event(client, admin_user, regions, receiver):
    channel = WebhookChannelFactory(region=regions["wuhan"])
    channel.webhook_url = receiver.hook_url(channel.code)
    channel.save()
    receiver.secrets[channel.code] = [channel.signing_secret]
    client.force_login(admin_user)
    url = reverse("distribution_channel_test", args=[channel.pk])
    assert "channel.test" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "测试事件已送达" in response.content.decode()
    assert receiver.handled[(channel.code, "channel.test", None)] == 1

    receiver.secrets[channel.code] = ["whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="]
    response = client.post(url, follow=True)
    assert "测试事件未送达" in response.content.decode()
    assert "401" in response.content.decode()


def test_token_is_shown_once(client, admin_user, regions):
    from distribution.models import channel_for_token

    channel = ChannelFactory(region=regions["wuhan"])
    client.force_login(admin_user)
    url = reverse("distribution_channel_token", args=[channel.pk])
    html = client.post(url).content.decode()
    token = html.split("<code>")[1].split("</code>")[0]
    assert channel_for_token(token) == channel
    assert token not in client.get(url).content.decode()


def test_rotate_secret_from_the_admin(client, admin_user, regions):
    channel = WebhookChannelFactory(region=regions["wuhan"])
    old = channel.signing_secret
    client.force_login(admin_user)
    url = reverse("distribution_channel_secret", args=[channel.pk])
    assert old in client.get(url).content.decode()
    html = client.post(url, follow=True).content.decode()
    channel.refresh_from_db()
    assert channel.previous_secret == old
    assert channel.signing_secret in html
    assert "旧密钥在" in html


def test_paused_channels_are_flagged(client, admin_user, regions):
    ChannelFactory(
        region=regions["wuhan"], paused=True, paused_reason="自 2026-01-01 起持续送达失败"
    )
    client.force_login(admin_user)
    listing = client.get(reverse("distribution_channel:index")).content.decode()
    assert "已暂停" in listing and "持续送达失败" in listing
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "个分发渠道已自动暂停" in home


def test_a_failed_delivery_shows_every_attempt(client, editor, article, regions):
    from distribution.models import Delivery, DeliveryAttempt
    from distribution.services import distribute

    channel = WebhookChannelFactory(region=regions["wuhan"], name="武汉市门户网站")
    distribution = distribute(article, editor, channels=[channel])
    delivery = distribution.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED_RETRYING, attempt_count=2, last_error="接收方返回 HTTP 503"
    )
    for status in (503, 503):
        DeliveryAttempt.objects.create(
            delivery=delivery,
            kind="webhook",
            status_code=status,
            latency_ms=40,
            error="接收方返回 HTTP 503",
        )
    client.force_login(editor)
    data = client.get(reverse("api:distribution_status", args=[distribution.pk])).json()
    (failing,) = data["failing"]
    assert failing["last_error"] == "接收方返回 HTTP 503"
    html = client.get(failing["url"]).content.decode()
    assert html.count("接收方返回 HTTP 503") == 2
    assert delivery.webhook_id in html
