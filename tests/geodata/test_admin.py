import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_regions_are_listed_with_unknown_populations_said_so(admin_client):
    response = admin_client.get(reverse("regions:index"), {"q": "武汉"})
    assert response.status_code == 200
    assert "武汉市" in response.text
    assert "12,326,518" in response.text
    response = admin_client.get(reverse("regions:index"), {"q": "江汉区"})
    assert "人口数据暂缺" in response.text


def test_a_region_shows_its_population_source(admin_client):
    response = admin_client.get(reverse("regions:inspect", args=[429021]))
    assert response.status_code == 200
    assert "神农架林区" in response.text
    assert "第七次全国人口普查" in response.text


def test_regions_cannot_be_edited_even_by_a_superuser(admin_client):
    assert admin_client.get(reverse("regions:add")).status_code in {302, 403}
    assert admin_client.get(reverse("regions:edit", args=[420100])).status_code in {302, 403}
    assert admin_client.post(reverse("regions:delete", args=[420103])).status_code in {302, 403}
    from geodata.models import Region

    assert Region.objects.filter(pk=420103).exists()


def test_citizens_cannot_open_the_region_admin(client):
    client.force_login(UserFactory())
    assert client.get(reverse("regions:index")).status_code in {302, 403}
