import pytest

from tests.factories import TopicIndexPageFactory, make_site


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def topic(home):
    return TopicIndexPageFactory(parent=home, title="反电信网络诈骗", slug="fanzha")
