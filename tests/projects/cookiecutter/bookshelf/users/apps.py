import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "bookshelf.users"
    verbose_name = _("Users")

    def ready(self) -> None:
        with contextlib.suppress(ImportError):
            import bookshelf.users.signals  # noqa: F401, PLC0415
