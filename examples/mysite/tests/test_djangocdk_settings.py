"""Unit tests of the settings helper: every setting, every bad input."""

from __future__ import annotations

import copy
import json
import logging
import logging.config
import re
import ssl
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils.module_loading import import_string

import djangocdk_settings as helper

KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN"
TOKEN = "Tok3nWith+Slash/AndAt@"


def cloud_env(**changes: str | None) -> dict[str, str]:
    """A complete deployment environment (cache broker), with changes; None removes."""
    env = {
        "DJANGO_SETTINGS_MODULE": "mysite.settings",
        "DJANGO_SECRET_KEY": KEY,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "mysite-alb-123.us-east-1.elb.amazonaws.com",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "http://mysite-alb-123.us-east-1.elb.amazonaws.com",
        "DJANGO_HTTPS": "false",
        "DJANGO_HEALTH_CHECK_PATH": "/healthz",
        "DATABASE_HOST": "db.internal",
        "DATABASE_PORT": "5432",
        "DATABASE_NAME": "mysite",
        "DATABASE_USER": "django",
        "DATABASE_PASSWORD": "pw",
        "REDIS_URL": "rediss://cache.internal:6379",
        "REDIS_AUTH_TOKEN": TOKEN,
        "TASK_BROKER_URL": "rediss://cache.internal:6379/1",
        "CELERY_TASK_DEFAULT_QUEUE": "celery",
        "AWS_STORAGE_BUCKET_NAME": "mysite-bucket",
        "AWS_S3_CUSTOM_DOMAIN": "d111.cloudfront.net",
        "AWS_REGION": "eu-west-1",
        "DJANGO_STATIC_STORAGE": "s3-manifest",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def metadata(*ips: str) -> Callable[[str], bytes]:
    """A fake ECS metadata endpoint answering with the given task IPs."""
    return lambda url: json.dumps({"Networks": [{"NetworkMode": "awsvpc", "IPv4Addresses": list(ips)}]}).encode()


def settings_for(**changes: str | None) -> dict[str, Any]:
    return helper.cloud_settings(cloud_env(**changes), fetch=metadata("10.0.1.23"))


def problems(**changes: str | None) -> str:
    with pytest.raises(ImproperlyConfigured) as info:
        settings_for(**changes)
    return str(info.value)


# --- cloud detection ---------------------------------------------------------


def test_developer_machine_is_left_alone() -> None:
    local = {"DEBUG": True, "SECRET_KEY": "dev", "DATABASES": {"default": {"ENGINE": "sqlite3"}}}
    before = json.dumps(local, sort_keys=True)
    # Common local variables, but no DJANGO_SECRET_KEY: not a deployment.
    env = cloud_env(DJANGO_SECRET_KEY=None)
    assert helper.configure(local, environ=env) is False
    assert json.dumps(local, sort_keys=True) == before


def test_configure_applies_and_keeps_unrelated_entries() -> None:
    current: dict[str, Any] = {
        "DEBUG": True,
        "INSTALLED_APPS": ["core"],
        "DATABASES": {"default": {"ENGINE": "sqlite3"}, "analytics": {"ENGINE": "x"}},
        "STORAGES": {"extra": {"BACKEND": "y"}},
    }
    assert helper.configure(current, environ=cloud_env(), fetch=metadata()) is True
    assert current["DEBUG"] is False
    assert current["INSTALLED_APPS"] == ["core"]
    assert current["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert current["DATABASES"]["analytics"] == {"ENGINE": "x"}
    assert set(current["STORAGES"]) == {"extra", "default", "staticfiles"}
    assert current["CELERY_TASK_ALWAYS_EAGER"] is False
    assert current["DJANGOCDK_HEALTH_CHECK_PATH"] == "/healthz"


def test_every_missing_variable_is_named_at_once() -> None:
    message = problems(DATABASE_HOST=None, DJANGO_ALLOWED_HOSTS=None, AWS_S3_CUSTOM_DOMAIN="")
    for name in ("DATABASE_HOST", "DJANGO_ALLOWED_HOSTS", "AWS_S3_CUSTOM_DOMAIN"):
        assert f"{name} is not set" in message


# --- core --------------------------------------------------------------------


def test_secret_key_comes_from_the_environment() -> None:
    assert settings_for()["SECRET_KEY"] == KEY


@pytest.mark.parametrize("key", ["short", "x" * 60, "django-insecure-" + "a1b2c3d4e5" * 5])
def test_weak_secret_key_is_refused(key: str) -> None:
    assert "DJANGO_SECRET_KEY is too weak" in problems(DJANGO_SECRET_KEY=key)


@pytest.mark.parametrize(
    ("value", "debug"), [(None, False), ("", False), ("false", False), ("0", False), ("True", True), ("1", True)]
)
def test_debug(value: str | None, debug: bool) -> None:
    assert settings_for(DJANGO_DEBUG=value)["DEBUG"] is debug


def test_garbled_debug_is_an_error_not_a_guess() -> None:
    assert "DJANGO_DEBUG='maybe' is not a boolean" in problems(DJANGO_DEBUG="maybe")


def test_allowed_hosts_add_the_task_ip_once() -> None:
    env = cloud_env(DJANGO_ALLOWED_HOSTS="example.com, www.example.com ,")
    env["ECS_CONTAINER_METADATA_URI_V4"] = "http://169.254.170.2/v4/abc"
    seen: list[str] = []

    def fetch(url: str) -> bytes:
        seen.append(url)
        return metadata("10.0.1.23", "example.com")(url)

    hosts = helper.cloud_settings(env, fetch=fetch)["ALLOWED_HOSTS"]
    assert hosts == ["example.com", "www.example.com", "10.0.1.23"]
    assert seen == ["http://169.254.170.2/v4/abc"]


def test_no_metadata_endpoint_means_no_extra_hosts() -> None:
    assert settings_for()["ALLOWED_HOSTS"] == ["mysite-alb-123.us-east-1.elb.amazonaws.com"]


def test_unreachable_metadata_endpoint_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper.time, "sleep", lambda _: None)
    env = cloud_env()
    env["ECS_CONTAINER_METADATA_URI_V4"] = "http://169.254.170.2/v4/abc"

    def fetch(url: str) -> bytes:
        raise OSError("connection refused")

    with pytest.raises(ImproperlyConfigured, match="could not read the task's private IP"):
        helper.cloud_settings(env, fetch=fetch)


@pytest.mark.parametrize("host", ["https://example.com", "example.com:443", "example.com/path", "exa mple.com"])
def test_allowed_hosts_reject_urls(host: str) -> None:
    assert "is not a host name" in problems(DJANGO_ALLOWED_HOSTS=host)


def test_wildcard_subdomain_host_is_accepted() -> None:
    assert settings_for(DJANGO_ALLOWED_HOSTS=".example.com")["ALLOWED_HOSTS"] == [".example.com"]


def test_csrf_trusted_origins() -> None:
    origins = "https://example.com,https://www.example.com"
    assert settings_for(DJANGO_CSRF_TRUSTED_ORIGINS=origins)["CSRF_TRUSTED_ORIGINS"] == origins.split(",")
    assert "must look like https://example.com" in problems(DJANGO_CSRF_TRUSTED_ORIGINS="example.com")


def test_settings_module_must_be_a_module_path() -> None:
    assert "not a dotted Python module path" in problems(DJANGO_SETTINGS_MODULE="mysite/settings.py")


# --- HTTPS -------------------------------------------------------------------


def test_https_on() -> None:
    s = settings_for(DJANGO_HTTPS="true")
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31_536_000
    # Django matches the exemptions against the path without its leading slash.
    (exempt,) = s["SECURE_REDIRECT_EXEMPT"]
    assert re.search(exempt, "healthz") and not re.search(exempt, "healthz/extra")


def test_https_off() -> None:
    s = settings_for(DJANGO_HTTPS="false")
    assert s["SECURE_SSL_REDIRECT"] is False and s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_cloudfront_edge_scheme_header() -> None:
    # Behind CloudFront the load balancer sees only CloudFront's HTTP hop and
    # overwrites X-Forwarded-Proto with "http": the scheme comes from CloudFront.
    s = settings_for(DJANGO_HTTPS="true", DJANGO_FORWARDED_PROTO_HEADER="CloudFront-Forwarded-Proto")
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_CLOUDFRONT_FORWARDED_PROTO", "https")


def test_scheme_header_must_be_a_header_name() -> None:
    assert "DJANGO_FORWARDED_PROTO_HEADER='X Proto' is not an HTTP header name" in problems(
        DJANGO_FORWARDED_PROTO_HEADER="X Proto"
    )


def test_https_must_be_set_and_boolean() -> None:
    assert "DJANGO_HTTPS is not set" in problems(DJANGO_HTTPS=None)
    assert "DJANGO_HTTPS='tls' is not a boolean" in problems(DJANGO_HTTPS="tls")


def test_health_check_path_must_be_absolute() -> None:
    assert "DJANGO_HEALTH_CHECK_PATH='healthz' must start with /" in problems(DJANGO_HEALTH_CHECK_PATH="healthz")


# --- database ----------------------------------------------------------------


def test_database() -> None:
    db = settings_for()["DATABASES"]["default"]
    assert db == {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.internal",
        "PORT": "5432",
        "NAME": "mysite",
        "USER": "django",
        "PASSWORD": "pw",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require", "connect_timeout": 10},
    }


def test_database_sslmode_knob() -> None:
    assert settings_for(DATABASE_SSLMODE="disable")["DATABASES"]["default"]["OPTIONS"]["sslmode"] == "disable"
    assert "DATABASE_SSLMODE='tls' is not allowed" in problems(DATABASE_SSLMODE="tls")


@pytest.mark.parametrize("port", ["postgres", "0", "70000", "-1"])
def test_database_port_must_be_a_port(port: str) -> None:
    assert f"DATABASE_PORT={port!r} is not a port number" in problems(DATABASE_PORT=port)


CONNECTION = {"HOST": "db.internal", "PORT": "5432", "NAME": "mysite", "USER": "django", "PASSWORD": "pw"}


def configured(project: dict[str, Any], **changes: str | None) -> dict[str, Any]:
    """The project's settings after configure() in a deployment."""
    current = copy.deepcopy(project)
    assert helper.configure(current, environ=cloud_env(**changes), fetch=metadata()) is True
    return current


def test_database_merge_keeps_the_projects_keys() -> None:
    project = {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "localhost",
        "NAME": "local",
        "USER": "me",
        "PASSWORD": "local-password",
        "ATOMIC_REQUESTS": True,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "TIME_ZONE": "Europe/Paris",
        "TEST": {"NAME": "test_local"},
        "OPTIONS": {"application_name": "mysite", "options": "-c statement_timeout=5000", "sslmode": "disable"},
    }
    db = configured({"DATABASES": {"default": project}})["DATABASES"]["default"]
    assert db == {
        **project,
        **CONNECTION,
        "OPTIONS": {
            "application_name": "mysite",
            "options": "-c statement_timeout=5000",
            "sslmode": "require",  # the contract's, not the laptop's
            "connect_timeout": 10,
        },
    }
    assert helper.REPORT == []


def test_database_defaults_when_the_project_sets_nothing() -> None:
    db = configured({"DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql"}}})["DATABASES"]["default"]
    assert db == settings_for()["DATABASES"]["default"]
    assert configured({})["DATABASES"] == {"default": settings_for()["DATABASES"]["default"]}


