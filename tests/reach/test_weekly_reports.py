"""The officials' weekly report: made by the clock's task for the last full Monday–Sunday week
once that week is final, for the province and each prefecture an official is scoped to; its Excel
file holds the dashboard's own figures for that week, its picture the dashboard's map."""

import datetime
from io import BytesIO, StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from reach import tasks, weekly
from reach.models import RollUp, WeeklyReport
from tests.processes import manage
from tests.reach.factories import OfficialFactory, reach_in_week, region

DASHBOARD = "/admin/coverage/"
MADE, EXISTS, BEING_MADE = weekly.Outcome


@pytest.fixture
def week():
    return weekly.last_full_week()


@pytest.fixture
def week_of_reach(client, article, channel, other_channel, week):
    OfficialFactory(username="official-wuhan", scope=420100)
    reach_in_week(client, article, channel, other_channel, week[0])
    return week


def report_of(scope):
    return WeeklyReport.objects.made().get(scope=region(scope))


def sheet_rows(report, sheet):
    """{first cell: {column header: value}} of a sheet's table (the row under the heading whose
    first cell is ``header``)."""
    with report.workbook.open("rb") as file:
        values = list(load_workbook(BytesIO(file.read()))[sheet].values)
    header = next(i for i, row in enumerate(values) if row[0] in ("排名", "指标"))
    names = values[header]
    return {
        (row[1] if sheet == "覆盖排名" else row[0]): dict(zip(names, row, strict=True))
        for row in values[header + 1 :]
    }


def dashboard_for_week(client, scope, week):
    client.force_login(OfficialFactory(scope=scope))
    response = client.get(DASHBOARD, {"start": week[0].isoformat(), "end": week[1].isoformat()})
    assert response.status_code == 200
    return response.context


@pytest.fixture
def made(week_of_reach):
    return weekly.make_missing_reports()


@pytest.fixture
def province_report(week_of_reach, week):
    """The province's report alone (a picture takes seconds to draw)."""
    weekly.make_report(region(420000), *week)
    return report_of(420000)


def test_last_week_is_the_monday_to_sunday_before_this_one(db):
    assert weekly.last_full_week(datetime.date(2026, 12, 2)) == (
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
    )


def test_on_a_monday_last_week_ended_yesterday(db):
    assert weekly.last_full_week(datetime.date(2026, 11, 30))[1] == datetime.date(2026, 11, 29)


def test_the_province_and_each_scoped_prefecture_get_a_report(made):
    assert made == {"全省": MADE, "武汉市": MADE}


@pytest.mark.parametrize(
    ("name", "column", "key"),
    [
        ("武汉市", "浏览量", "views"),
        ("武汉市", "访客", "visitors"),
        ("武汉市", "上报阅读量", "reported_reads"),
        ("宜昌市", "浏览量", "views"),
        ("宜昌市", "送达", "delivered"),
        ("武汉市", "每万人浏览量", "views_per_10k"),
        ("武汉市", "排名", "rank"),
    ],
)
def test_the_reports_ranking_is_the_dashboards_for_that_week(client, made, week, name, column, key):
    dashboard = {row["name"]: row for row in dashboard_for_week(client, None, week)["rows"]}
    assert sheet_rows(report_of(420000), "覆盖排名")[name][column] == dashboard[name][key]


def test_the_figures_are_those_of_the_week_alone(province_report):
    # 6 loads in 江岸 that week; the 2 of the week before are not in it.
    assert sheet_rows(province_report, "覆盖排名")["武汉市"]["浏览量"] == 6


@pytest.mark.parametrize("index", range(5))
def test_the_reports_headlines_are_the_dashboards_for_that_week(
    client, province_report, week, index
):
    headline = dashboard_for_week(client, None, week)["headlines"][index]
    overview = list(sheet_rows(province_report, "概览").values())[index]
    assert (overview["本时段"], overview["变化"]) == (headline.value, headline.change_text)


def test_the_headline_views_of_the_week_are_against_the_week_before(province_report):
    assert sheet_rows(province_report, "概览")["浏览量"]["变化"] == "比上一时段 +8（+400.0%）"


def test_a_prefectures_report_ranks_its_counties_as_its_officials_dashboard_does(
    client, made, week
):
    dashboard = {row["name"]: row for row in dashboard_for_week(client, 420100, week)["rows"]}
    assert (
        sheet_rows(report_of(420100), "覆盖排名")["江岸区"]["浏览量"]
        == dashboard["江岸区"]["views"]
    )


