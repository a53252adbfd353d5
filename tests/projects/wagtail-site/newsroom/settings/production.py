import os

import dj_database_url

from .base import *

DEBUG = False

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")

# PostgreSQL, from DATABASE_URL (postgres://user:password@host:5432/name).
DATABASES = {"default": dj_database_url.config(conn_max_age=600)}

# Full URL of the site, used in links in notification emails and the admin.
WAGTAILADMIN_BASE_URL = os.environ["WAGTAILADMIN_BASE_URL"]

CSRF_TRUSTED_ORIGINS = [WAGTAILADMIN_BASE_URL]

try:
    from .local import *
except ImportError:
    pass
