"""Demo channels, run by `manage.py load_demo`: one channel for each of Hubei's 116 regions
(17 prefecture-level units and 103 county-level divisions, 4 of them in both). Most pull their
feed; the prefecture portals and some county media centres take webhooks from the local demo
receiver (`manage.py demo_receiver`), which knows each demo channel's token as below."""

from django.conf import settings
from django.db.models import Q
from django.utils.crypto import salted_hmac

from distribution.models import TOKEN_PREFIX, Channel, hash_token
from geodata.models import Region

DEMO_CODE_PREFIX = "hb"
# Every 8th county-level channel takes webhooks too, so the demo shows both kinds side by side.
WEBHOOK_EVERY_NTH_COUNTY = 8


def demo_code(region):
    return f"{DEMO_CODE_PREFIX}{region.adcode}"


def demo_token(code):
    """The reporting/feed token of a demo channel, derived from SECRET_KEY so that the demo
    receiver can fetch feeds without tokens being stored anywhere in clear. Demo only."""
    return TOKEN_PREFIX + salted_hmac("distribution.demo-token", code).hexdigest()


def demo_channels():
    return Channel.objects.filter(code__startswith=DEMO_CODE_PREFIX)


def channel_spec(region, index):
    county_level = region.level == Region.Level.COUNTY or region.is_directly_administered
    if region.level == Region.Level.PREFECTURE and not region.is_directly_administered:
        kind, name, webhook = Channel.Kind.PREFECTURE_PORTAL, f"{region.name}门户网站", True
    else:
        kind, name = Channel.Kind.MEDIA_CENTRE, f"{region.name}融媒体中心"
        webhook = county_level and index % WEBHOOK_EVERY_NTH_COUNTY == 0
    code = demo_code(region)
    receiver = settings.DISTRIBUTION_DEMO_RECEIVER_URL.rstrip("/")
    return code, {
        "name": name,
        "region": region,
        "kind": kind,
        "delivery_mode": Channel.Mode.WEBHOOK if webhook else Channel.Mode.PULL,
        "webhook_url": f"{receiver}/hooks/{code}" if webhook else "",
        "contact_name": "演示联系人",
        "token_hash": hash_token(demo_token(code)),
        "token_hint": demo_token(code)[:10],
    }


def load(stdout, reset=False):
    if reset:
        # Deliveries of the demo channels go with them (cascade): demo data only.
        demo_channels().delete()
    regions = list(
        Region.objects.filter(
            Q(level=Region.Level.PREFECTURE) | Q(level=Region.Level.COUNTY)
        ).order_by("adcode")
    )
    if not regions:
        stdout.write("  没有行政区数据：请先运行 manage.py migrate（会载入湖北省行政区划）")
        return
    created = 0
    for index, region in enumerate(r for r in regions if r.level == Region.Level.COUNTY):
        code, fields = channel_spec(region, index)
        created += Channel.objects.update_or_create(code=code, defaults=fields)[1]
    for region in (r for r in regions if r.level == Region.Level.PREFECTURE):
        code, fields = channel_spec(region, 0)
        created += Channel.objects.update_or_create(code=code, defaults=fields)[1]
    channels = demo_channels()
    webhooks = channels.filter(delivery_mode=Channel.Mode.WEBHOOK).count()
    stdout.write(
        f"  分发渠道：{channels.count()} 个（新增 {created}；推送 {webhooks}，"
        f"拉取 {channels.count() - webhooks}）"
    )