def test_database_pool_gets_no_persistent_connections() -> None:
    # Django refuses CONN_MAX_AGE > 0 with psycopg's connection pool.
    project = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"pool": {"min_size": 2}}}
    db = configured({"DATABASES": {"default": project}})["DATABASES"]["default"]
    assert db["CONN_MAX_AGE"] == 0 and "CONN_HEALTH_CHECKS" not in db
    assert db["OPTIONS"]["pool"] == {"min_size": 2}


def test_database_keeps_the_projects_connect_timeout() -> None:
    project = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"connect_timeout": 30}}
    options = configured({"DATABASES": {"default": project}})["DATABASES"]["default"]["OPTIONS"]
    assert options == {"connect_timeout": 30, "sslmode": "require"}


def test_database_options_that_would_override_the_connection_are_dropped() -> None:
    options = {
        "password": "stale",
        "passfile": "/home/me/.pgpass",
        "service": "local",
        "dbname": "other",
        "host": "localhost",
        "hostaddr": "127.0.0.1",
        "port": "5433",
        "user": "me",
        "application_name": "mysite",
    }
    project = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": options}
    current = configured({"DATABASES": {"default": project}})
    assert current["DATABASES"]["default"]["OPTIONS"] == {
        "application_name": "mysite",
        "sslmode": "require",
        "connect_timeout": 10,
    }
    (line,) = helper.REPORT
    assert line == (
        "DATABASES['default']['OPTIONS'] loses dbname, host, hostaddr, passfile, password, port, service, user: "
        "they would override the deployment's connection"
    )
    assert "stale" not in line


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.gis.db.backends.postgis",
        "django_prometheus.db.backends.postgresql",
        "django_tenants.postgresql_backend",
        "django.db.backends.postgresql",
    ],
)
def test_postgresql_family_engines_are_kept(engine: str) -> None:
    db = configured({"DATABASES": {"default": {"ENGINE": engine}}})["DATABASES"]["default"]
    assert db["ENGINE"] == engine
    assert {key: db[key] for key in CONNECTION} == CONNECTION


