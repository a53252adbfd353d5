#!/bin/sh
# Wait until the database named by DATABASE_URL accepts connections, then run
# the container's command (CMD, or the command given to "docker run").
set -e

if [ -n "$DATABASE_URL" ]; then
    tries=0
    until python -c 'import dj_database_url, psycopg; c = dj_database_url.config(); psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, dbname=c["NAME"], user=c["USER"], password=c["PASSWORD"], connect_timeout=3, **c.get("OPTIONS", {})).close()' 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -ge 30 ]; then
            echo "docker-entrypoint: database still unavailable after $tries tries" >&2
            exit 1
        fi
        echo "docker-entrypoint: waiting for the database ($tries)..." >&2
        sleep 2
    done
fi

exec "$@"
