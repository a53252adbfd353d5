from celery import Celery

app = Celery("not-this-one")
