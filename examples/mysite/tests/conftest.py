"""Fixtures for mysite's tests (local settings: SQLite, files on disk, eager Celery)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def media_root(settings: LazySettings, tmp_path: Path) -> Path:
    """Uploads go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
