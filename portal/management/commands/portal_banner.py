from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_LOGINS = [
    ("admin", "管理员"),
    ("editor", "编辑"),
    ("reviewer", "审核"),
    ("official", "官员"),
]


class Command(BaseCommand):
    help = "打印门户的访问地址和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        base = f"http://127.0.0.1:{port}"
        password = settings.DEMO_PASSWORD
        lines = [
            "",
            "湖北网络普法 is starting / 正在启动",
            f"  网站 Site:   {base}/",
            f"  后台 Admin:  {base}/admin/",
            f"  法律法规库:  {base}/laws/",
            f"  健康检查:    {base}/healthz",
            "  演示账号 Demo log-ins (password / 密码: " + password + "):",
        ]
        lines += [f"    {username:<10} {role}" for username, role in DEMO_LOGINS]
        lines.append("  Ctrl+C 停止 / to stop")
        self.stdout.write("\n".join(lines) + "\n")
