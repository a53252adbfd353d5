from decouple import config

EMAIL_HOST = config("EMAIL_HOST", default="localhost")
EMAIL_PASSWORD = config("EMAIL_PASSWORD")
