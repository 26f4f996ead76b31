"""Demo site information for `manage.py load_demo`: the footer's 主办单位, contact, records and
the legal-aid hotline, saved through the same form the admin's 设置 → 网站信息 uses, so the demo
values pass the checks an administrator's would. The record numbers are visibly not real ones;
12348 is the real nationwide public legal-service hotline."""

from wagtail.admin.panels import get_edit_handler
from wagtail.models import Site

from portal.models import SiteInformation

DEMO_SITE_INFORMATION = {
    "organiser": "湖北省司法厅（演示）",
    "operator": "湖北网络普法编辑部（演示）",
    "address": "湖北省武汉市（演示地址）",
    "phone": "",
    "email": "pufa@example.org",
    "icp_record": "鄂ICP备00000000号-1",
    "police_record": "",
    "government_site_code": "",
    "legal_aid_hotline": "12348",
    "legal_aid_url": "https://www.12348.gov.cn/",
}


def save_site_information(site, values):
    """Validate and save a site's information with the admin's own form; raises ValueError
    with the form's messages if a value would be refused there."""
    instance = SiteInformation.for_site(site)
    form_class = get_edit_handler(SiteInformation).get_form_class()
    form = form_class(data=values, instance=instance)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    return form.save()


def load(stdout, reset=False):
    site = Site.objects.get(is_default_site=True)
    information = SiteInformation.for_site(site)
    if information.organiser and not reset:
        stdout.write("  网站信息已存在，未改动")
        return
    save_site_information(site, DEMO_SITE_INFORMATION)
    stdout.write("  网站信息（页脚）：演示的主办单位、联系方式、备案号和 12348 热线")
