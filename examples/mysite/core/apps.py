"""App configuration."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The sample app: documents uploaded to media storage and background jobs."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
