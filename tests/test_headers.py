"""Security headers on every kind of page."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("staff", [False, True])
def test_every_page_has_a_strict_content_security_policy(client, call, staff):
    if staff:
        client.force_login(StaffFactory())
    urls = [reverse("calls:call", args=[call.year]), reverse("calls:apply", args=[call.year])]
    if not staff:
        urls.append(reverse("login"))
    else:
        urls += [reverse("admin:index"), reverse("admin:calls_application_changelist")]

    for url in urls:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert response.status_code == 200, url
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script_or_style(client, call):
    html = client.get(reverse("calls:apply", args=[call.year])).content.decode()

    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
