from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, env

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["OPTIONS"] = {"sslmode": "require"}
DATABASES["replica"] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "replica",
    "TEST": {"MIRROR": "default"},
}

CACHES = {"default": env.cache()}
EMAIL_CONFIG = env.email_url()

STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

INSTALLED_APPS += ["storages", "anymail"]
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ADMIN_URL = env("DJANGO_ADMIN_URL")
SENTRY_DSN = env("SENTRY_DSN")
SENTRY_LOG_LEVEL = env.int("DJANGO_SENTRY_LOG_LEVEL", 20)

try:
    AWS_KEY = env("AWS_ACCESS_KEY_ID")
except ImproperlyConfigured:  # noqa: F405
    AWS_KEY = None

if env.bool("USE_SEARCH", default=False):
    SEARCH = env.search_url()
