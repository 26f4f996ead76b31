"""The visitor's address behind the reverse proxy: taken from X-Forwarded-For / X-Real-IP only
when the request comes from a proxy listed in TRUSTED_PROXIES; anyone else's headers are ignored,
so a client cannot pick the address it is counted and throttled under."""

import pytest
from django.test import RequestFactory

from portal.proxies import client_ip

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def trusted(settings):
    settings.TRUSTED_PROXIES = [PROXY, "192.168.100.0/24"]


def address(remote, **headers):
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers))


def test_a_direct_client_is_its_own_address_whatever_it_claims():
    assert address("203.0.113.7", x_forwarded_for="1.2.3.4", x_real_ip="5.6.7.8") == "203.0.113.7"


def test_the_listed_proxy_tells_the_client_address():
    assert address(PROXY, x_forwarded_for="203.0.113.7") == "203.0.113.7"
    assert address(PROXY, x_real_ip="203.0.113.8") == "203.0.113.8"


def test_a_forged_entry_before_the_real_client_is_skipped():
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    assert address(PROXY, x_forwarded_for="1.2.3.4, 203.0.113.7") == "203.0.113.7"


def test_a_chain_of_listed_proxies_is_walked_back_to_the_client():
    forwarded = "203.0.113.7, 192.168.100.20"
    assert address(PROXY, x_forwarded_for=forwarded) == "203.0.113.7"


def test_garbage_in_the_header_falls_back_to_the_proxy_that_sent_it():
    assert address(PROXY, x_forwarded_for="<script>, 203.0.113.7") == "203.0.113.7"
    assert address(PROXY, x_forwarded_for="not-an-address") == PROXY
    assert address(PROXY, x_real_ip="\x00") == PROXY


def test_with_no_proxy_listed_nothing_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert address(PROXY, x_forwarded_for="203.0.113.7") == PROXY


def test_the_shipped_nginx_config_sets_both_headers(settings):
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "portal.conf.template").read_text()
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
