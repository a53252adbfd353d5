from config import celery_app

celery_app.conf.beat_schedule = {
    "cleanup": {"task": "acme.users.tasks.cleanup", "schedule": 3600.0},
}
