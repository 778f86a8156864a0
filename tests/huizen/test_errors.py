"""Our own 404 and 500 pages (site style, Dutch), and the Content-Security-Policy on every page."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import path

from huizen import urls as project_urls
from huizen.errors import server_error


def broken_view(request):
    raise RuntimeError("kapot")


urlpatterns = [path("kapot/", broken_view), *project_urls.urlpatterns]
handler500 = project_urls.handler500


def test_an_unknown_address_gets_our_404_page_in_dutch(client, db):
    assert not settings.DEBUG
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Pagina niet gevonden</h1>' in page
    assert 'lang="nl"' in page and "vendor/utrecht/index.css" in page and settings.SITE_NAME in page


def test_a_house_that_is_not_yours_gets_the_same_404_page(client, db, other_house_coordinator, house):
    client.force_login(other_house_coordinator)
    response = client.get(f"/beheer/huizen/{house.slug}/programma/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_the_404_page_in_english(english, db):
    assert "Page not found" in english.get("/bestaat-niet/").content.decode()


@pytest.mark.allow_error_log
@pytest.mark.urls(__name__)
def test_a_server_error_gets_our_500_page_in_dutch(db):
    response = Client(raise_request_exception=False).get("/kapot/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page and settings.SITE_NAME in page and "vendor/theme/theme.css" in page
    assert '<a class="utrecht-link" href="/toegankelijkheid/">Toegankelijkheidsverklaring</a>' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_500_page_renders_without_a_request_context_or_the_database():
    # No `db` fixture: any query would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode() and settings.SITE_NAME in response.content.decode()


def test_the_500_page_falls_back_to_plain_html_when_its_template_fails():
    response = server_error(RequestFactory().get("/"), template_name="bestaat-niet.html")
    assert response.status_code == 500 and b"Er ging iets mis" in response.content


def test_every_page_has_a_content_security_policy_without_inline_script(client, db):
    policy = client.get("/agenda/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


# A data block (<script type="application/json">, which allauth's passkey script reads) is never run: allowed.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>|\son[a-z]+=|\shx-on|javascript:", re.IGNORECASE
)


def test_no_template_has_inline_script():
    """The policy allows no inline script: every script is a file, no on...= handlers, no hx-on (htmx would eval)."""
    found = [
        f"{template}: {match.group(0)}"
        for template in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for match in INLINE_SCRIPT.finditer(template.read_text())
    ]
    assert found == []


def test_the_bench_urls_use_our_500_page_too():
    # bench/ is not an installed app in the tests (its model would not load), so read its urls module.
    tree = ast.parse((Path(settings.BASE_DIR) / "bench" / "urls.py").read_text())
    handlers = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.startswith("handler")
    }
    assert handlers.get("handler500") == project_urls.handler500
