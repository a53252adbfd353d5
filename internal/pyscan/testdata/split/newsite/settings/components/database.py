INSTALLED_APPS += ["newsite.core"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "newsite"),  # noqa: F821
    }
}
if os.environ.get("USE_SQLITE"):  # noqa: F821
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}

import environ  # noqa: E402

ENV = environ.Env(CACHE_TTL=(int, 300))
CACHE_TTL = ENV("CACHE_TTL")
CACHES = {"default": ENV.cache_url("REDIS_URL")}
