"""The Wagtail admin speaks 简体中文 from the first screen."""


def test_admin_login_page_is_in_chinese(client, db):
    response = client.get("/admin/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in html
    assert "登录" in html
    assert "用户名" in html
