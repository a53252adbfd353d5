"""Production settings: everything secret or site-specific comes from the environment."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")

# Errors are mailed to the ledger's on-call address.
ADMINS = [("Ledger on-call", os.environ["LEDGER_ONCALL_EMAIL"])]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "ledger@localhost")
