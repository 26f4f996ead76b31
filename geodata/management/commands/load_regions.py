"""Load Hubei's regions from geodata/data/. `migrate` already does this after every run; the
command is for reloading after the files change."""

from django.core.management.base import BaseCommand

from geodata.regions import load_regions


class Command(BaseCommand):
    help = "从 geodata/data/ 导入湖北省行政区划和人口（幂等）"

    def handle(self, *args, **options):
        result = load_regions()
        self.stdout.write(
            f"行政区划：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
        )