def test_a_prefectures_report_has_nothing_of_other_prefectures(made):
    assert "宜都市" not in sheet_rows(report_of(420100), "覆盖排名")


def test_the_file_is_headed_by_its_week_and_scope(made, week):
    with report_of(420100).workbook.open("rb") as file:
        sheet = load_workbook(BytesIO(file.read())).active
    year, number, _day = week[0].isocalendar()
    assert sheet["A1"].value == (
        f"湖北网络普法覆盖周报：武汉市 · {year}年第{number}周（{week[0]} 至 {week[1]}）"
    )


def test_the_map_picture_is_a_png(province_report):
    with province_report.map_picture.open("rb") as file:
        assert Image.open(file).format == "PNG"


def test_the_map_picture_is_wide_enough_to_read_and_small_enough_to_mail(province_report):
    with province_report.map_picture.open("rb") as file:
        width = Image.open(file).width
    assert 1000 <= width <= 2000


def test_a_second_run_makes_nothing_again(made):
    assert weekly.make_missing_reports() == {"全省": EXISTS, "武汉市": EXISTS}


def test_reports_wait_until_the_weeks_sunday_is_rolled_up_after_it_ended(
    client, article, channel, other_channel, week
):
    reach_in_week(client, article, channel, other_channel, week[0])
    sunday = week[1]
    RollUp.objects.filter(date=sunday).update(
        rolled_up_at=timezone.make_aware(datetime.datetime.combine(sunday, datetime.time(23)))
    )
    assert weekly.make_missing_reports() == {}


def test_nothing_is_made_for_a_week_never_rolled_up(db):
    assert weekly.make_missing_reports() == {}


def test_a_report_another_process_is_making_is_left_to_it(week_of_reach, week):
    WeeklyReport.objects.create(scope=region(420000), week_start=week[0], week_end=week[1])
    assert weekly.make_missing_reports()["全省"] == BEING_MADE


def test_a_report_whose_maker_died_is_made_after_half_an_hour(week_of_reach, week):
    long_ago = timezone.now() - weekly.STALE_AFTER - datetime.timedelta(minutes=1)
    WeeklyReport.objects.create(
        scope=region(420000), week_start=week[0], week_end=week[1], started_at=long_ago
    )
    assert weekly.make_missing_reports()["全省"] == MADE


def test_a_report_that_fails_is_taken_back_and_made_on_the_next_run(week_of_reach):
    with (
        mock.patch.object(weekly, "map_png", side_effect=RuntimeError("no shapes")),
        pytest.raises(RuntimeError),
    ):
        weekly.make_missing_reports()
    assert weekly.make_missing_reports() == {"全省": MADE, "武汉市": MADE}


def test_the_clocks_task_makes_the_reports_in_the_worker(week_of_reach, run_tasks):
    result = tasks.make_weekly_reports.enqueue()
    run_tasks()
    result.refresh()
    assert result.return_value == {"全省": "made", "武汉市": "made"}


def test_the_clock_asks_for_the_reports_every_hour(settings):
    assert settings.PERIODIC_TASKS["reach.tasks.make_weekly_reports"] == 3600


def test_the_command_says_what_it_made(week_of_reach):
    out = StringIO()
    call_command("weekly_report", stdout=out)
    assert out.getvalue().splitlines()[1:] == ["全省：已生成", "武汉市：已生成"]


@pytest.mark.django_db(transaction=True)
def test_two_processes_started_together_make_the_report_once(
    client, article, channel, other_channel, week, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the other processes' too
    reach_in_week(client, article, channel, other_channel, week[0])
    first, second = manage("weekly_report"), manage("weekly_report")
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    said = [line for out, _err in outputs for line in out.splitlines()]
    assert said.count("全省：已生成") == 1
    assert WeeklyReport.objects.made().count() == 1
    assert len(list((tmp_path / "reports").rglob("*.*"))) == 2


@pytest.mark.django_db(transaction=True)
def test_another_process_leaves_a_report_being_made_here_alone(
    client, article, channel, other_channel, week, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the other process's too
    reach_in_week(client, article, channel, other_channel, week[0])
    WeeklyReport.objects.create(scope=region(420000), week_start=week[0], week_end=week[1])
    out, err = manage("weekly_report").communicate(timeout=300)
    assert out.splitlines()[1:] == ["全省：另一进程正在生成，未重复生成"]
    assert not (tmp_path / "reports").exists()
