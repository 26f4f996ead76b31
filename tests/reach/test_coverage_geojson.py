"""The coverage API speaks GeoJSON as RFC 7946 defines it: served as application/geo+json, every
exterior ring counter-clockwise and every hole clockwise (the right-hand rule), so strict
consumers (d3-geo, GDAL's RFC 7946 mode) draw the regions and not the whole world minus them."""

import pytest
import shapely

COVERAGE = "/api/coverage/"


def rings(geometry):
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        exterior, *holes = polygon
        yield "exterior", exterior
        for hole in holes:
            yield "hole", hole


@pytest.mark.parametrize(("level", "count"), [("prefecture", 17), ("county", 103)])
def test_exterior_rings_are_counter_clockwise_and_holes_clockwise(client, db, level, count):
    features = client.get(COVERAGE, {"level": level}).json()["features"]

    assert len(features) == count
    for feature in features:
        for kind, ring in rings(feature["geometry"]):
            ccw = shapely.LinearRing(ring).is_ccw
            assert ccw == (kind == "exterior"), (feature["properties"]["name"], kind)


def test_coverage_is_served_as_geojson(client, db):
    response = client.get(COVERAGE)
    assert response["Content-Type"] == "application/geo+json"


def test_a_client_that_accepts_only_json_gets_json(client, db):
    response = client.get(COVERAGE, headers={"Accept": "application/json"})
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_the_schema_documents_the_geojson_media_type(client, db):
    schema = client.get("/api/openapi.json").json()
    content = schema["paths"][COVERAGE]["get"]["responses"]["200"]["content"]
    assert sorted(content) == ["application/geo+json", "application/json"]
