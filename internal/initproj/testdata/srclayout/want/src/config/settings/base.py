STATIC_ROOT = "/tmp/static"
MEDIA_ROOT = "/tmp/media"
