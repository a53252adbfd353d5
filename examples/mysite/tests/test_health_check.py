"""The settings helper's HealthCheckMiddleware, in front of mysite's middleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django.urls
import pytest
from asgiref.sync import async_to_sync
from django.conf import LazySettings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, Client, RequestFactory
from django.urls import include, path, re_path

import djangocdk_settings as helper

pytestmark = pytest.mark.django_db

TASK_IP = "10.0.1.23"  # what the load balancer sends as Host; not in ALLOWED_HOSTS


def project_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("project", content_type="text/plain")


# URLconfs the tests switch to: ROOT_URLCONF may be any (hashable) object with urlpatterns.
class ProjectReadyURLs:
    urlpatterns = [path("ready", project_view), path("", include("mysite.urls"))]


class CatchAllURLs:
    urlpatterns = [re_path(r"^.*$", project_view)]


class SlugURLs:
    urlpatterns = [path("<slug:slug>/", lambda request, slug: project_view(request))]


class NoRootURLs:
    urlpatterns = [path("x", project_view)]


@pytest.fixture
def health(settings: LazySettings) -> Callable[[str], None]:
    """Put the middleware first, as configure() does, with the given health check path."""

    def use(health_path: str) -> None:
        middleware = f"{helper.__name__}.HealthCheckMiddleware"
        settings.MIDDLEWARE = [middleware, *(m for m in settings.MIDDLEWARE if m != middleware)]
        settings.DJANGOCDK_HEALTH_CHECK_PATH = health_path
        settings.ALLOWED_HOSTS = ["example.com"]

    return use


def assert_answered(response: Any) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Cache-Control"] == "no-store"


def test_answers_without_database_session_or_allowed_hosts(
    client: Client, health: Callable[[str], None], django_assert_num_queries: Any
) -> None:
    health("/ready")
    with django_assert_num_queries(0):
        response = client.get("/ready", headers={"host": TASK_IP})
    assert_answered(response)
    assert response.content == b"ok"
    assert "Set-Cookie" not in response and not response.cookies
    # Elsewhere the host check still applies.
    assert client.get("/", headers={"host": TASK_IP}).status_code == 400


def test_head_is_answered(client: Client, health: Callable[[str], None]) -> None:
    health("/ready")
    assert_answered(client.head("/ready", headers={"host": TASK_IP}))


@pytest.mark.parametrize(("configured", "requested"), [("/ready", "/ready/"), ("/ready/", "/ready"), ("/", "/")])
def test_a_trailing_slash_difference_is_tolerated(
    client: Client, health: Callable[[str], None], settings: LazySettings, configured: str, requested: str
) -> None:
    settings.ROOT_URLCONF = NoRootURLs
    health(configured)
    assert_answered(client.get(requested, headers={"host": TASK_IP}))


def test_post_is_not_answered(client: Client, health: Callable[[str], None]) -> None:
    health("/ready")
    response = client.post("/ready", headers={"host": "example.com"})
    assert response.status_code == 404


def test_other_paths_pass_through(client: Client, health: Callable[[str], None]) -> None:
    health("/ready")
    for other in ("/ready/more", "/readyz", "/"):
        response = client.get(other, headers={"host": "example.com"})
        assert response.content != b"ok", other


def test_the_projects_own_route_wins(client: Client, health: Callable[[str], None], settings: LazySettings) -> None:
    settings.ROOT_URLCONF = ProjectReadyURLs
    health("/ready")
    response = client.get("/ready", headers={"host": "example.com"})
    assert response.status_code == 200 and response.content == b"project"
    # mysite's own /healthz view: never_cache, and it refuses POST itself.
    health("/healthz")
    response = Client().get("/healthz", headers={"host": "example.com"})
    assert response.content == b"ok" and "no-cache" in response["Cache-Control"]


def test_a_catch_all_route_does_not_count(
    client: Client, health: Callable[[str], None], settings: LazySettings
) -> None:
    settings.ROOT_URLCONF = CatchAllURLs
    health("/ready")
    assert client.get("/ready", headers={"host": TASK_IP}).content == b"ok"
    assert client.get("/other", headers={"host": "example.com"}).content == b"project"


def test_a_slug_route_does_not_count(client: Client, health: Callable[[str], None], settings: LazySettings) -> None:
    # "<slug:slug>/" resolves "healthz/" but is a product page, not a health check;
    # APPEND_SLASH would redirect the load balancer's /healthz.
    settings.ROOT_URLCONF = SlugURLs
    health("/healthz")
    assert_answered(client.get("/healthz", headers={"host": TASK_IP}))
    assert client.get("/shoes/", headers={"host": "example.com"}).content == b"project"


def test_the_urlconf_is_consulted_once(
    client: Client, health: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    health("/ready")
    calls: list[str] = []
    resolve = django.urls.resolve

    def counting(path: str, urlconf: str | None = None) -> Any:
        calls.append(path)
        return resolve(path, urlconf)

    monkeypatch.setattr(django.urls, "resolve", counting)
    for _ in range(3):
        assert_answered(client.get("/ready", headers={"host": TASK_IP}))
    assert calls == ["/ready", "/ready/"]


def test_not_used_without_a_health_check_path(settings: LazySettings) -> None:
    del settings.DJANGOCDK_HEALTH_CHECK_PATH
    with pytest.raises(MiddlewareNotUsed):
        helper.HealthCheckMiddleware(lambda request: HttpResponse())


def test_async_stack(health: Callable[[str], None]) -> None:
    health("/ready")
    response = async_to_sync(AsyncClient().get)("/ready", headers={"host": TASK_IP})
    assert_answered(response)

    async def downstream(request: HttpRequest) -> HttpResponse:
        return HttpResponse("downstream")

    middleware = helper.HealthCheckMiddleware(downstream)
    request = RequestFactory().get("/elsewhere")
    assert async_to_sync(middleware)(request).content == b"downstream"
