"""Development settings: PostgreSQL on localhost (see README), no replica server needed."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-ledger-local-8m2k5x9q1w4z7c0v3b6n"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
