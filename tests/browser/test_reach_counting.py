"""Done when: 7 loads of one article through ?ch=hb420102 from 5 browsers (JavaScript on, so
the beacon runs too), then `manage.py reach_rollup`, move 江岸区's views by exactly 7 and its
visitors by exactly 5 in /api/coverage/."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from distribution.demo import channel_spec
from distribution.models import Channel
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, make_site
from tests.reach.factories import region

pytestmark = pytest.mark.browser

# Five different browsers (their user agents tell them apart, as a reader's do).
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 Edg/126.0",
    "Mozilla/5.0 (Linux; Android 13; V2218A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47",
]
LOADS_PER_BROWSER = [2, 2, 1, 1, 1]  # 7 loads


@pytest.fixture
def tracked_article(transactional_db):
    home = make_site()
    topic = TopicIndexPageFactory(parent=home, title="反诈", slug="fanzha")
    article = ArticlePageFactory(
        parent=topic, title="防范电信网络诈骗十问", slug="shiwen", first_published_at=timezone.now()
    )
    code, fields = channel_spec(region(420102), index=1)  # the demo's 江岸区 channel
    Channel.objects.create(code=code, **fields)
    return article


def jiangan():
    features = Client().get("/api/coverage/?level=county").json()["features"]
    return next(f["properties"] for f in features if f["properties"]["adcode"] == 420102)


def test_seven_loads_from_five_browsers_move_views_by_7_and_visitors_by_5(
    new_context, tracked_article
):
    call_command("reach_rollup", stdout=StringIO())
    before = jiangan()
    beacons = []
    for agent, loads in zip(BROWSERS, LOADS_PER_BROWSER, strict=True):
        context = new_context(user_agent=agent)
        # A person's browser, not an automated one: the beacon skips navigator.webdriver.
        context.add_init_script("Object.defineProperty(navigator, 'webdriver', {get: () => false})")
        page = context.new_page()
        for _ in range(loads):
            with page.expect_response(lambda r: r.url.endswith("/api/reach/view/")) as beacon:
                page.goto(tracked_article.url + "?ch=hb420102")
            beacons.append(beacon.value)
    # The beacon ran on every load and was answered (the hook counted every render).
    assert [response.status for response in beacons] == [204] * 7
    call_command("reach_rollup", stdout=StringIO())
    after = jiangan()
    assert after["views"] - before["views"] == 7
    assert after["visitors"] - before["visitors"] == 5
