from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "dev"
STATIC_URL = "static/"

# Deployment settings from the environment (djangocdk; no-op on a developer machine).
import djangocdk_settings  # noqa: E402

djangocdk_settings.configure(globals())
