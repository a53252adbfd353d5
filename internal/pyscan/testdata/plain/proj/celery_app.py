import celery

worker = celery.Celery(main="proj.worker")
worker.config_from_object("django.conf:settings")
