"""Operators' commands: reach_rollup (no argument, --date, --since) and channel_token."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from distribution.models import channel_for_token
from reach.models import DailyReach
from tests.reach.factories import page_loads


def rollup(*args):
    out = StringIO()
    call_command("reach_rollup", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_with_no_argument_every_day_with_new_events_is_rolled_up(article, channel):
    page_loads(article, 2, "jiangan", days_ago=2)
    page_loads(article, 3, "jiangan")
    out = rollup()
    today = timezone.localdate()
    assert f"{today}：已汇总（3 条原始浏览记录）" in out
    assert f"{today - datetime.timedelta(days=2)}：已汇总（2 条原始浏览记录）" in out
    assert sum(DailyReach.objects.values_list("views", flat=True)) == 5


def test_one_day_or_every_day_since_one(article, channel):
    page_loads(article, 2, "jiangan", days_ago=5)
    day = timezone.localdate() - datetime.timedelta(days=5)
    assert rollup("--date", day.isoformat()).splitlines() == [
        f"汇总 1 天（{day} 至 {day}）…",
        f"{day}：已汇总（2 条原始浏览记录）",
        "共汇总 1 天",
    ]
    assert "共汇总 6 天" in rollup("--since", day.isoformat())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-02-30"], "日期须为 YYYY-MM-DD 格式"),
        (["--date", "9999-01-01"], "不能汇总未来的日期"),
    ],
)
def test_bad_dates_are_refused(db, args, message):
    with pytest.raises(CommandError, match=message):
        rollup(*args)


def test_channel_token_issues_a_new_token_and_prints_it_once(channel):
    old = channel.plain_token
    out = StringIO()
    call_command("channel_token", "jiangan", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    assert token.startswith("pfc_")
    assert channel_for_token(token) == channel
    assert channel_for_token(old) is None
    channel.refresh_from_db()
    assert token not in (channel.token_hash, channel.token_hint)


def test_channel_token_for_an_unknown_code_is_an_error(db):
    with pytest.raises(CommandError, match="找不到跟踪代码为 nope 的渠道"):
        call_command("channel_token", "nope", stdout=StringIO(), stderr=StringIO())
