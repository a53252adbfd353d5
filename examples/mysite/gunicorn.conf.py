"""gunicorn settings, read from the working directory at start.

The deployment's command line sets --bind, --workers and --access-logfile;
everything here complements it for running behind an AWS load balancer.
"""

import os

# Threads keep a small Fargate task busy while requests wait on the database.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Longer than the load balancer's 60 s idle timeout, so the balancer (not
# gunicorn) closes idle keep-alive connections and no request hits a closed one.
keepalive = 75
timeout = 30
# ECS sends SIGTERM and waits 30 s (the web container's stop timeout).
graceful_timeout = 25
# Only the load balancer can reach the task (security group), so trust its
# X-Forwarded-* headers.
forwarded_allow_ips = "*"
# Heartbeat files in memory, not on the container's disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
