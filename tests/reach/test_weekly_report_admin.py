"""每周报告 in the admin: officials list the reports of their own scope and download both files;
nobody else gets them, not even with the file's address."""

from io import BytesIO
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from content.roles import EDITORS
from reach import weekly
from reach.models import WeeklyReport
from tests.factories import UserFactory
from tests.reach.factories import OfficialFactory, reach_in_week, region
from tests.validity import html_errors

LISTING = "/admin/weekly_reports/"


@pytest.fixture
def reports(client, article, channel, other_channel):
    """Last week's reports of the province and of 武汉市, made by the real builder."""
    week = weekly.last_full_week()
    OfficialFactory(username="official-wuhan", scope=420100)
    reach_in_week(client, article, channel, other_channel, week[0])
    weekly.make_missing_reports()
    client.logout()
    return {report.scope_id: report for report in WeeklyReport.objects.made()}


def download(report, kind):
    return f"{LISTING}{report.pk}/{kind}/"


def listed_scopes(response):
    return [row.scope.name for row in response.context["object_list"]]


def test_the_provinces_official_lists_every_report(client, reports):
    client.force_login(OfficialFactory(scope=None))
    assert listed_scopes(client.get(LISTING)) == ["湖北省", "武汉市"]


def test_a_prefectures_official_lists_only_its_own(client, reports):
    client.force_login(OfficialFactory(scope=420100))
    assert listed_scopes(client.get(LISTING)) == ["武汉市"]


def test_the_listing_names_week_scope_and_both_files_in_chinese(client, reports):
    client.force_login(OfficialFactory(scope=420100))
    html = client.get(LISTING).content.decode()
    report = reports[420100]
    label = f"下载 {report.week_label} 武汉市 的 Excel 报表"
    assert f'href="{download(report, "xlsx")}" aria-label="{label}"' in html


def test_before_the_first_report_the_listing_says_when_one_comes(client, db):
    client.force_login(OfficialFactory(scope=None))
    assert (
        "还没有周报。每周一上一周（周一至周日）的数字汇总完成后"
        in client.get(LISTING).content.decode()
    )


def test_the_menu_of_the_dashboard_leads_to_the_reports(client, db):
    client.force_login(OfficialFactory(scope=None))
    html = client.get("/admin/coverage/").content.decode()
    assert '"url": "/admin/weekly_reports/"' in html


def test_an_official_downloads_the_excel_file(client, reports):
    client.force_login(OfficialFactory(scope=420100))
    response = client.get(download(reports[420100], "xlsx"))
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook.active["A1"].value.startswith("湖北网络普法覆盖周报：武汉市")


def test_the_excel_file_is_saved_under_a_name_that_says_what_it_is(client, reports):
    client.force_login(OfficialFactory(scope=420100))
    report = reports[420100]
    response = client.get(download(report, "xlsx"))
    week = f"{report.week_start:%Y%m%d}-{report.week_end:%Y%m%d}"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote(f"湖北网络普法覆盖周报-武汉市-{week}.xlsx")
    )


def test_an_official_downloads_the_map_picture(client, reports):
    client.force_login(OfficialFactory(scope=None))
    response = client.get(download(reports[420000], "png"))
    assert response["Content-Type"] == "image/png"


def test_a_prefectures_official_cannot_download_the_provinces_report(client, reports):
    client.force_login(OfficialFactory(scope=420100))
    assert client.get(download(reports[420000], "xlsx")).status_code == 404


def test_an_unknown_file_kind_is_not_found(client, reports):
    client.force_login(OfficialFactory(scope=None))
    assert client.get(download(reports[420000], "pdf")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, reports):
    response = client.get(download(reports[420000], "xlsx"))
    assert response["Location"].startswith("/admin/login/?next=")


def test_editors_are_refused_the_listing(client, reports):
    client.force_login(UserFactory(groups=[EDITORS]))
    assert client.get(LISTING).status_code == 302


def test_editors_are_refused_the_files(client, reports):
    client.force_login(UserFactory(groups=[EDITORS]))
    response = client.get(download(reports[420000], "xlsx"))
    assert response["Location"] == "/admin/"


def test_an_official_without_a_scope_is_refused(client, reports):
    client.force_login(UserFactory(groups=["官员"]))
    response = client.get(download(reports[420000], "xlsx"))
    assert response["Location"] == "/admin/"  # where the dashboard says the scope is not set


def test_the_files_are_not_served_from_the_media_address(client, reports):
    assert client.get(reports[420000].workbook.url).status_code == 404


def test_the_files_are_not_served_from_the_media_address_to_officials_either(client, reports):
    client.force_login(OfficialFactory(scope=None))
    assert client.get(reports[420000].map_picture.url).status_code == 404


def test_the_files_folder_cannot_be_guessed_from_week_and_scope(db):
    week = weekly.last_full_week()
    first = WeeklyReport(scope=region(420000), week_start=week[0], week_end=week[1])
    second = WeeklyReport(scope=region(420000), week_start=week[0], week_end=week[1])
    first.workbook.save("2026-W48-420000.xlsx", ContentFile(b"x"), save=False)
    second.workbook.save("2026-W48-420000.xlsx", ContentFile(b"x"), save=False)
    assert first.workbook.name.rsplit("/", 2)[1] != second.workbook.name.rsplit("/", 2)[1]


def test_nobody_adds_or_edits_a_report_in_the_admin(client, reports):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(f"{LISTING}new/").status_code == 302


def test_the_listing_is_valid_html(client, reports, vnu, tmp_path):
    client.force_login(OfficialFactory(scope=None))
    assert html_errors(vnu, client, {"weekly reports": LISTING}, tmp_path) == []


def test_the_listing_before_the_first_report_is_valid_html(client, db, vnu, tmp_path):
    client.force_login(OfficialFactory(scope=None))
    assert html_errors(vnu, client, {"no weekly reports": LISTING}, tmp_path) == []
