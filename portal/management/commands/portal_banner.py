from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

# The accounts load_demo creates (content: the four roles; reach: the 武汉市 official).
DEMO_LOGINS = [
    ("admin", "管理员 administrator"),
    ("editor", "编辑 editor: 写稿、提交法律审核、一键分发"),
    ("reviewer", "审核 legal reviewer: 法律审核工作流"),
    ("official", "官员 official: 全省覆盖看板"),
    ("official-wuhan", "官员 official: 武汉市覆盖看板"),
]


class Command(BaseCommand):
    help = "打印门户的访问地址和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--receiver", default=settings.DISTRIBUTION_DEMO_RECEIVER_URL, help="演示接收端地址"
        )

    def handle(self, *args, port, receiver, **options):
        base = f"http://127.0.0.1:{port}"
        lines = [
            "",
            "湖北网络普法 is starting / 正在启动",
            f"  网站 Site:            {base}/",
            f"  后台 Admin:           {base}/admin/",
            f"  检索 Search:          {base}/search/",
            f"  法律法规库 Statutes:  {base}/laws/",
            f"  普法地图 Map:         {base}/map/",
            f"  覆盖看板 Dashboard:   {base}/admin/coverage/",
            f"  接口文档 API docs:    {base}/api/docs",
            f"  健康检查 Health:      {base}/healthz",
            f"  演示渠道接收端 Demo channel receiver (webhook POSTs only): "
            f"{urlsplit(receiver).netloc}/hooks/<渠道代码>",
            f"  演示账号 Demo log-ins (password / 密码: {settings.DEMO_PASSWORD}):",
        ]
        lines += [f"    {username:<15} {role}" for username, role in DEMO_LOGINS]
        lines.append("  Ctrl+C 停止 / to stop")
        self.stdout.write("\n".join(lines) + "\n")
