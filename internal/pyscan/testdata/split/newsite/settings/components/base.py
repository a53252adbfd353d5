import os

SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["django.contrib.admin"]
ROOT_URLCONF = "newsite.routes"
