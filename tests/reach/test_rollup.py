"""Daily roll-ups by the task worker: the map reads them, they recompute a day idempotently and
never twice at once, a bad day is isolated and reported, 送达 counts each (channel, item) once,
and raw events are deleted only after their day is rolled up for good (in one statement)."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.db.models.deletion import Collector
from django.test import override_settings
from django.utils import timezone

from reach import rollup
from reach.models import DailyReach, ReportedRead, RollUp, ViewEvent
from reach.rollup import days_to_roll_up, purge_raw_events, roll_up_day, roll_up_days
from reach.tasks import roll_up_recent
from tests.reach.conftest import BROWSER_UA
from tests.reach.factories import deliver, page_loads, roll_up

COVERAGE = "/api/coverage/"


def county(response, adcode):
    return next(f for f in response.json()["features"] if f["properties"]["adcode"] == adcode)


def test_a_tracked_view_raises_the_countys_figure_after_the_next_roll_up(
    reader, client, article, channel, run_tasks
):
    roll_up()
    before = county(client.get(COVERAGE + "?level=county"), 420102)["properties"]
    assert (before["views"], before["visitors"]) == (0, 0)
    reader.get(article.url + "?ch=jiangan")
    reader.get(article.url + "?ch=jiangan")
    # Until the roll-up the map does not move: it never reads raw events.
    assert county(client.get(COVERAGE + "?level=county"), 420102)["properties"]["views"] == 0
    roll_up_recent.enqueue()
    run_tasks()
    after = county(client.get(COVERAGE + "?level=county"), 420102)["properties"]
    assert (after["views"], after["visitors"]) == (2, 1)
    prefecture = county(client.get(COVERAGE), 420100)["properties"]
    assert (prefecture["views"], prefecture["visitors"]) == (2, 1)


def test_the_figures_stay_apart(client, article, channel):
    deliver(client, article, channel)
    page_loads(article, 3, "jiangan", readers=2)
    client.post(
        "/api/reach/reports/",
        {"item_id": article.pk, "date": timezone.localdate().isoformat(), "reads": 70},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}",
    )
    roll_up()
    row = DailyReach.objects.get()
    assert (row.delivered, row.views, row.visitors, row.reported_reads, row.reports) == (
        1,
        3,
        2,
        70,
        1,
    )


def test_a_resend_does_not_count_as_a_second_delivery(client, article, channel, other_channel):
    deliver(client, article, channel)
    deliver(client, article, channel, resend=True)
    deliver(client, article, other_channel)
    roll_up()
    wuhan = county(client.get(COVERAGE), 420100)["properties"]
    assert (wuhan["delivered"], wuhan["delivered_channels"]) == (1, 1)
    assert DailyReach.objects.filter(channel=channel).get().delivered == 1


def test_rolling_up_a_day_twice_gives_the_same_rows(reader, article, channel):
    reader.get(article.url + "?ch=jiangan")
    today = timezone.localdate()
    roll_up_day(today)
    roll_up_day(today)
    assert DailyReach.objects.get().views == 1
    assert RollUp.objects.get(date=today).raw_events == 1


def test_the_roll_up_table_refuses_a_second_row_for_one_key(article):
    from django.db import IntegrityError, transaction

    today = timezone.localdate()
    DailyReach.objects.create(date=today, page=article)  # unknown region, no channel
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReach.objects.create(date=today, page=article)


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


def test_a_report_dated_0001_01_01_no_longer_stops_the_roll_up(article, channel):
    """An older portal accepted such a report (refused now), and every roll-up then failed with
    an OverflowError in the day's bounds."""
    ancient = datetime.date(1, 1, 1)
    ReportedRead.objects.bulk_create(
        [ReportedRead(channel=channel, page=article, date=ancient, reads=5)]
    )
    RollUp.objects.create(date=ancient, needs_rerun=True)
    page_loads(article, 2, "jiangan")
    done, failed = roll_up_days(days_to_roll_up())
    assert failed == {}
    assert DailyReach.objects.get(date=ancient).reported_reads == 5
    assert DailyReach.objects.get(date=timezone.localdate()).views == 2


def failing_on(bad_day):
    real = rollup.report_figures

    def report_figures(day):
        if day == bad_day:
            raise ValueError("坏数据")
        return real(day)

    return mock.patch("reach.rollup.report_figures", report_figures)


def test_a_bad_day_is_reported_and_every_other_day_still_rolls_up(client, article, channel, caplog):
    bad = timezone.localdate() - datetime.timedelta(days=1)
    page_loads(article, 2, "jiangan")
    with failing_on(bad):
        done, failed = roll_up_days([bad, timezone.localdate()])
    assert failed == {bad: "ValueError: 坏数据"}
    assert DailyReach.objects.get(date=timezone.localdate()).views == 2
    assert f"roll-up of {bad} failed" in caplog.text
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["reach"]["failed_days"] == [
        {"date": bad.isoformat(), "error": "ValueError: 坏数据"}
    ]
    roll_up_days([bad])  # the next run succeeds: no longer reported
    assert client.get("/healthz").json()["reach"]["failed_days"] == []


def test_with_no_argument_every_day_since_the_last_roll_up_is_rolled_up(article, channel):
    page_loads(article, 1, "jiangan", days_ago=4)
    page_loads(article, 1, "jiangan")
    today = timezone.localdate()
    assert days_to_roll_up()[0] == today - datetime.timedelta(days=4)
    roll_up_days(days_to_roll_up())
    assert days_to_roll_up() == [today]


@override_settings(REACH_RAW_RETENTION_DAYS=7)
def test_raw_events_past_retention_are_deleted_but_their_views_are_kept(article, channel):
    page_loads(article, 3, "jiangan", readers=2, days_ago=10)
    assert purge_raw_events() == 3
    assert not ViewEvent.objects.exists()
    old = timezone.localdate() - datetime.timedelta(days=10)
    assert (DailyReach.objects.get(date=old).views, DailyReach.objects.get(date=old).visitors) == (
        3,
        2,
    )
    # A later re-run of that day (say a late report) keeps the views it can no longer recount.
    ReportedRead.objects.create(channel=channel, page=article, date=old, reads=5)
    roll_up_day(old)
    row = DailyReach.objects.get(date=old)
    assert (row.views, row.reported_reads) == (3, 5)


@override_settings(REACH_RAW_RETENTION_DAYS=7)
def test_a_purge_deletes_a_day_in_one_statement_whatever_its_size(
    article, channel, django_assert_num_queries
):
    """No receiver listens to view events (nor to pages without a sender), so Django deletes
    them with one DELETE instead of loading each row into memory first."""
    assert Collector(using="default").can_fast_delete(ViewEvent.objects.all())
    page_loads(article, 50, "jiangan", days_ago=10)
    roll_up_day(timezone.localdate() - datetime.timedelta(days=10))
    deletes = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            deletes.append(sql) if sql.startswith("DELETE FROM") and "viewevent" in sql else None,
            execute(sql, params, many, context),
        )[1]
    ):
        assert purge_raw_events() == 50
    assert len(deletes) == 1


def test_views_of_unknown_region_are_counted_as_such(client, article):
    client.get(article.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.1")
    roll_up_day(timezone.localdate())
    row = DailyReach.objects.get()
    assert row.region_id is None and row.views == 1
