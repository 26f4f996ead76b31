"""Channels report reads for themselves with their token; a resend replaces; what cannot be true
is refused with a clear 4xx and logged; a token never reads another channel's figures."""

import datetime
import json
import logging

import pytest
from django.utils import timezone

from reach.models import ReportedRead
from reach.rollup import roll_up_day
from tests.reach.factories import deliver

REPORTS = "/api/reach/reports/"
TODAY = timezone.localdate


def report(client, channel, body, token=None):
    token = token if token is not None else channel.plain_token
    return client.post(
        REPORTS,
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_channel_reports_reads_and_a_resend_replaces_the_figure(client, channel, article):
    day = (TODAY() - datetime.timedelta(days=1)).isoformat()
    first = report(client, channel, {"item_id": article.pk, "date": day, "reads": 120})
    assert first.status_code == 201
    assert first.json()["replaced"] is False
    again = report(client, channel, {"item_id": article.pk, "date": day, "reads": 150})
    assert again.status_code == 200
    assert again.json() == {
        "item_id": article.pk,
        "date": day,
        "reads": 150,
        "replaced": True,
        "previous_reads": 120,
    }
    assert ReportedRead.objects.get().reads == 150


def test_an_item_may_be_named_by_its_url_on_our_site(client, channel, article):
    url = "http://localhost" + article.url + "?ch=jiangan"
    response = report(client, channel, {"item_url": url, "date": TODAY().isoformat(), "reads": 3})
    assert response.status_code == 201
    assert ReportedRead.objects.get().page_id == article.pk


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"item_id": None, "reads": 5}, 422, "item_id 或 item_url"),
        ({"date": None, "reads": 5}, 422, "缺少日期"),
        ({"date": "2026-13-01", "reads": 5}, 422, "YYYY-MM-DD"),
        ({"reads": -1}, 422, "负数"),
        ({"reads": "many"}, 422, "整数"),
        ({"reads": 1.5}, 422, "整数"),
    ],
)
def test_malformed_reports_are_refused_in_chinese(client, channel, article, body, status, message):
    body = {"item_id": article.pk, "date": TODAY().isoformat(), **body}
    body = {key: value for key, value in body.items() if value is not None}
    response = report(client, channel, body)
    assert response.status_code == status
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert not ReportedRead.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, channel, article):
    assert report(client, channel, "reads=5").status_code == 400


def test_future_dates_are_refused_and_logged(client, channel, article, caplog):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    with caplog.at_level(logging.WARNING, logger="reach.reports"):
        response = report(client, channel, {"item_id": article.pk, "date": tomorrow, "reads": 5})
    assert response.status_code == 400
    assert "未来日期" in response.json()["detail"]
    assert "report refused" in caplog.text


def test_reads_beyond_ten_times_the_population_are_refused(client, channel, article):
    # 江岸区 has no sourced population, so its prefecture 武汉市 (12,326,518) is the ceiling,
    # and the refusal names the population it used.
    day = TODAY().isoformat()
    absurd = report(client, channel, {"item_id": article.pk, "date": day, "reads": 123_265_181})
    assert absurd.status_code == 400
    assert absurd.json()["detail"] == (
        "阅读数 123,265,181 超过武汉市常住人口（12,326,518）的 10 倍，不可信，已拒绝"
    )
    ok = report(client, channel, {"item_id": article.pk, "date": day, "reads": 123_265_180})
    assert ok.status_code == 201


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "first-publication-eve"])
def test_dates_before_the_items_first_publication_are_refused(client, channel, article, day):
    first = timezone.localdate(article.first_published_at)
    if day == "first-publication-eve":
        day = (first - datetime.timedelta(days=1)).isoformat()
    response = report(client, channel, {"item_id": article.pk, "date": day, "reads": 5})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"《{article.title}》于 {first.isoformat()} 首次发布，不能上报此前日期（{day}）的阅读数"
    )
    assert not ReportedRead.objects.exists()
    on_the_day = report(
        client, channel, {"item_id": article.pk, "date": first.isoformat(), "reads": 5}
    )
    assert on_the_day.status_code == 201


def test_an_unknown_item_is_404(client, channel, home):
    response = report(client, channel, {"item_id": 99999, "date": TODAY().isoformat(), "reads": 1})
    assert response.status_code == 404
    assert "找不到该内容" in response.json()["detail"]


def test_a_report_needs_a_valid_token(client, channel, article):
    body = {"item_id": article.pk, "date": TODAY().isoformat(), "reads": 1}
    assert report(client, channel, body, token="pfc_forged").status_code == 401
    no_token = client.post(REPORTS, json.dumps(body), content_type="application/json")
    assert no_token.status_code == 401
    assert not ReportedRead.objects.exists()


def test_a_channel_sees_its_own_figures_only(client, channel, other_channel, article):
    deliver(client, article, channel, other_channel)
    day = TODAY().isoformat()
    report(client, channel, {"item_id": article.pk, "date": day, "reads": 40})
    report(client, other_channel, {"item_id": article.pk, "date": day, "reads": 99999})
    roll_up_day(TODAY())

    response = client.get("/api/reach/channel/", HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}")
    assert response.status_code == 200
    body = response.json()
    assert body["channel"] == "江岸区融媒体中心"
    assert [d["title"] for d in body["deliveries"]] == [article.title]
    assert body["items"] == [
        {
            "item_id": article.pk,
            "title": article.title,
            "delivered": 1,
            "views": 0,
            "visitors": 0,
            "reported_reads": 40,
        }
    ]
    assert "99999" not in response.content.decode()
    assert "宜都" not in response.content.decode()


def test_the_channel_figures_need_a_token(client, channel):
    assert client.get("/api/reach/channel/").status_code == 401


def test_the_channel_figures_refuse_a_bad_period(client, channel):
    response = client.get(
        "/api/reach/channel/?start=2026-05-02&end=2026-05-01",
        HTTP_AUTHORIZATION=f"Bearer {channel.plain_token}",
    )
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.json()["detail"]
