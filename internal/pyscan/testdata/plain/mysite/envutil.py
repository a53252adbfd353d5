import os


def env_bool(name, default=False):
    if name in os.environ:
        return os.environ[name].lower() in ("1", "true", "yes")
    return default


def env_required(name):
    return os.environ[name]
