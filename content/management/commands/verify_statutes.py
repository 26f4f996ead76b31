"""Compare the whole imported statute library with the shipped data file, article by article;
exits with an error listing the differences if there are any."""

from django.core.management.base import BaseCommand, CommandError

from content.statute_verification import verify_library
from content.statutes import STATUTE_DATA_FILE, CorpusError


class Command(BaseCommand):
    help = "逐条核对法律法规库与数据文件：法律、条数、条文（去掉标题和多余空格后）和编章节结构"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(STATUTE_DATA_FILE), help="数据文件（.jsonl.xz）")

    def handle(self, *args, file, **options):
        try:
            result = verify_library(file)
        except CorpusError as exc:
            raise CommandError(str(exc)) from exc
        for problem in result.problems[:50]:
            self.stderr.write(problem)
        summary = (
            f"核对法律 {result.laws} 部、条文 {result.articles:,} 条；"
            f"从条文末尾移入编章节结构的标题 {result.headings_moved} 个，"
            f"补充标题 {result.supplement_headings} 个；"
            f"去掉多余空格的条文 {result.stray_spaces_removed} 条"
        )
        if not result.ok:
            raise CommandError(f"{summary}；发现 {len(result.problems)} 处不一致")
        self.stdout.write(f"{summary}：每一条都与数据文件一致。")
