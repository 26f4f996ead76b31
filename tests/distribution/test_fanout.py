"""One click to many channels, through the real database task worker and a real local
webhook receiver: delivered only on 2xx, retries with the same webhook-id, nothing lost when
the worker dies mid-fan-out, no repeat to channels that already have the item."""

from datetime import timedelta

import pytest
from django.utils import timezone

from distribution import services
from distribution.models import Channel, Delivery, DeliveryAttempt, Distribution
from distribution.tasks import recover_deliveries
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory

State = Delivery.State


def webhook_channels(receiver, regions, count=6):
    channels = []
    places = [regions["jiangan"], regions["wuchang"], regions["yiling"], regions["xiantao"]]
    for i in range(count):
        channel = WebhookChannelFactory(region=places[i % len(places)])
        channel.webhook_url = receiver.hook_url(channel.code)
        channel.save()
        receiver.secrets[channel.code] = [channel.signing_secret]
        channels.append(channel)
    return channels


def states(distribution):
    return sorted(distribution.deliveries.values_list("state", flat=True))


def test_one_click_delivers_to_every_webhook_channel(article, regions, receiver, editor, drain):
    channels = webhook_channels(receiver, regions)
    pull = ChannelFactory(region=regions["wuhan"])

    distribution = services.distribute(article, editor, everywhere=True)

    # Nothing is sent in the request: every delivery waits for the worker.
    assert states(distribution) == [State.PENDING] * 7
    drain()
    delivered = distribution.deliveries.filter(state=State.DELIVERED)
    assert {d.channel for d in delivered} == set(channels)
    assert all(d.delivered_at and d.last_status_code == 200 for d in delivered)
    # The pull channel has not fetched its feed yet, so it is not delivered.
    assert distribution.deliveries.get(channel=pull).state == State.PENDING
    for channel in channels:
        assert receiver.handled[(channel.code, "item.published", article.pk)] == 1
    payload = receiver.messages[0][2]["data"]
    assert payload["title"] == "遇到电信诈骗怎么办"
    assert payload["distribution_id"] == distribution.pk
    assert "?ch=" in payload["url"]


def test_transient_failures_are_retried_with_the_same_webhook_id(
    article, regions, receiver, editor, drain
):
    receiver.faults.error_rate = 0.5
    channels = webhook_channels(receiver, regions, count=8)
    distribution = services.distribute(article, editor, channels=channels)

    drain()

    assert states(distribution) == [State.DELIVERED] * 8
    retried = distribution.deliveries.filter(attempt_count__gt=1)
    assert retried.exists(), "with half the requests failing, some deliveries needed retries"
    for delivery in retried:
        attempts = list(delivery.attempts.order_by("started_at"))
        assert [a.succeeded for a in attempts][-1] is True
        # 500s injected by the receiver (or, on a very busy machine, a timeout).
        assert not any(a.succeeded for a in attempts[:-1])
        assert all(a.latency_ms is not None for a in attempts)
    # Every webhook-id the receiver accepted is one delivery's id: retries reused it.
    ids = {msg_id for _code, msg_id, _m in receiver.messages}
    assert ids == set(distribution.deliveries.values_list("webhook_id", flat=True))


def test_receiver_failing_forever_ends_dead_and_pauses_the_channel(
    article, regions, receiver, editor, drain, settings
):
    settings.DISTRIBUTION_MAX_ATTEMPTS = 4
    receiver.faults.error_rate = 1.0
    (channel,) = webhook_channels(receiver, regions, count=1)
    distribution = services.distribute(article, editor, channels=[channel])

    drain()

    delivery = distribution.deliveries.get()
    assert delivery.state == State.DEAD
    assert delivery.attempt_count == 4
    assert delivery.delivered_at is None
    assert delivery.last_status_code == 500
    assert "500" in delivery.last_error

    # Failing past DISTRIBUTION_PAUSE_AFTER pauses the channel and flags it.
    settings.DISTRIBUTION_PAUSE_AFTER = timedelta(seconds=0)
    assert services.retry_failed(distribution, editor) == 1
    drain()
    channel.refresh_from_db()
    assert channel.paused
    assert "持续送达失败" in channel.paused_reason
    assert distribution.deliveries.get().state == State.DEAD
    # A paused channel is not retried until someone resumes it.
    assert services.retry_failed(distribution, editor) == 0


