import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tasks.settings")
app = Celery("tasks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {"ping": {"task": "tasks.ping", "schedule": 60.0}}