def test_a_laptop_sqlite_default_becomes_postgresql() -> None:
    project = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path("/home/me/db.sqlite3"),
        "ATOMIC_REQUESTS": True,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"},
        "TEST": {"NAME": "/tmp/test.sqlite3"},
    }
    db = configured({"DATABASES": {"default": project}})["DATABASES"]["default"]
    assert db == {**settings_for()["DATABASES"]["default"], "ATOMIC_REQUESTS": True}
    assert helper.REPORT == [
        "DATABASES['default'] uses the deployment's PostgreSQL database instead of django.db.backends.sqlite3 "
        "(its OPTIONS, TEST are not carried over)"
    ]


def test_other_postgresql_aliases_point_at_the_one_database() -> None:
    replica = {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "localhost",
        "PORT": "5433",
        "NAME": "replica",
        "TEST": {"MIRROR": "default"},
        "OPTIONS": {"application_name": "mysite-replica"},
    }
    databases = {
        "default": {"ENGINE": "django.db.backends.postgresql"},
        "replica": replica,
        "unset": {"NAME": "whatever"},
    }
    current = configured({"DATABASES": databases})["DATABASES"]
    assert list(current) == ["default", "replica", "unset"]
    assert current["replica"] == {
        **replica,
        **CONNECTION,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"application_name": "mysite-replica", "sslmode": "require", "connect_timeout": 10},
    }
    assert current["unset"]["ENGINE"] == "django.db.backends.postgresql"
    assert {key: current["unset"][key] for key in CONNECTION} == CONNECTION
    assert helper.REPORT == [
        "DATABASES['replica'] points at the deployment's database (djangocdk creates one database)",
        "DATABASES['unset'] points at the deployment's database (djangocdk creates one database)",
    ]


