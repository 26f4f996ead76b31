"""Every page load is a view and each person one visitor per item per day, attributed by tracked
link only, without storing any IP address or user agent, and never for bots or editors."""

import datetime

from django.db import connection
from django.test import override_settings
from django.utils import timezone

from reach import counting
from reach.models import DailySalt, ViewEvent
from reach.tasks import rotate_salts
from tests.factories import UserFactory
from tests.reach.conftest import BROWSER_UA

BAIDU_SPIDER = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


def test_a_view_through_a_tracked_link_counts_for_the_channels_region(reader, article, channel):
    response = reader.get(article.url + "?ch=jiangan")
    assert response.status_code == 200
    event = ViewEvent.objects.get()
    assert event.page_id == article.pk
    assert event.region_id == 420102
    assert event.channel == channel
    assert event.date == timezone.localdate()


def test_every_load_is_a_view_and_the_same_person_one_visitor(reader, client, article, video):
    reader.get(article.url)
    reader.get(article.url)
    reader.get(video.url)
    client.get(article.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.20")
    views = ViewEvent.objects.filter(page=article)
    assert views.count() == 3
    assert views.values("visitor").distinct().count() == 2
    assert ViewEvent.objects.filter(page=video).count() == 1


def test_without_a_known_channel_the_region_is_unknown_not_guessed(reader, article, channel):
    reader.get(article.url + "?ch=no-such-code")
    event = ViewEvent.objects.get()
    assert event.region_id is None and event.channel_id is None


def test_crawlers_and_clients_without_a_user_agent_are_not_counted(client, article):
    client.get(article.url, HTTP_USER_AGENT=BAIDU_SPIDER)
    client.get(article.url, HTTP_USER_AGENT="")
    assert not ViewEvent.objects.exists()


def test_editors_own_views_are_not_counted(client, article):
    editor = UserFactory(username="bianji", is_superuser=True)
    client.force_login(editor)
    assert client.get(article.url, HTTP_USER_AGENT=BROWSER_UA).status_code == 200
    assert not ViewEvent.objects.exists()


def test_topic_and_home_pages_are_not_counted(reader, topic):
    reader.get(topic.url)
    reader.get("/")
    assert not ViewEvent.objects.exists()


def test_no_raw_address_or_user_agent_is_stored_anywhere(reader, article, channel):
    reader.get(article.url + "?ch=jiangan")
    assert ViewEvent.objects.count() == 1
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("reach_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (our own table names)
            for row in cursor.fetchall():
                text = repr(row)
                assert "203.0.113.7" not in text
                assert "Pixel 8" not in text
    assert len(bytes(ViewEvent.objects.get().visitor)) == 16


def test_the_salt_of_past_days_is_deleted(reader, article):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DailySalt.objects.create(date=yesterday, salt=b"x" * 32)
    reader.get(article.url)
    assert list(DailySalt.objects.values_list("date", flat=True)) == [timezone.localdate()]
    # The hourly task deletes old salts even on a day nobody reads anything.
    DailySalt.objects.create(date=yesterday - datetime.timedelta(days=1), salt=b"y" * 32)
    rotate_salts.call()
    assert not DailySalt.objects.filter(date__lt=timezone.localdate()).exists()


def test_a_new_day_makes_the_same_person_a_new_visitor(article, rf):
    request = rf.get(article.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.7")
    today = counting.visitor_digest(b"a" * 32, "203.0.113.7", BROWSER_UA, article.pk)
    tomorrow = counting.visitor_digest(b"b" * 32, "203.0.113.7", BROWSER_UA, article.pk)
    assert today != tomorrow
    assert counting.client_ip(request) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_its_header_identifies_the_visitor(client, article):
    for address in ("198.51.100.1", "198.51.100.2"):
        client.get(
            article.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=address
        )
    assert ViewEvent.objects.count() == 2
