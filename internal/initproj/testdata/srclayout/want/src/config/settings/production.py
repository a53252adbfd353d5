from .base import *  # noqa: F403
DEBUG = False

# Deployment settings from the environment (djangocdk; no-op on a developer machine).
import djangocdk_settings  # noqa: E402

djangocdk_settings.configure(globals())