def test_aliases_on_other_backends_are_left_alone() -> None:
    legacy = {"ENGINE": "django.db.backends.mysql", "HOST": "mysql.internal", "PASSWORD": "legacy-pw"}
    cache = {"ENGINE": "django.db.backends.sqlite3", "NAME": "cache.sqlite3"}
    current = configured({"DATABASES": {"legacy": legacy, "cache": cache}})["DATABASES"]
    assert list(current) == ["default", "legacy", "cache"]
    assert current["legacy"] == legacy and current["cache"] == cache
    assert helper.REPORT == [
        "DATABASES['legacy'] (django.db.backends.mysql) is left as the project defines it "
        "(djangocdk creates one PostgreSQL database)",
        "DATABASES['cache'] (django.db.backends.sqlite3) is left as the project defines it "
        "(djangocdk creates one PostgreSQL database)",
    ]
    assert "legacy-pw" not in " ".join(helper.REPORT)


def test_configure_does_not_change_the_projects_dicts() -> None:
    default = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"application_name": "x"}, "TEST": {}}
    replica = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"password": "stale"}}
    databases = {"default": default, "replica": replica}
    storages = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    middleware = ["django.middleware.security.SecurityMiddleware"]
    current: dict[str, Any] = {"DATABASES": databases, "STORAGES": storages, "MIDDLEWARE": middleware}
    before = copy.deepcopy(current)
    assert helper.configure(current, environ=cloud_env(), fetch=metadata()) is True
    assert databases == before["DATABASES"] and storages == before["STORAGES"] and middleware == before["MIDDLEWARE"]
    assert current["DATABASES"]["default"]["OPTIONS"] is not default["OPTIONS"]
    assert current["DATABASES"]["default"]["TEST"] is not default["TEST"]


