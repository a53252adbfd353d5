INSTALLED_APPS += ["newsite.core"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "newsite"),  # noqa: F821
    }
}
if os.environ.get("USE_SQLITE"):  # noqa: F821
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