def test_hanging_receiver_times_out_without_holding_up_the_others(
    article, regions, receiver, editor, drain, settings
):
    settings.DISTRIBUTION_MAX_ATTEMPTS = 1
    receiver.faults.timeout_rate = 1.0
    receiver.faults.hang_seconds = 4
    hanging = webhook_channels(receiver, regions, count=1)[0]
    healthy_receiver_channel = WebhookChannelFactory(region=regions["yiling"])
    from distribution.receiver import Receiver

    healthy = Receiver(
        {healthy_receiver_channel.code: [healthy_receiver_channel.signing_secret]}.get
    )
    healthy.start()
    try:
        Channel.objects.filter(pk=healthy_receiver_channel.pk).update(
            webhook_url=healthy.hook_url(healthy_receiver_channel.code)
        )
        distribution = services.distribute(
            article, editor, channels=[hanging, healthy_receiver_channel]
        )
        drain()
    finally:
        healthy.stop()
    slow = distribution.deliveries.get(channel=hanging)
    fast = distribution.deliveries.get(channel=healthy_receiver_channel)
    assert fast.state == State.DELIVERED
    assert slow.state == State.DEAD
    assert "超时" in slow.last_error
    # The healthy channel's answer was in before the hanging one's timeout ran out.
    hung = slow.attempts.get()
    assert hung.latency_ms >= settings.DISTRIBUTION_REQUEST_TIMEOUT * 1000
    assert fast.delivered_at < hung.started_at + timedelta(
        seconds=settings.DISTRIBUTION_REQUEST_TIMEOUT
    )


def test_worker_killed_mid_fan_out_loses_nothing(
    article, regions, receiver, editor, drain, monkeypatch
):
    channels = webhook_channels(receiver, regions, count=10)
    distribution = services.distribute(article, editor, channels=channels)

    class WorkerKilled(BaseException):
        """Stands for SIGKILL: nothing after this point of the worker runs."""

    real_record = services.record_attempt
    recorded = []

    def record_then_die(delivery, result):
        if len(recorded) == 3:
            raise WorkerKilled
        recorded.append(delivery.pk)
        real_record(delivery, result)

    monkeypatch.setattr(services, "record_attempt", record_then_die)
    drain()
    monkeypatch.setattr(services, "record_attempt", real_record)

    # The receiver got the messages (all of them, unless one timed out on a busy machine), but
    # the worker died before recording most of them.
    seen_before_crash = len(receiver.seen_ids)
    assert seen_before_crash >= 9
    assert distribution.deliveries.filter(state=State.DELIVERED).count() == 3
    assert distribution.deliveries.filter(state=State.SENDING).count() == 7

    # Later, the leases run out; the periodic recovery queues them again.
    Delivery.objects.filter(state=State.SENDING).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    recover_deliveries.enqueue()
    drain()

    assert states(distribution) == [State.DELIVERED] * 10
    # Sent again with the same webhook-id: the receiver dropped the repeats, and each
    # channel's handler saw the item exactly once.
    assert receiver.stats["duplicates_dropped"] == seen_before_crash - 3
    assert all(receiver.handled[(c.code, "item.published", article.pk)] == 1 for c in channels)


