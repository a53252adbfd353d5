from celery import Celery

app = Celery("proj", broker="redis://")
app.conf.beat_schedule = {"tick": {"task": "proj.tick", "schedule": 10.0}}
