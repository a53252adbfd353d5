package deps

// Pins are the runtime requirements djangocdk knows work with Django 5.2,
// by normalized distribution name: the versions examples/mysite installs
// and is tested with (requirements.txt there), and for the others the
// release current when they were chosen, resolved together with those
// (pip install --dry-run, Python 3.11).
var Pins = map[string]string{
	"gunicorn":        "gunicorn==27.0.1",
	"uvicorn":         "uvicorn==0.54.0",
	"uvicorn-worker":  "uvicorn-worker==0.4.0", // gunicorn worker class UvicornWorkerClass
	"psycopg":         "psycopg[binary]==3.3.9",
	"django-storages": "django-storages[s3]==1.14.6",
	"boto3":           "boto3==1.44.5",
	"redis":           "redis==8.1.0",
	"celery":          "celery[redis,sqs]==5.7.0",
	"whitenoise":      "whitenoise==6.12.0",
}

// UvicornWorkerClass is gunicorn's --worker-class for ASGI applications
// (from uvicorn-worker; uvicorn.workers is deprecated).
const UvicornWorkerClass = "uvicorn_worker.UvicornWorker"

// ToolPins are the versions of the dependency managers the image installs
// to run Plan.InstallCommand (and the tests use).
var ToolPins = map[string]string{
	ManagerUV:     "uv==0.13.9",
	ManagerPoetry: "poetry==2.5.1",
	ManagerPipenv: "pipenv==2026.10.3",
}

// Pinned returns the pinned Requirement for a name in Pins (any spelling).
func Pinned(name, why string) (Requirement, bool) {
	spec, ok := Pins[Normalize(name)]
	return Requirement{Name: Normalize(name), Spec: spec, Why: why}, ok
}
