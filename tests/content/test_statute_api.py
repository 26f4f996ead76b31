"""/api/laws/: the statute library for channels that republish the law, from the real import."""

import pytest

from content.statutes import import_statutes

pytestmark = pytest.mark.django_db

CIVIL_CODE, CRIMINAL_LAW = "7772c5d4af34", "d2da5d066414"
AMENDMENTS = [f"中华人民共和国刑法修正案（{n}）" for n in ["十一", "三", "七"]]


@pytest.fixture
def library():
    import_statutes(laws=["民法典", "中华人民共和国刑法", "劳动合同法", *AMENDMENTS])


def test_civil_code_204_has_no_heading_and_the_contents_has_its_books(client, library):
    article = client.get(f"/api/laws/{CIVIL_CODE}/articles/204").json()

    assert article["article_no"] == "第二百零四条"
    assert article["number"] == "204"
    assert article["form"] == "article"
    assert article["text"] == (
        "期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。"
    )
    assert article["path"] == ["第一编 总 则", "第十章 期间计算"]
    assert article["url"] == f"/laws/{CIVIL_CODE}/204/"
    assert article["law_effective_date"] == "2021-01-01"

    law = client.get(f"/api/laws/{CIVIL_CODE}").json()
    books = [node["title"] for node in law["contents"]]
    assert books[:3] == ["第一编 总 则", "第二编 物 权", "第三编 合 同"]
    assert books[-1] == "附 则"
    property_book = law["contents"][1]
    assert property_book["children"][0]["title"] == "第一分编 通 则"
    first_chapter = property_book["children"][0]["children"][0]
    assert first_chapter["articles"][0] == {"number": "205", "article_no": "第二百零五条"}


def test_criminal_law_133_1_is_dangerous_driving_by_api_and_page(client, library):
    article = client.get(f"/api/laws/{CRIMINAL_LAW}/articles/133-1").json()

    assert article["article_no"] == "第一百三十三条之一"
    assert "醉酒驾驶机动车的" in article["text"]
    assert article["path"] == ["第二编 分 则", "第二章 危害公共安全罪"]
    page = client.get(f"/laws/{CRIMINAL_LAW}/133-1/").content.decode()
    assert "第一百三十三条之一" in page and "醉酒驾驶机动车的" in page
    assert "本法施行日期" in page


def test_an_article_added_by_an_amendment_carries_the_amendments_date(client, library):
    article = client.get(f"/api/laws/{CRIMINAL_LAW}/articles/291-2").json()

    assert article["article_no"] == "第二百九十一条之二"
    assert article["text"].startswith("从建筑物或者其他高空抛掷物品")
    assert article["law_effective_date"] == "1997-10-01"
    [amendment] = article["amendments"]
    assert (amendment["name"], amendment["kind"], amendment["effective_date"]) == (
        "刑法修正案（十一）",
        "added",
        "2021-03-01",
    )
    page = client.get(f"/laws/{CRIMINAL_LAW}/291-2/").content.decode()
    assert (
        f'<a href="{amendment["url"]}">《刑法修正案（十一）》</a>增加（2021年3月1日施行）' in page
    )


def test_civil_code_1254_by_api_and_page(client, library):
    article = client.get(f"/api/laws/{CIVIL_CODE}/articles/1254").json()

    assert article["article_no"] == "第一千二百五十四条"
    assert article["text"].startswith("禁止从建筑物中抛掷物品。")
    page = client.get(f"/laws/{CIVIL_CODE}/1254/").content.decode()
    assert "禁止从建筑物中抛掷物品。" in page
    assert "第七编 侵权责任" in page  # its place in the breadcrumb


def test_unknown_is_a_chinese_404_and_malformed_a_422(client, library):
    unknown_law = client.get("/api/laws/nosuchlaw/articles/1")
    assert unknown_law.status_code == 404
    assert unknown_law.json() == {"detail": "法律法规库中没有编号为 nosuchlaw 的法律。"}
    missing = client.get(f"/api/laws/{CIVIL_CODE}/articles/9999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "《中华人民共和国民法典》没有第九千九百九十九条。"}
    malformed = client.get(f"/api/laws/{CIVIL_CODE}/articles/133.5")
    assert malformed.status_code == 422
    assert malformed.json()["detail"].startswith("无法识别条号“133.5”")


def test_answers_carry_an_etag_and_a_repeat_gets_304(client, library):
    first = client.get(f"/api/laws/{CIVIL_CODE}/articles/204")
    again = client.get(
        f"/api/laws/{CIVIL_CODE}/articles/204", headers={"If-None-Match": first["ETag"]}
    )

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""


def test_list_finds_traditional_names_and_sorts_amendments_by_their_numeral(client, library):
    labour = client.get("/api/laws/", {"q": "勞動合同"}).json()
    assert [law["name"] for law in labour["results"]] == ["中华人民共和国劳动合同法"]

    amendments = client.get("/api/laws/", {"q": "刑法修正案"}).json()
    assert [law["name"] for law in amendments["results"]] == [
        "中华人民共和国刑法修正案（三）",
        "中华人民共和国刑法修正案（七）",
        "中华人民共和国刑法修正案（十一）",
    ]
    by_date = client.get(
        "/api/laws/", {"published_from": "2020-01-01", "published_to": "2020-12-31"}
    ).json()
    assert [law["name"] for law in by_date["results"]] == [
        "中华人民共和国刑法",
        "中华人民共和国刑法修正案（十一）",
        "中华人民共和国民法典",
    ]
    assert client.get("/api/laws/", {"published_from": "2020-13-01"}).status_code == 422


def test_the_statute_api_is_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert "/api/laws/" in paths
    assert "/api/laws/{law_id}" in paths
    assert "/api/laws/{law_id}/articles/{number}" in paths
