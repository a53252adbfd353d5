from celery import Celery

app = Celery("broken")
x = = 1
