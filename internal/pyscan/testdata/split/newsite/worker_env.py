import os

QUEUE = os.environ["WORKER_QUEUE"]
