import pytest
from django.core.management import call_command
from django.db.models import Sum

from geodata.models import Region, per_10k
from geodata.regions import POPULATION_SOURCE, load_regions, short_name

pytestmark = pytest.mark.django_db

DIRECTLY_ADMINISTERED = {429004: "仙桃市", 429005: "潜江市", 429006: "天门市", 429021: "神农架林区"}


def test_migrate_loads_hubei_and_its_116_regions():
    assert Region.objects.count() == 117
    hubei = Region.objects.get(pk=420000)
    assert (hubei.name, hubei.level, hubei.parent) == ("湖北省", Region.Level.PROVINCE, None)
    assert Region.objects.prefecture_level().count() == 17
    assert Region.objects.county_level().count() == 103
    assert set(Region.objects.filter(parent=hubei).values_list("level", flat=True)) == {
        Region.Level.PREFECTURE
    }


def test_wuhan_has_its_13_districts():
    wuhan = Region.objects.get(pk=420100)
    districts = wuhan.children.all()
    assert districts.count() == 13
    assert {d.level for d in districts} == {Region.Level.COUNTY}
    assert "江汉区" in {d.name for d in districts}


def test_directly_administered_units_are_one_region_on_both_maps():
    units = Region.objects.filter(is_directly_administered=True)
    assert dict(units.values_list("adcode", "name")) == DIRECTLY_ADMINISTERED
    for unit in units:
        assert unit.level == Region.Level.PREFECTURE
        assert unit.parent_id == 420000
        assert unit.prefecture == unit
        assert Region.objects.prefecture_level().filter(pk=unit.pk).exists()
        assert Region.objects.county_level().filter(pk=unit.pk).exists()


def test_a_county_belongs_to_its_prefecture():
    jianghan = Region.objects.get(pk=420103)
    assert jianghan.prefecture.name == "武汉市"
    assert Region.objects.get(pk=420000).prefecture is None


def test_prefecture_populations_are_the_census_and_sum_to_the_province():
    prefectures = Region.objects.prefecture_level()
    assert prefectures.filter(population__isnull=True).count() == 0
    assert prefectures.aggregate(total=Sum("population"))["total"] == 57_752_557
    assert Region.objects.get(pk=420000).population == 57_752_557
    wuhan = Region.objects.get(pk=420100)
    assert wuhan.population == 12_326_518
    assert wuhan.population_source == POPULATION_SOURCE


def test_counties_without_a_census_figure_stay_unknown():
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    assert counties.count() == 99
    assert not counties.filter(population__isnull=False).exists()
    assert not counties.exclude(population_source="").exists()
    assert Region.objects.get(pk=420103).per_10k(500) is None


def test_per_10k_only_from_a_known_count_and_population():
    assert per_10k(1_232, 12_326_518) == pytest.approx(0.99946, rel=1e-4)
    assert per_10k(0, 66_571) == 0
    assert per_10k(None, 66_571) is None
    assert per_10k(10, None) is None


def test_loading_again_changes_nothing_and_repairs_an_edit():
    Region.objects.filter(pk=420100).update(name="改错的名字", population=1)
    result = load_regions()
    assert (result.created, result.updated, result.unchanged) == (0, 1, 116)
    assert Region.objects.get(pk=420100).name == "武汉市"
    assert load_regions().updated == 0


def test_load_regions_command_reports_in_chinese(capsys):
    Region.objects.filter(pk=420103).update(name="旧名")
    call_command("load_regions")
    assert "更新 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name, level, short",
    [
        ("武汉市", "prefecture", "武汉"),
        ("恩施土家族苗族自治州", "prefecture", "恩施州"),
        ("神农架林区", "prefecture", "神农架"),
        ("仙桃市", "county", "仙桃市"),
        ("长阳土家族自治县", "county", "长阳县"),
        ("江岸区", "county", "江岸区"),
    ],
)
def test_short_names_as_a_map_label_says_them(name, level, short):
    assert short_name(name, level) == short
