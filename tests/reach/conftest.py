import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import ArticlePageFactory, VideoPageFactory
from tests.reach.factories import ChannelFactory, region

BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


@pytest.fixture(autouse=True)
def fresh_state(db):
    """Each test starts with no throttle history or coverage answer (the shared cache is a
    database table); the in-process caches are emptied for every test (tests/conftest.py)."""
    cache.clear()
    yield
    cache.clear()


PUBLISHED_DAYS_AGO = 60


def published_days_ago(days=PUBLISHED_DAYS_AGO):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def article(topic):
    return ArticlePageFactory(
        parent=topic,
        title="防范电信网络诈骗十问",
        slug="fanzha-shiwen",
        first_published_at=published_days_ago(),
    )


@pytest.fixture
def video(topic):
    return VideoPageFactory(
        parent=topic,
        title="反诈动画：一通电话",
        slug="yitong-dianhua",
        first_published_at=published_days_ago(),
    )


@pytest.fixture
def channel(db):
    """A county media centre in 江岸区 (Wuhan), with a reporting token on ``.plain_token``."""
    return ChannelFactory(
        name="江岸区融媒体中心", code="jiangan", region=region(420102), token=True
    )


@pytest.fixture
def other_channel(db):
    return ChannelFactory(name="宜都市融媒体中心", code="yidu", region=region(420581), token=True)


@pytest.fixture
def reader(client):
    """A citizen's browser: a real user agent and an address."""
    client.defaults.update(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.7")
    return client
