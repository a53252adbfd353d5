SECRET_KEY = "dev"

# Deployment settings from the environment (djangocdk; no-op on a developer machine).
import djangocdk_settings  # noqa: E402

djangocdk_settings.configure(globals())
