"""manage.py channel_token CODE: issue a new reporting/feed token for a channel and print it
once. Only its hash is kept: the old token stops working at once, and a lost token cannot be
shown again, only replaced."""

from django.core.management.base import BaseCommand, CommandError

from distribution.models import Channel


class Command(BaseCommand):
    help = "为渠道签发新的报告令牌（旧令牌立即失效），只显示这一次"

    def add_arguments(self, parser):
        parser.add_argument("code", help="渠道的跟踪代码，如 hb420102")

    def handle(self, *args, code, **options):
        channel = Channel.objects.filter(code=code).first()
        if channel is None:
            raise CommandError(f"找不到跟踪代码为 {code} 的渠道")
        token = channel.issue_token()
        self.stderr.write(f"已为「{channel.name}」签发新令牌；旧令牌已失效。令牌只显示这一次：")
        self.stdout.write(token)
