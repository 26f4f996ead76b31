"""The SSRF guard: webhook URLs into the intranet, the machine itself or a cloud metadata
service are refused when a channel is saved and again when a webhook is sent."""

import socket

import pytest
from django.core.exceptions import ValidationError

from distribution import services
from distribution.models import Delivery
from distribution.ssrf import UnsafeURL, check_webhook_url
from distribution.webhooks import send_webhook
from tests.distribution.factories import WebhookChannelFactory


def resolving_to(*addresses):
    def resolve(host, port, type=0):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    return resolve


@pytest.fixture
def no_allow_list(settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/hook", "回环"),
        ("http://[::1]/hook", "回环"),
        ("http://10.1.2.3/hook", "内网"),
        ("http://192.168.0.10:8080/hook", "内网"),
        ("http://172.16.5.4/hook", "内网"),
        ("http://169.254.169.254/latest/meta-data/", "元数据"),
        ("http://100.100.100.200/latest/meta-data/", "元数据"),
        ("http://[fe80::1]/hook", "链路本地"),
        ("http://[::ffff:127.0.0.1]/hook", "回环"),
        ("http://0.0.0.0/hook", "非公网"),
    ],
)
def test_private_and_metadata_addresses_are_refused(no_allow_list, url, reason):
    with pytest.raises(UnsafeURL, match=reason):
        check_webhook_url(url)


# IPv6 forms that carry an IPv4 address the packet ends up at: 6to4 (2002::/16), Teredo
# (2001::/32, the client address inverted) and NAT64 (64:ff9b::/96, 64:ff9b:1::/48).
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[2002:7f00:1::]/hook", "回环"),
        ("http://[2002:a00:1::1]/hook", "内网"),
        ("http://[2002:a9fe:a9fe::]/latest/meta-data/", "元数据"),
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "回环"),
        ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/hook", "内网"),
        ("http://[64:ff9b::7f00:1]/hook", "回环"),
        ("http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "元数据"),
        ("http://[64:ff9b:1::a00:1]/hook", "非公网"),
    ],
)
def test_ipv4_addresses_wrapped_in_ipv6_are_unwrapped(no_allow_list, url, reason):
    with pytest.raises(UnsafeURL, match=reason):
        check_webhook_url(url)


@pytest.mark.django_db
def test_a_6to4_loopback_url_cannot_be_saved(no_allow_list, regions):
    channel = WebhookChannelFactory.build(
        region=regions["wuhan"], webhook_url="http://[2002:7f00:1::]/"
    )
    with pytest.raises(ValidationError) as error:
        channel.full_clean()
    assert "回环" in str(error.value.message_dict["webhook_url"])


def test_a_public_address_wrapped_in_6to4_or_nat64_is_accepted(no_allow_list):
    # 202.103.24.68 inside 6to4 and NAT64: still the public machine it names.
    for address in ("2002:ca67:1844::1", "64:ff9b::ca67:1844"):
        checked = check_webhook_url("https://hook.example.gov.cn/x", resolve=resolving_to(address))
        assert checked.address == address


def test_a_public_name_resolving_to_a_private_address_is_refused(no_allow_list):
    with pytest.raises(UnsafeURL, match="内网"):
        check_webhook_url("https://hook.example.gov.cn/x", resolve=resolving_to("10.0.0.8"))
    # Any one bad address among several is enough to refuse.
    with pytest.raises(UnsafeURL):
        check_webhook_url(
            "https://hook.example.gov.cn/x", resolve=resolving_to("202.103.24.68", "127.0.0.1")
        )


def test_a_public_address_is_accepted_and_pinned(no_allow_list):
    checked = check_webhook_url(
        "https://hook.example.gov.cn/x", resolve=resolving_to("202.103.24.68")
    )
    assert checked.address == "202.103.24.68"
    assert checked.host == "hook.example.gov.cn"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "javascript:alert(1)",
        "http://",
        "http:///path",
        "http://a:b@x.cn/",
        "http://example.com:99999/",
    ],
)
def test_malformed_urls_are_refused(no_allow_list, url):
    with pytest.raises(UnsafeURL):
        check_webhook_url(url)


def test_allow_listed_hosts_pass(settings):
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1:8001"]
    assert check_webhook_url("http://127.0.0.1:8001/hooks/x").address is None
    with pytest.raises(UnsafeURL):
        check_webhook_url("http://127.0.0.1:8002/hooks/x")


@pytest.mark.django_db
def test_refused_when_the_channel_is_saved(no_allow_list, regions):
    channel = WebhookChannelFactory.build(
        region=regions["wuhan"], webhook_url="http://169.254.169.254/latest/"
    )
    with pytest.raises(ValidationError) as error:
        channel.full_clean()
    assert "元数据" in str(error.value.message_dict["webhook_url"])


@pytest.mark.django_db
def test_refused_again_at_send_time_and_never_retried(no_allow_list, article, regions, editor):
    # Saved while allowed (or before DNS changed); by send time it points at loopback.
    channel = WebhookChannelFactory(region=regions["wuhan"], webhook_url="http://127.0.0.1:1/x")
    result = send_webhook(channel, "msg_x", {"type": "channel.test"})
    assert not result.succeeded and result.permanent
    assert "回环" in result.error

    distribution = services.distribute(article, editor, channels=[channel])
    services.send_due(distribution.pk)
    delivery = distribution.deliveries.get()
    assert delivery.state == Delivery.State.DEAD
    assert "回环" in delivery.last_error
    assert delivery.attempts.count() == 1
