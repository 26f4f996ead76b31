"""manage.py send_corrections: every live item whose channels have an older version than the
portal publishes now gets a correction (item.updated; the feed entry updated in place).

Run it once after an upgrade that changes what distributed items say or link to without a new
publication: the move of statute citations from article positions to article numbers changed
the links of every item citing a law. Items already up to date are left alone, so running it
again sends nothing."""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from distribution.models import Delivery
from distribution.services import send_corrections


class Command(BaseCommand):
    help = "向渠道补发更正：已分发且仍在线的内容中，渠道所持版本与现在不同的，发送更正"

    def handle(self, *args, **options):
        distributed = Delivery.objects.active().values("distribution__page_id")
        corrected = channels = 0
        for page in Page.objects.live().filter(pk__in=distributed).specific().iterator():
            distribution = send_corrections(page)
            if distribution is not None:
                corrected += 1
                channels += len(distribution.targets["channels"])
        self.stdout.write(f"已为 {corrected} 篇内容向 {channels} 个渠道发送更正")
