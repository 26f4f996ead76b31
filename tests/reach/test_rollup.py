"""Daily roll-ups by the task worker: the map reads them, they recompute a day idempotently, and
raw events are deleted only after their day is rolled up for good."""

import datetime

from django.test import override_settings
from django.utils import timezone

from reach.models import DailyReach, RollUp, ViewEvent
from reach.rollup import purge_raw_events, roll_up_day
from reach.tasks import roll_up_recent
from tests.reach.conftest import BROWSER_UA
from tests.reach.factories import DeliveryFactory, DistributionFactory, ReportedReadFactory

COVERAGE = "/api/coverage/"


def county(response, adcode):
    return next(f for f in response.json()["features"] if f["properties"]["adcode"] == adcode)


def test_a_tracked_view_raises_the_countys_figure_after_the_next_roll_up(
    reader, client, article, channel, run_tasks
):
    before = county(client.get(COVERAGE + "?level=county"), 420102)["properties"]
    assert before["views"] == 0
    reader.get(article.url + "?ch=jiangan")
    # Until the roll-up the map does not move: it never reads raw events.
    assert county(client.get(COVERAGE + "?level=county"), 420102)["properties"]["views"] == 0
    roll_up_recent.enqueue()
    run_tasks()
    after = county(client.get(COVERAGE + "?level=county"), 420102)["properties"]
    assert after["views"] == 1
    prefecture = county(client.get(COVERAGE), 420100)["properties"]
    assert prefecture["views"] == 1


def test_the_three_figures_stay_apart(article, channel):
    today = timezone.localdate()
    distribution = DistributionFactory(page=article)
    DeliveryFactory(distribution=distribution, channel=channel)
    ReportedReadFactory(channel=channel, page=article, date=today, reads=70)
    ViewEvent.objects.create(
        date=today,
        page=article,
        region_id=420102,
        channel=channel,
        visitor=b"v" * 16,
        seen_at=timezone.now(),
    )
    roll_up_day(today)
    row = DailyReach.objects.get()
    assert (row.delivered, row.views, row.reported_reads, row.reports) == (1, 1, 70, 1)


def test_rolling_up_a_day_twice_gives_the_same_rows(reader, article, channel):
    reader.get(article.url + "?ch=jiangan")
    today = timezone.localdate()
    roll_up_day(today)
    roll_up_day(today)
    assert DailyReach.objects.get().views == 1
    assert RollUp.objects.get(date=today).raw_events == 1


def test_a_late_report_for_an_old_day_is_rolled_up_on_the_next_run(client, channel, article):
    old = timezone.localdate() - datetime.timedelta(days=20)
    response = client.post(
        "/api/reach/reports/",
        {"item_id": article.pk, "date": old.isoformat(), "reads": 33},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}",
    )
    assert response.status_code == 201
    assert RollUp.objects.get(date=old).needs_rerun
    roll_up_recent.call()
    assert DailyReach.objects.get(date=old).reported_reads == 33
    assert not RollUp.objects.get(date=old).needs_rerun


@override_settings(REACH_RAW_RETENTION_DAYS=7)
def test_raw_events_past_retention_are_deleted_but_their_views_are_kept(article, channel):
    old = timezone.localdate() - datetime.timedelta(days=10)
    for n in range(3):
        ViewEvent.objects.create(
            date=old,
            page=article,
            region_id=420102,
            channel=channel,
            visitor=bytes([n]) * 16,
            seen_at=timezone.now(),
        )
    assert purge_raw_events() == 3
    assert not ViewEvent.objects.exists()
    assert DailyReach.objects.get(date=old).views == 3
    # A later re-run of that day (say a late report) keeps the views it can no longer recount.
    ReportedReadFactory(channel=channel, page=article, date=old, reads=5)
    roll_up_day(old)
    row = DailyReach.objects.get(date=old)
    assert (row.views, row.reported_reads) == (3, 5)


def test_views_of_unknown_region_are_counted_as_such(client, article):
    client.get(article.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.1")
    roll_up_day(timezone.localdate())
    row = DailyReach.objects.get()
    assert row.region_id is None and row.views == 1
