SECRET_KEY = "dev"
STATIC_ROOT = "static"
