"""Loading Hubei's regions from the shipped reference files. Regions are reference data, not
demo data: they are loaded after every ``migrate`` (and after a test flush) by a post_migrate
handler, and by ``manage.py load_regions``."""

import csv
import re
from dataclasses import dataclass

from django.db import transaction

from geodata.boundaries import DATA_DIR, REGIONS_CSV

POPULATION_CSV = DATA_DIR / "population_2020.csv"
POPULATION_SOURCE = (
    "第七次全国人口普查（湖北省第七次全国人口普查公报（第二号），湖北省统计局，2021）"
)
FIELDS = ("name", "level", "parent_id", "is_directly_administered", "population")
# The peoples named in Hubei's autonomous prefecture and counties (恩施土家族苗族自治州,
# 长阳土家族自治县, 五峰土家族自治县), dropped from their short names as people say them.
AUTONOMOUS_PEOPLES = re.compile(r"(?:土家族|苗族)+自治")
# A prefecture-level unit is named on the map without its level word: 武汉, 神农架.
PREFECTURE_SUFFIX = re.compile(r"(?:市|林区)$")


def short_name(name, level):
    """The name as a map label gives it: 恩施土家族苗族自治州 → 恩施州, 武汉市 → 武汉 (prefecture
    level); 长阳土家族自治县 → 长阳县, while a county keeps its 区/县/市 (county level)."""
    name = AUTONOMOUS_PEOPLES.sub("", name)
    if level == "prefecture":
        name = PREFECTURE_SUFFIX.sub("", name)
    return name


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_regions(regions_csv=REGIONS_CSV, population_csv=POPULATION_CSV):
    """The region rows of the shipped files, populations joined where the census gives one."""
    with open(population_csv, encoding="utf-8") as f:
        populations = {int(row["adcode"]): int(row["population_2020"]) for row in csv.DictReader(f)}
    with open(regions_csv, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    regions = []
    for row in rows:
        adcode = int(row["adcode"])
        population = populations.get(adcode)
        regions.append(
            {
                "adcode": adcode,
                "name": row["name"],
                "level": row["level"],
                "parent_id": int(row["parent"]) if row["parent"] else None,
                "is_directly_administered": row["is_directly_administered"] == "1",
                "population": population,
                "population_source": POPULATION_SOURCE if population is not None else "",
            }
        )
    unknown = set(populations) - {r["adcode"] for r in regions}
    if unknown:
        raise ValueError(f"population for regions not in {regions_csv.name}: {sorted(unknown)}")
    return regions


def load_regions(region_model=None, using="default"):
    """Create or update every region from the shipped files; writes only what changed. Regions
    no longer in the files are left alone: other tables may point at them."""
    if region_model is None:
        from geodata.models import Region as region_model
    wanted = read_regions()
    existing = {r.adcode: r for r in region_model.objects.using(using).all()}
    to_create, to_update = [], []
    for row in wanted:
        region = existing.get(row["adcode"])
        if region is None:
            to_create.append(region_model(**row))
            continue
        changed = False
        for field, value in row.items():
            if getattr(region, field) != value:
                setattr(region, field, value)
                changed = True
        if changed:
            to_update.append(region)
    with transaction.atomic(using=using):
        # Parents first: the rows are sorted by adcode, and a parent's code is always smaller.
        region_model.objects.using(using).bulk_create(to_create)
        if to_update:
            region_model.objects.using(using).bulk_update(to_update, [*FIELDS, "population_source"])
    return LoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(wanted) - len(to_create) - len(to_update),
    )


def load_regions_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate handler: skipped while the Region table is migrated away."""
    try:
        region_model = apps.get_model("geodata", "Region") if apps else None
    except LookupError:
        return
    load_regions(region_model, using=using)
