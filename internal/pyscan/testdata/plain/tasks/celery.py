from celery import Celery
from celery.schedules import crontab
from django.conf import settings

celery_app = Celery()
celery_app.config_from_object(settings, namespace="TASKS")


@celery_app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(crontab(hour=7), tick.s())


@celery_app.task
def tick():
    pass
