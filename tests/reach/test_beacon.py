"""The first-party beacon: a rendered page's beacon does not count its load again, a page from a
cache is counted by its beacon; 204, no cookies, rate-limited with 429 and never a 500."""

import json
import re
import threading

import pytest
from django.db import connection
from django.test import Client, override_settings

from reach.models import ViewEvent
from tests.reach.conftest import BROWSER_UA

BEACON = "/api/reach/view/"
PROXY = "10.0.0.5"


def beacon(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(BEACON, data, content_type="application/json", **extra)


def test_a_beacon_is_counted_and_answered_204_without_cookies(reader, article, channel):
    response = beacon(reader, {"page": article.pk, "ch": "jiangan"})
    assert response.status_code == 204
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    event = ViewEvent.objects.get()
    assert (event.page_id, event.region_id) == (article.pk, 420102)


def load_id(response):
    return re.search(r'data-reach-load="([0-9a-f]{32})"', response.content.decode()).group(1)


def test_a_rendered_page_and_its_beacon_count_as_one_view(reader, article):
    load = load_id(reader.get(article.url))
    assert beacon(reader, {"page": article.pk, "load": load}).status_code == 204
    assert ViewEvent.objects.count() == 1


def test_a_page_from_a_cache_is_counted_by_its_beacon(reader, client, article):
    """A cached copy carries the load id of whoever's visit rendered it: for anyone else, and
    for the same browser showing it again, the beacon is a new load."""
    load = load_id(reader.get(article.url))
    beacon(reader, {"page": article.pk, "load": load})  # the rendered load: not again
    beacon(reader, {"page": article.pk, "load": load})  # shown again from the browser's cache
    beacon(client, {"page": article.pk, "load": load}, REMOTE_ADDR="192.0.2.50")  # a proxy's
    beacon(reader, {"page": article.pk})  # a cached copy without a load id
    assert ViewEvent.objects.count() == 4
    assert ViewEvent.objects.values("visitor").distinct().count() == 2


def test_the_portal_pages_load_the_beacon_script(reader, article):
    html = reader.get(article.url).content.decode()
    assert "reach/beacon.js" in html
    assert f'data-reach-page="{article.pk}"' in html


def test_a_beacon_for_a_non_content_page_is_accepted_but_not_counted(reader, topic):
    assert beacon(reader, {"page": topic.pk}).status_code == 204
    assert not ViewEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "",
        {},
        {"page": "abc"},
        {"page": -3},
        {"page": True},
        {"page": 1, "ch": "x" * 200},
        {"page": 1, "ch": 5},
        [1, 2, 3],
    ],
)
def test_a_malformed_beacon_is_refused_with_a_4xx(reader, article, body):
    response = beacon(reader, body)
    assert 400 <= response.status_code < 500
    assert not ViewEvent.objects.exists()


def test_a_beacon_for_an_unknown_page_is_404(reader, db, home):
    response = beacon(reader, {"page": 987654})
    assert response.status_code == 404
    assert response.json()["detail"] == "找不到该页面"


@override_settings(REACH_BEACON_RATE="5/m")
def test_a_flood_of_beacons_from_one_client_is_answered_429_never_500(reader, article, client):
    statuses = [beacon(reader, {"page": article.pk}).status_code for _ in range(12)]
    assert statuses[:5] == [204] * 5
    assert set(statuses[5:]) == {429}
    assert ViewEvent.objects.count() == 5
    assert "频繁" in beacon(reader, {"page": article.pk}).json()["detail"]
    # Another client is not held back by the first one's flood.
    other = beacon(
        client, {"page": article.pk}, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 204


def test_two_readers_behind_the_proxy_are_two_visitors(reader, article, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    beacon(reader, {"page": article.pk}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    beacon(reader, {"page": article.pk}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert ViewEvent.objects.values("visitor").distinct().count() == 2


def test_a_reader_forging_the_header_stays_one_visitor(reader, article, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    beacon(reader, {"page": article.pk}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    beacon(reader, {"page": article.pk}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    # Two page loads, one person: the forged header is not believed from a reader.
    assert ViewEvent.objects.count() == 2
    assert ViewEvent.objects.values("visitor").distinct().count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(REACH_BEACON_RATE="6/m")
def test_readers_whose_beacons_arrive_at_once_are_each_held_to_their_own_limit():
    """One web process answers several requests at once (gunicorn's threads): no reader's count
    lands on another's, so each is refused after exactly the limit, and never earlier."""
    answers = {f"192.0.2.{n}": [] for n in range(10, 18)}

    def flood(address, statuses):
        reader = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=address)
        try:
            # A page that does not exist: past the limit 429, within it the page's own 404.
            statuses.extend(beacon(reader, {"page": 987654}).status_code for _ in range(9))
        finally:
            connection.close()

    readers = [threading.Thread(target=flood, args=item) for item in answers.items()]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()

    refused = {address: statuses.count(429) for address, statuses in answers.items()}
    assert refused == dict.fromkeys(answers, 3)
