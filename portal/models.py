"""The site's own particulars shown in every page's footer, edited under 设置 → 网站信息 (Wagtail
site settings, one row per site): who runs it, how to reach them, its records with the
authorities, and the legal-aid hotline the pages point citizens to."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# 鄂ICP备12345678号 or 鄂ICP备12345678号-1: the form the MIIT record system issues.
ICP_RECORD = RegexValidator(
    r"^[\u4e00-\u9fff]ICP备\d{6,10}号(-\d{1,3})?$", _("格式如：鄂ICP备12345678号-1")
)
# 鄂公网安备 42010602000000号: the Ministry of Public Security's record of a website.
POLICE_RECORD = RegexValidator(
    r"^[\u4e00-\u9fff]公网安备\s?\d{14}号$", _("格式如：鄂公网安备42010602000000号")
)
# Government websites carry the 10-digit identifier the State Council's register gives them.
GOVERNMENT_SITE_CODE = RegexValidator(r"^\d{10}$", _("政府网站标识码是 10 位数字"))
PHONE = RegexValidator(r"^[0-9０-９+\-（）() ]{3,30}$", _("只能包含数字、空格、括号、加号和连字符"))
ICP_LOOKUP_URL = "https://beian.miit.gov.cn/"
POLICE_LOOKUP_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="


@register_setting(icon="site")
class SiteInformation(BaseSiteSetting):
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    operator = models.CharField(_("承办单位"), max_length=100, blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[PHONE])
    email = models.EmailField(_("联系邮箱"), blank=True)
    icp_record = models.CharField(
        _("ICP 备案号"),
        max_length=30,
        blank=True,
        validators=[ICP_RECORD],
        help_text=_("显示在页脚，链接到工业和信息化部备案管理系统"),
    )
    police_record = models.CharField(
        _("公安机关备案号"), max_length=40, blank=True, validators=[POLICE_RECORD]
    )
    government_site_code = models.CharField(
        _("政府网站标识码"), max_length=10, blank=True, validators=[GOVERNMENT_SITE_CODE]
    )
    legal_aid_hotline = models.CharField(
        _("公共法律服务热线"),
        max_length=20,
        blank=True,
        default="12348",
        validators=[PHONE],
        help_text=_("页面上“遇到法律问题”提示拨打的号码，全国统一为 12348；留空则不显示这一提示"),
    )
    legal_aid_url = models.URLField(
        _("法律服务网址"),
        blank=True,
        help_text=_("在线咨询、申请法律援助的网站，如中国法律服务网"),
    )

    panels = [
        MultiFieldPanel([FieldPanel("organiser"), FieldPanel("operator")], heading=_("主办与承办")),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("联系方式"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("icp_record"),
                FieldPanel("police_record"),
                FieldPanel("government_site_code"),
            ],
            heading=_("备案信息"),
        ),
        MultiFieldPanel(
            [FieldPanel("legal_aid_hotline"), FieldPanel("legal_aid_url")],
            heading=_("法律援助"),
        ),
    ]

    class Meta:
        verbose_name = _("网站信息")
        verbose_name_plural = _("网站信息")

    @property
    def police_record_url(self):
        digits = "".join(c for c in self.police_record if c.isdigit())
        return POLICE_LOOKUP_URL + digits if digits else ""

    @property
    def icp_lookup_url(self):
        return ICP_LOOKUP_URL
