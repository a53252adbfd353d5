from config.settings.base import *  # noqa: F403

DEBUG = False
STATICFILES_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
SENTRY_DSN = env.str("SENTRY_DSN", default="")  # noqa: F405
