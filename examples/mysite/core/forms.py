"""Forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .models import Document, Job


class DocumentForm(forms.ModelForm):
    """Upload a file to media storage."""

    class Meta:
        model = Document
        fields = ["title", "file"]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_SIZE
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.")
        return upload


class JobForm(forms.ModelForm):
    """Text for the worker to count."""

    class Meta:
        model = Job
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
