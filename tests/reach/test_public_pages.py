"""The public 普法地图 (no per-channel detail, no outside files) and the channel operators' page
(their own figures only, by token in the form body)."""

import re

import pytest

from tests.reach.factories import deliver, page_loads, roll_up


@pytest.fixture
def rows(article, channel, other_channel):
    page_loads(article, 50, "jiangan")
    page_loads(article, 7, "yidu")
    roll_up()


def test_the_public_map_draws_the_province_from_our_own_files(client, rows):
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "湖北普法地图" in html
    assert "geodata-map" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(not s.startswith(("http:", "https:", "//")) for s in sources)
    names = [row["name"] for row in response.context["rows"]]
    assert len(names) == 17 and names[0] == "武汉市"


def test_the_public_map_shows_no_channel_detail(client, rows):
    html = client.get("/map/").content.decode()
    assert "江岸区融媒体中心" not in html and "jiangan" not in html


def test_the_public_map_refuses_an_unknown_measure(client, db):
    response = client.get("/map/?measure=clicks")
    assert response.status_code == 400
    assert "未知的指标" in response.content.decode()


def test_a_channel_operator_sees_its_own_figures_with_its_token(
    client, channel, other_channel, article, rows
):
    deliver(client, article, channel)
    assert "渠道报告令牌" in client.get("/reach/channel/").content.decode()
    response = client.post("/reach/channel/", {"token": channel.plain_token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "江岸区融媒体中心" in html and article.title in html and "已送达" in html
    assert "宜都" not in html
    assert response.context["report"]["items"][0]["views"] == 50


def test_a_wrong_token_shows_nothing(client, channel, rows):
    response = client.post("/reach/channel/", {"token": "pfc_not-a-token"})
    assert response.status_code == 403
    assert "令牌无效" in response.content.decode()
