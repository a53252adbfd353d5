from celery.task import periodic_task


@periodic_task(run_every=60)
def nightly():
    pass