# --- cache and Celery --------------------------------------------------------


def test_cache_uses_tls_and_the_token() -> None:
    cache = settings_for()["CACHES"]["default"]
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "rediss://cache.internal:6379",
        "OPTIONS": {"password": TOKEN},
    }


def test_redis_url_composed_by_the_launcher_is_accepted() -> None:
    """The launcher rewrites REDIS_URL with the token, database 0 and TLS options."""
    composed = "rediss://:Tok3nWith%2BSlash%2FAndAt%40@cache.internal:6379/0?ssl_cert_reqs=required"
    assert settings_for(REDIS_URL=composed) == settings_for()


def test_credentials_in_a_garbled_redis_url_are_masked() -> None:
    message = problems(REDIS_URL="http://:s3cret@cache.internal")
    assert "REDIS_URL='http://***@cache.internal' must look like rediss://host:port" in message
    assert "s3cret" not in message


def test_celery_over_valkey() -> None:
    s = settings_for()
    quoted = "Tok3nWith%2BSlash%2FAndAt%40"
    assert s["CELERY_BROKER_URL"] == f"rediss://:{quoted}@cache.internal:6379/1"
    assert s["CELERY_RESULT_BACKEND"] == f"rediss://:{quoted}@cache.internal:6379/2"
    assert s["CELERY_BROKER_USE_SSL"] == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert s["CELERY_REDIS_BACKEND_USE_SSL"] == {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    assert s["CELERY_TASK_DEFAULT_QUEUE"] == "celery"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False


def test_plain_redis_without_token_for_local_sandboxes() -> None:
    s = settings_for(
        REDIS_URL="redis://127.0.0.1:6379", TASK_BROKER_URL="redis://127.0.0.1:6379/1", REDIS_AUTH_TOKEN=None
    )
    assert s["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379",
    }
    assert s["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/1"
    assert "CELERY_BROKER_USE_SSL" not in s


def test_tls_cache_without_token_is_an_error() -> None:
    message = problems(REDIS_AUTH_TOKEN=None)
    assert "REDIS_AUTH_TOKEN is not set (required with a rediss:// REDIS_URL)" in message


@pytest.mark.parametrize("url", ["cache.internal:6379", "http://cache.internal", "rediss://"])
def test_garbled_redis_url(url: str) -> None:
    assert f"REDIS_URL={url!r} must look like rediss://host:port" in problems(REDIS_URL=url)


def test_celery_over_sqs_without_cache() -> None:
    queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/mysite-tasks"
    s = settings_for(
        REDIS_URL=None,
        REDIS_AUTH_TOKEN=None,
        TASK_BROKER_URL="sqs://",
        CELERY_TASK_DEFAULT_QUEUE="mysite-tasks",
        CELERY_SQS_QUEUE_URL=queue_url,
    )
    assert s["CELERY_BROKER_URL"] == "sqs://"
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["region"] == "eu-west-1"
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["predefined_queues"] == {"mysite-tasks": {"url": queue_url}}
    assert s["CELERY_TASK_DEFAULT_QUEUE"] == "mysite-tasks"
    assert "CACHES" not in s and "CELERY_RESULT_BACKEND" not in s


def test_sqs_broker_needs_the_queue_url() -> None:
    message = problems(TASK_BROKER_URL="sqs://", CELERY_SQS_QUEUE_URL=None)
    assert "CELERY_SQS_QUEUE_URL is not set (required when TASK_BROKER_URL is sqs://)" in message


# --- storage -----------------------------------------------------------------


def test_static_and_media_on_s3_behind_cloudfront() -> None:
    s = settings_for()
    media, static = s["STORAGES"]["default"], s["STORAGES"]["staticfiles"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert static["BACKEND"] == "djangocdk_settings.ManifestStaticStorage"
    for storage, location in ((media, "media"), (static, "static")):
        options = storage["OPTIONS"]
        assert options["bucket_name"] == "mysite-bucket"
        assert options["custom_domain"] == "d111.cloudfront.net"
        assert options["region_name"] == "eu-west-1"
        assert options["location"] == location
        assert options["url_protocol"] == "https:"
        assert options["querystring_auth"] is False and options["default_acl"] is None
    assert media["OPTIONS"]["file_overwrite"] is False
    assert static["OPTIONS"]["object_parameters"] == {"CacheControl": "public, max-age=31536000, immutable"}
    assert s["STATIC_URL"] == "https://d111.cloudfront.net/static/"
    assert s["MEDIA_URL"] == "https://d111.cloudfront.net/media/"


def test_unset_static_storage_means_s3_manifest() -> None:
    """Task definitions synthesized before DJANGO_STATIC_STORAGE existed keep working."""
    assert settings_for(DJANGO_STATIC_STORAGE=None) == settings_for()
    assert settings_for(DJANGO_STATIC_STORAGE="") == settings_for()


def test_static_storage_s3_uses_plain_names_and_a_short_cache() -> None:
    manifest = settings_for()
    s = settings_for(DJANGO_STATIC_STORAGE="s3")
    static = s["STORAGES"]["staticfiles"]
    assert static["BACKEND"] == "storages.backends.s3.S3Storage"
    assert static["OPTIONS"] == {
        **manifest["STORAGES"]["staticfiles"]["OPTIONS"],
        "object_parameters": {"CacheControl": "public, max-age=3600"},
    }
    assert s["STATIC_URL"] == manifest["STATIC_URL"]
    assert s["STORAGES"]["default"] == manifest["STORAGES"]["default"]


def test_static_storage_project_keeps_the_projects_static_settings() -> None:
    project = {
        "STORAGES": {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}},
        "STATIC_URL": "static/",
        "STATIC_ROOT": Path("/app/staticfiles"),
        "MEDIA_URL": "media/",
    }
    current = configured(project, DJANGO_STATIC_STORAGE="project")
    assert current["STORAGES"]["staticfiles"] == project["STORAGES"]["staticfiles"]
    assert current["STATIC_URL"] == "static/" and current["STATIC_ROOT"] == Path("/app/staticfiles")
    assert current["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert current["MEDIA_URL"] == "https://d111.cloudfront.net/media/"
    assert helper.REPORT == []


def test_static_storage_must_be_a_known_mode() -> None:
    message = problems(DJANGO_STATIC_STORAGE="whitenoise")
    assert "DJANGO_STATIC_STORAGE='whitenoise' is not allowed: use one of s3-manifest, s3, project" in message


@pytest.mark.parametrize("mode", ["s3-manifest", "project"])
def test_legacy_storage_settings_are_reported_not_fatal(mode: str) -> None:
    project = {
        "STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "DEFAULT_FILE_STORAGE": "django.core.files.storage.FileSystemStorage",
    }
    current = configured(project, DJANGO_STATIC_STORAGE=mode)
    assert current["STATICFILES_STORAGE"] == project["STATICFILES_STORAGE"]  # untouched; Django 5.2 ignores it
    assert current["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    static = "djangocdk_settings.ManifestStaticStorage" if mode == "s3-manifest" else "Django's default"
    assert helper.REPORT == [
        f"STATICFILES_STORAGE is ignored (Django 5.1 removed it): STORAGES['staticfiles'] is used, with {static}",
        "DEFAULT_FILE_STORAGE is ignored (Django 5.1 removed it): STORAGES['default'] is used, "
        "with storages.backends.s3.S3Storage",
    ]


def test_manifest_static_storage_is_the_s3_one_with_readable_errors() -> None:
    from storages.backends.s3 import S3ManifestStaticStorage

    storage = import_string("djangocdk_settings.ManifestStaticStorage")
    assert issubclass(storage, S3ManifestStaticStorage) and issubclass(storage, helper.ManifestErrorMixin)
    assert storage is helper.ManifestStaticStorage
    assert storage.__module__ == "djangocdk_settings" and storage.__qualname__ == "ManifestStaticStorage"
    with pytest.raises(AttributeError):
        _ = helper.NoSuchStorage


class LocalManifestStorage(helper.ManifestErrorMixin, ManifestStaticFilesStorage):
    """The helper's error handling over Django's local manifest storage."""


@pytest.fixture
def static_project(settings: LazySettings, tmp_path: Path) -> Iterator[Path]:
    """A static directory collected into a temporary STATIC_ROOT by LocalManifestStorage."""
    source = tmp_path / "src"
    (source / "css").mkdir(parents=True)
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "out"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": f"{__name__}.LocalManifestStorage"}}
    yield source


def collectstatic() -> None:
    call_command("collectstatic", "--noinput", "--ignore", "admin", "--verbosity", "0")


def test_missing_referenced_static_file_is_named(static_project: Path) -> None:
    (static_project / "css" / "app.css").write_text("body { color: red; }\n/*# sourceMappingURL=missing.css.map */\n")
    with pytest.raises(ValueError, match="static file 'css/app.css' references 'css/missing.css.map'") as info:
        collectstatic()
    assert 'set static_storage = "s3" in the djangocdk configuration' in str(info.value)
    assert "to store static files without hashed names, or fix the reference" in str(info.value)


def test_static_files_with_valid_references_are_hashed(static_project: Path, settings: LazySettings) -> None:
    (static_project / "css" / "app.css").write_text('body { background: url("bg.png"); }\n')
    (static_project / "css" / "bg.png").write_bytes(b"png")
    collectstatic()
    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    assert manifest["paths"]["css/app.css"].startswith("css/app.")


def test_other_post_processing_errors_pass_through() -> None:
    class Failing:
        def post_process(self, *args: Any, **kwargs: Any) -> Iterator[tuple[str, str | None, Any]]:
            yield "css/a.css", None, ValueError("something else")
            raise ValueError("The file 'img/x.png' could not be found with <storage>.")

    class Storage(helper.ManifestErrorMixin, Failing):
        pass

    processor = Storage().post_process({})
    _, _, error = next(processor)
    assert str(error) == "something else"
    with pytest.raises(ValueError, match="a static file references 'img/x.png'"):
        next(processor)


def test_url_protocol_knob() -> None:
    assert settings_for(AWS_S3_URL_PROTOCOL="http:")["STATIC_URL"] == "http://d111.cloudfront.net/static/"
    assert "AWS_S3_URL_PROTOCOL='ftp:' is not allowed" in problems(AWS_S3_URL_PROTOCOL="ftp:")


# --- logging -----------------------------------------------------------------


def test_log_level_knob() -> None:
    assert settings_for()["LOGGING"]["root"]["level"] == "INFO"
    assert settings_for(DJANGO_LOG_LEVEL="WARNING")["LOGGING"]["root"]["level"] == "WARNING"
    assert "DJANGO_LOG_LEVEL='LOUD' is not allowed" in problems(DJANGO_LOG_LEVEL="LOUD")


def test_json_log_lines() -> None:
    formatter = helper.JsonFormatter()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal error: %s", ("/x",), None)
    record.status_code = 500
    record.request = object()
    line = json.loads(formatter.format(record))
    assert line["level"] == "ERROR" and line["logger"] == "django.request"
    assert line["message"] == "Internal error: /x" and line["status_code"] == 500
    assert "request" not in line
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert "ValueError: boom" in json.loads(formatter.format(record))["exception"]


# --- health check middleware and the report ---------------------------------------

HEALTH = "djangocdk_settings.HealthCheckMiddleware"


def test_health_check_middleware_comes_first() -> None:
    project = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
    current = configured({"MIDDLEWARE": project})
    assert current["MIDDLEWARE"] == [HEALTH, *project]
    assert helper.configure(current, environ=cloud_env(), fetch=metadata()) is True
    assert current["MIDDLEWARE"] == [HEALTH, *project]  # not twice
    assert configured({})["MIDDLEWARE"] == [HEALTH]


def test_health_check_middleware_placed_by_the_project_stays_there() -> None:
    project = ("django.middleware.security.SecurityMiddleware", HEALTH)
    assert configured({"MIDDLEWARE": project})["MIDDLEWARE"] == list(project)


@pytest.fixture
def report_log(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    """The messages logged on the djangocdk logger so far."""
    caplog.set_level(logging.INFO, logger="djangocdk")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "djangocdk" and r.levelno == logging.INFO]


REPLICA_REPORT = (
    "djangocdk_settings adjusted the project's settings: "
    "DATABASES['replica'] points at the deployment's database (djangocdk creates one database)"
)


def test_report_is_logged_once_when_django_sets_up_logging(
    monkeypatch: pytest.MonkeyPatch, report_log: Callable[[], list[str]]
) -> None:
    current = configured({"DATABASES": {"replica": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "x"}}})
    # Logging is not set up while the settings module runs: a record now would be lost.
    assert report_log() == []
    hook = import_string(current["LOGGING_CONFIG"])
    assert hook is helper.configure_logging
    applied: list[dict[str, Any]] = []
    monkeypatch.setattr(logging.config, "dictConfig", applied.append)
    hook(current["LOGGING"])  # what django.setup() does
    assert applied == [current["LOGGING"]]
    assert report_log() == [REPLICA_REPORT]
    assert "pw" not in REPLICA_REPORT.split() and KEY not in REPLICA_REPORT


def test_report_is_logged_by_configure_when_the_project_configures_logging(
    report_log: Callable[[], list[str]],
) -> None:
    current = configured({"LOGGING_CONFIG": None, "DATABASES": {"replica": {}}})
    assert current["LOGGING_CONFIG"] is None
    assert report_log() == [REPLICA_REPORT]


def test_nothing_is_logged_without_a_report(
    monkeypatch: pytest.MonkeyPatch, report_log: Callable[[], list[str]]
) -> None:
    current = configured({"DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql"}}})
    monkeypatch.setattr(logging.config, "dictConfig", lambda config: None)
    helper.configure_logging(current["LOGGING"])
    assert helper.REPORT == [] and report_log() == []


# --- the declared interface ----------------------------------------------------


class Recording(dict[str, str]):
    """An environment that records which names were looked up."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env)
        self.names: set[str] = set()

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        self.names.add(name)
        return super().get(name, default)


def test_the_helper_reads_exactly_the_declared_names() -> None:
    read: set[str] = set()
    sqs = {"TASK_BROKER_URL": "sqs://", "CELERY_SQS_QUEUE_URL": "https://sqs/q"}
    for env in (cloud_env(), cloud_env(**sqs)):
        env["ECS_CONTAINER_METADATA_URI_V4"] = "http://169.254.170.2/v4/abc"
        recording = Recording(env)
        helper.cloud_settings(recording, fetch=metadata("10.0.0.1"))
        read |= recording.names
    assert read == set(helper.CONTRACT) | set(helper.OPTIONAL) | set(helper.PLATFORM)


def test_undeclared_names_are_refused() -> None:
    for name in ("DATABASE_URL", "CACHE_URL", "POSTGRES_PASSWORD", "CELERY_BROKER_URL"):
        with pytest.raises(AssertionError, match=f"undeclared variable {name}"):
            helper._Env({name: "x"}).get(name)


def test_derived_names() -> None:
    assert helper.DERIVED == (
        "DATABASE_URL",
        "POSTGRES_HOST",
        "POSTGRES_PORT",
        "POSTGRES_DB",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
        "REDIS_URL",
        "CACHE_URL",
        "CELERY_BROKER_URL",
        "BROKER_URL",
    )
    # The launcher rewrites REDIS_URL; every other derived name is new to the container.
    assert set(helper.DERIVED) & (set(helper.CONTRACT) | set(helper.OPTIONAL)) == {"REDIS_URL"}


def test_no_secret_value_leaks_into_an_error_message() -> None:
    message = problems(DJANGO_DEBUG="maybe", REDIS_URL="garbled")
    assert TOKEN not in message and KEY not in message and "pw" not in message.split()


def test_no_contract_name_is_read_by_celery_itself() -> None:
    """Celery reads these from the environment and prefers them to Django's settings:
    a contract variable with one of these names would bypass the helper (the AUTH
    token, TLS options) in every worker."""
    read_by_celery = {
        "CELERY_BROKER_URL",
        "CELERY_BROKER_READ_URL",
        "CELERY_BROKER_WRITE_URL",
        "CELERY_RESULT_BACKEND",
        "CELERY_CONFIG_MODULE",
        "CELERY_LOADER",
        "BROKER_URL",
    }
    assert not read_by_celery & set(helper.CONTRACT)


def test_connect_timeout_from_the_deployment() -> None:
    # Aurora Serverless v2 resuming from a pause takes longer than libpq's 10 s.
    options = settings_for(DATABASE_CONNECT_TIMEOUT="30")["DATABASES"]["default"]["OPTIONS"]
    assert options["connect_timeout"] == 30
    assert settings_for(DATABASE_CONNECT_TIMEOUT=None)["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 10
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONNECT_TIMEOUT"):
        settings_for(DATABASE_CONNECT_TIMEOUT="soon")
