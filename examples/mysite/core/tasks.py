"""Celery tasks."""

from __future__ import annotations

import socket
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import Job

# Finished jobs older than this are deleted by the periodic purge.
JOB_RETENTION = timedelta(days=7)


@shared_task
def count_words(job_id: int) -> int:
    """Count the words of a job's text and store the result on the job."""
    job = Job.objects.get(pk=job_id)
    try:
        job.word_count = len(job.text.split())
        job.status = Job.Status.DONE
    except Exception:
        job.status = Job.Status.FAILED
        raise
    finally:
        job.worker = socket.gethostname()
        job.finished_at = timezone.now()
        job.save(update_fields=["word_count", "status", "worker", "finished_at"])
    return job.word_count


@shared_task
def purge_finished_jobs() -> int:
    """Delete finished jobs older than JOB_RETENTION (scheduled by beat)."""
    cutoff = timezone.now() - JOB_RETENTION
    deleted, _ = Job.objects.exclude(status=Job.Status.PENDING).filter(finished_at__lt=cutoff).delete()
    return deleted
