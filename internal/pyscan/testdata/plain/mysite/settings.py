import os
from os import environ as ENV

import dj_database_url
from decouple import Csv, config
from django.core.exceptions import ImproperlyConfigured

import mysite.components.mail
from . import logging_conf

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")
PORT = int(os.getenv("PORT", "8000"))
REGION = ENV.get("AWS_REGION")
STRIPE_KEY = config("STRIPE_KEY")
USE_TZ = config("USE_TZ", default=True, cast=bool)
ADMINS_LIST = config("ADMINS", default="", cast=Csv())

try:
    REDIS_URL = os.environ["REDIS_URL"]
except KeyError:
    REDIS_URL = None

try:
    API_TOKEN = os.environ["API_TOKEN"]
except KeyError:
    raise ImproperlyConfigured("API_TOKEN is required")

if "OPTIONAL_FEATURE" in os.environ:
    OPTIONAL_FEATURE = os.environ["OPTIONAL_FEATURE"]

DATABASES = {
    "default": dj_database_url.config(conn_max_age=600, conn_health_checks=True),
    "replica": dj_database_url.parse(os.environ["REPLICA_DATABASE_URL"]),
}
CACHE_DB = dj_database_url.config(env="CACHE_DATABASE_URL", default="sqlite:///cache.db")

INSTALLED_APPS = (
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "shop",
)
INSTALLED_APPS += ("health_check",)

MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
MIDDLEWARE.append("django.middleware.csrf.CsrfViewMiddleware")

STATIC_URL = "/static/"
STATIC_ROOT = None
STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
DEFAULT_FILE_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"

CELERY_BEAT_SCHEDULE = {"tick": {"task": "tasks.tick", "schedule": 60}}


def feature_flag(name):
    return os.environ.get("FEATURE_" + name) or os.environ.get("IN_FUNCTION")


os.environ.setdefault("TZ", "UTC")

from mysite.envutil import env_bool, env_required  # noqa: E402

FEATURE_X = env_bool("FEATURE_X")
PAYMENT_KEY = env_required("PAYMENT_KEY")
