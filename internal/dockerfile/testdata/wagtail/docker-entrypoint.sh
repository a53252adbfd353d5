#!/bin/sh
set -e

# Wait for the database when one is configured.
if [ -n "${DATABASE_HOST:-}" ]; then
    port="${DATABASE_PORT:-5432}"
    until python -c "import socket; socket.create_connection(('$DATABASE_HOST', $port), 2)" 2>/dev/null; do
        echo "waiting for the database at $DATABASE_HOST:$port"
        sleep 1
    done
fi

exec "$@"
