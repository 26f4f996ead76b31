"""The demo loader: 90 days, proportional to population, labelled, idempotent, removable."""

import io

from django.contrib.auth import get_user_model
from django.db.models import Min, Sum

from reach import demo
from reach.models import DailyReach, OfficialScope, ReportedRead
from tests.reach.factories import ChannelFactory, region


def test_demo_reach_is_seeded_labelled_and_proportional(article, video):
    ChannelFactory(region=region(420100), code="wuhan")  # 12.3 million residents
    ChannelFactory(region=region(429021), code="shennongjia")  # 66,571 residents
    out = io.StringIO()
    demo.load(out)
    assert "触达演示数据" in out.getvalue()
    assert not DailyReach.objects.filter(is_demo=False, views__gt=0).exists()
    assert DailyReach.objects.filter(is_demo=True).aggregate(Min("date"))["date__min"] is not None
    dates = DailyReach.objects.filter(is_demo=True).dates("date", "day")
    assert len(dates) <= demo.DEMO_DAYS
    views = dict(
        DailyReach.objects.filter(is_demo=True, region__isnull=False)
        .values_list("region_id")
        .annotate(Sum("views"))
    )
    assert views[420100] > 50 * views.get(429021, 0)
    assert ReportedRead.objects.filter(is_demo=True).exists()

    before = DailyReach.objects.count()
    demo.load(io.StringIO())  # idempotent
    assert DailyReach.objects.count() == before

    demo.load(io.StringIO(), reset=True)  # the same seed gives the same figures
    assert DailyReach.objects.count() == before


def test_demo_officials_can_log_in_to_their_scope(db):
    demo.load(io.StringIO())
    officials = get_user_model().objects.filter(username__in=["official", "official-wuhan"])
    assert officials.count() == 2
    assert OfficialScope.objects.get(user__username="official").region is None
    assert OfficialScope.objects.get(user__username="official-wuhan").region.name == "武汉市"