def test_redistribution_is_idempotent_unless_resend(article, regions, receiver, editor, drain):
    channels = webhook_channels(receiver, regions, count=3)
    first = services.distribute(article, editor, channels=channels)
    drain()

    with pytest.raises(services.DistributionError, match="都已收到"):
        services.distribute(article, editor, channels=channels)

    extra = webhook_channels(receiver, regions, count=1)
    second = services.distribute(article, editor, channels=[*channels, *extra])
    assert list(second.deliveries.values_list("channel", flat=True)) == [extra[0].pk]
    assert second.skipped_count == 3

    third = services.distribute(article, editor, channels=channels, resend=True)
    drain()
    assert third.deliveries.count() == 3
    # A resend is a new message with a new webhook-id, on purpose.
    assert not set(first.deliveries.values_list("webhook_id", flat=True)) & set(
        third.deliveries.values_list("webhook_id", flat=True)
    )
    assert all(receiver.handled[(c.code, "item.published", article.pk)] == 2 for c in channels)


def test_page_not_live_is_refused(article, regions, editor):
    ChannelFactory(region=regions["wuhan"])
    article.unpublish()
    with pytest.raises(services.DistributionError, match="尚未发布"):
        services.distribute(article, editor, everywhere=True)
    assert not Distribution.objects.exists()


def test_zero_targets_is_refused(article, regions, editor):
    with pytest.raises(services.DistributionError, match="没有可用的渠道"):
        services.distribute(article, editor, everywhere=True)
    paused = ChannelFactory(region=regions["yiling"], paused=True)
    with pytest.raises(services.DistributionError, match="没有可用的渠道"):
        services.distribute(article, editor, regions=[regions["yichang"]])
    with pytest.raises(services.DistributionError, match="至少选择"):
        services.distribute(article, editor)
    assert paused.deliveries.count() == 0
    assert not Distribution.objects.exists()


def test_prefecture_target_includes_its_counties(article, regions, editor):
    city = ChannelFactory(region=regions["wuhan"])
    district = ChannelFactory(region=regions["jiangan"])
    elsewhere = ChannelFactory(region=regions["yiling"])
    distribution = services.distribute(article, editor, regions=[regions["wuhan"]])
    targeted = set(distribution.deliveries.values_list("channel", flat=True))
    assert targeted == {city.pk, district.pk}
    assert elsewhere.pk not in targeted


def test_unpublishing_retracts_from_channels_that_received_it(
    article, regions, receiver, editor, drain, django_capture_on_commit_callbacks
):
    channels = webhook_channels(receiver, regions, count=2)
    services.distribute(article, editor, channels=channels[:1])
    drain()
    services.distribute(article, editor, channels=channels[1:])  # not sent yet

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    drain()

    retraction = Distribution.objects.get(kind=Distribution.Kind.RETRACT)
    assert list(retraction.deliveries.values_list("channel", flat=True)) == [channels[0].pk]
    assert retraction.deliveries.get().state == State.DELIVERED
    assert receiver.handled[(channels[0].code, "item.retracted", article.pk)] == 1
    # The channel that never got the item gets no retraction, and its pending send stops.
    assert receiver.handled[(channels[1].code, "item.published", article.pk)] == 0
    assert Delivery.objects.get(channel=channels[1], distribution__kind="publish").state == (
        State.DEAD
    )


def test_every_attempt_is_recorded(article, regions, receiver, editor, drain):
    (channel,) = webhook_channels(receiver, regions, count=1)
    distribution = services.distribute(article, editor, channels=[channel])
    drain()
    attempt = DeliveryAttempt.objects.get(delivery__distribution=distribution)
    assert attempt.status_code == 200
    assert attempt.succeeded
    assert attempt.latency_ms is not None
    assert attempt.started_at <= distribution.deliveries.get().delivered_at


def test_deleting_a_live_page_retracts_it(article, regions, receiver, editor, drain):
    channels = webhook_channels(receiver, regions, count=2)
    services.distribute(article, editor, channels=channels)
    drain()
    page_id = article.pk

    article.delete()
    drain()

    retraction = Distribution.objects.get(kind=Distribution.Kind.RETRACT)
    assert retraction.page is None
    assert retraction.page_title == "遇到电信诈骗怎么办"
    assert sorted(retraction.deliveries.values_list("state", flat=True)) == [State.DELIVERED] * 2
    assert all(receiver.handled[(c.code, "item.retracted", page_id)] == 1 for c in channels)
