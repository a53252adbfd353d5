#!/bin/sh
set -e
: "${WEB_CONCURRENCY:=3}"
exec gunicorn myproject.asgi:application \
    -k uvicorn.workers.UvicornWorker \
    --bind "0.0.0.0:${PORT:-8000}" \
    --workers "$WEB_CONCURRENCY"
