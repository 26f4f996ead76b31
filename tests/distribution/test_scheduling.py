"""Distributing later: at a chosen time (a task queued with run_after, run by the real worker)
or when the page goes live (approval, or Wagtail's scheduled publishing run by the clock)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from distribution import scheduling
from distribution.models import Delivery, Distribution
from distribution.services import DistributionError
from tests.distribution.factories import ChannelFactory, WebhookChannelFactory
from tests.distribution.test_fanout import webhook_channels
from tests.factories import ArticlePageFactory

Status = Distribution.Status


def wait_until(moment):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.05)


@pytest.fixture
def draft(topic):
    return ArticlePageFactory(parent=topic, title="新修订的消费者权益保护规定", live=False)


def test_a_timed_distribution_goes_out_at_its_time_and_not_before(
    article, regions, receiver, editor, drain, run_tasks
):
    channels = webhook_channels(receiver, regions, count=3)
    drain()  # publishing's own work (search index, references) first: the clock starts now
    send_at = timezone.now() + timedelta(seconds=3)
    distribution = scheduling.schedule(article, editor, channels=channels, send_at=send_at)

    run_tasks()  # the worker runs what is due: the start is not, yet
    distribution.refresh_from_db()
    assert distribution.status == Status.SCHEDULED
    assert distribution.deliveries.count() == 0
    assert receiver.handled == {}

    wait_until(send_at)
    drain()
    distribution.refresh_from_db()
    assert distribution.status == Status.SENT
    assert distribution.sent_at >= send_at
    assert sorted(distribution.deliveries.values_list("state", flat=True)) == ["delivered"] * 3
    assert sum(receiver.handled.values()) == 3
    assert PageLogEntry.objects.filter(action="distribution.schedule").count() == 1
    assert PageLogEntry.objects.filter(action="distribution.distribute").count() == 1


def test_on_publication_waits_for_the_reviewers_approval(
    draft, regions, editor, run_tasks, django_capture_on_commit_callbacks
):
    ChannelFactory(region=regions["wuhan"])
    ChannelFactory(region=regions["jiangan"])
    distribution = scheduling.schedule(draft, editor, everywhere=True, on_publish=True)
    run_tasks()
    distribution.refresh_from_db()
    assert distribution.status == Status.SCHEDULED

    # Approval in the review workflow ends in publishing the revision, as here.
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    run_tasks()
    distribution.refresh_from_db()
    assert distribution.status == Status.SENT
    assert distribution.deliveries.count() == 2
    assert distribution.payload["title"] == "新修订的消费者权益保护规定"


@pytest.mark.django_db(transaction=True)
def test_on_publication_fires_when_wagtail_scheduled_publishing_makes_the_page_live(
    topic, regions, editor, run_tasks
):
    page = ArticlePageFactory(parent=topic, title="定时发布的普法文章", live=False)
    ChannelFactory(region=regions["yiling"])
    go_live = timezone.now() + timedelta(seconds=2)
    page.go_live_at = go_live
    page.save_revision().publish()  # with a future go-live time: scheduled, not live
    page.refresh_from_db()
    assert not page.live
    distribution = scheduling.schedule(page, editor, everywhere=True, on_publish=True)

    wait_until(go_live)
    call_command("publish_scheduled", verbosity=0)  # what the clock's task runs every minute
    run_tasks()
    distribution.refresh_from_db()
    page.refresh_from_db()
    assert page.live
    assert distribution.status == Status.SENT
    assert distribution.deliveries.get().channel.region == regions["yiling"]


def test_a_page_taken_down_before_the_time_is_not_sent_and_says_why(article, regions, editor):
    ChannelFactory(region=regions["wuhan"])
    distribution = scheduling.schedule(
        article, editor, everywhere=True, send_at=timezone.now() + timedelta(seconds=1)
    )
    article.unpublish()
    wait_until(distribution.send_at)

    assert scheduling.start(distribution.pk) == Status.NOT_SENT
    distribution.refresh_from_db()
    assert distribution.note == "到分发时间时内容未处于发布状态，未发出"
    assert not Delivery.objects.exists()


def test_a_cancelled_distribution_never_goes_out(article, regions, editor, run_tasks):
    ChannelFactory(region=regions["wuhan"])
    distribution = scheduling.schedule(
        article, editor, everywhere=True, send_at=timezone.now() + timedelta(seconds=1)
    )
    assert scheduling.cancel(distribution, editor) is True
    wait_until(distribution.send_at)
    run_tasks()

    distribution.refresh_from_db()
    assert distribution.status == Status.CANCELLED
    assert not Delivery.objects.exists()
    assert scheduling.cancel(distribution, editor) is False


def test_starting_twice_sends_once(article, regions, editor):
    ChannelFactory(region=regions["wuhan"])
    distribution = scheduling.schedule(
        article, editor, everywhere=True, send_at=timezone.now() + timedelta(milliseconds=200)
    )
    wait_until(distribution.send_at)

    assert scheduling.start(distribution.pk) == Status.SENT
    assert scheduling.start(distribution.pk) is None
    assert Delivery.objects.count() == 1


def test_a_lost_start_task_is_started_by_the_recovery_sweep(article, regions, editor, run_tasks):
    ChannelFactory(region=regions["wuhan"])
    distribution = scheduling.schedule(
        article, editor, everywhere=True, send_at=timezone.now() + timedelta(seconds=1)
    )
    DBTaskResult.objects.all().delete()  # the queued start is lost
    Distribution.objects.filter(pk=distribution.pk).update(
        send_at=timezone.now() - timedelta(minutes=5)
    )

    assert scheduling.start_overdue() == [distribution.pk]
    run_tasks()
    distribution.refresh_from_db()
    assert distribution.status == Status.SENT


def test_what_would_fail_anyway_is_refused_at_the_click(article, draft, regions, editor):
    ChannelFactory(region=regions["wuhan"])
    with pytest.raises(DistributionError, match="定时分发的时间已过"):
        scheduling.schedule(
            article, editor, everywhere=True, send_at=timezone.now() - timedelta(minutes=1)
        )
    with pytest.raises(DistributionError, match="已经发布，没有待发布的版本"):
        scheduling.schedule(article, editor, everywhere=True, on_publish=True)
    with pytest.raises(DistributionError, match="请至少选择一个地区或渠道"):
        scheduling.schedule(draft, editor, on_publish=True)
    assert not Distribution.objects.exists()


def test_the_status_api_tells_a_scheduled_distribution_from_a_sent_one(
    client, article, regions, editor
):
    WebhookChannelFactory(region=regions["wuhan"])
    send_at = timezone.make_aware(timezone.datetime(2030, 5, 1, 9, 30))
    distribution = scheduling.schedule(article, editor, everywhere=True, send_at=send_at)
    client.force_login(editor)

    data = client.get(reverse("api:distribution_status", args=[distribution.pk])).json()
    assert data["status"] == "scheduled"
    assert data["status_line"] == "定时分发：2030-05-01 09:30（尚未发出）"
    assert data["sending_finished"] is False
