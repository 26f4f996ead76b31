"""The demo loader: two weeks through the real pipeline (real distribution, real counting, real
reports, real roll-up), proportional to population, idempotent, and the install says it is a
demo."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum

from distribution.demo import channel_spec
from distribution.models import Channel, Delivery
from reach import demo, weekly
from reach.models import (
    DailyReach,
    DemoInstall,
    OfficialScope,
    ReportedRead,
    RollUp,
    ViewEvent,
    WeeklyReport,
)
from tests.reach.factories import region


@pytest.fixture
def demo_channels(db, settings, monkeypatch):
    """Three of the demo's channels, made as distribution's demo makes them: 武汉市's portal
    (webhook; 12.3 million residents), 江岸区 and 神农架林区 (pull feeds; 66,571 residents)."""
    settings.DISTRIBUTION_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1:8001"]
    monkeypatch.setattr(demo, "WEBHOOK_FAULT_RATE", 0)  # which send fails depends on threads
    channels = []
    for adcode in (420100, 420102, 429021):
        code, fields = channel_spec(region(adcode), index=1)
        channels.append(Channel.objects.create(code=code, **fields))
    return channels


def test_the_demo_goes_through_the_real_pipeline(article, video, demo_channels):
    out = io.StringIO()
    demo.load(out)
    assert "经真实统计流程" in out.getvalue()
    assert DemoInstall.objects.exists()
    # Deliveries really happened: the webhook channel answered, the pull channels fetched.
    delivered = Delivery.objects.filter(state=Delivery.State.DELIVERED)
    assert delivered.filter(channel__code="hb420100", attempts__kind="webhook").count() == 2
    assert delivered.filter(channel__code="hb420102", attempts__kind="feed_fetch").count() == 2
    assert ViewEvent.objects.exists() and ReportedRead.objects.exists()
    assert RollUp.objects.filter(rolled_up_at__isnull=False).count() == demo.DEMO_DAYS
    views = dict(
        DailyReach.objects.filter(region__isnull=False)
        .values_list("region_id")
        .annotate(Sum("views"))
    )
    assert views[420100] > 10 * views.get(429021, 0)
    # Every roll-up row's views are the raw events the counting function recorded.
    assert DailyReach.objects.aggregate(total=Sum("views"))["total"] == ViewEvent.objects.count()

    before = ViewEvent.objects.count()
    demo.load(io.StringIO())  # idempotent
    assert ViewEvent.objects.count() == before
    # Last week's reports, made once by the clock's own builder, for the province and 武汉市
    # (the scope of the demo's second official).
    monday = weekly.last_full_week()[0]
    reports = WeeklyReport.objects.made().order_by("scope")
    assert list(reports.values_list("week_start", "scope")) == [(monday, 420000), (monday, 420100)]


def test_demo_officials_can_log_in_to_their_scope(db):
    demo.load(io.StringIO())
    officials = get_user_model().objects.filter(username__in=["official", "official-wuhan"])
    assert officials.count() == 2
    assert OfficialScope.objects.get(user__username="official").region is None
    assert OfficialScope.objects.get(user__username="official-wuhan").region.name == "武汉市"
