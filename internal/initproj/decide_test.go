package initproj

import (
	"strings"
	"testing"
)

func TestDecideHealth(t *testing.T) {
	cases := []struct {
		name   string
		routes []route
		want   string
		note   string
	}{
		{"none", []route{{pattern: "", view: "pages.views.home"}}, "/healthz", ""},
		{"own view, nested", []route{{pattern: "api/health/", view: "api.views.health"}}, "/api/health/", ""},
		{"own view without slash", []route{{pattern: "healthz", view: "core.views.healthz"}}, "/healthz", ""},
		{"regex route", []route{{pattern: "^ping/$", view: "core.views.ping"}}, "/ping/", ""},
		{"user-facing status page is not a health check", []route{{pattern: "status/", view: "pages.views.status"}}, "/healthz", ""},
		{"parameterized", []route{{pattern: "health/<str:check>/", view: "core.views.one"}}, "/healthz", ""},
		{"django-health-check queries the database", []route{{pattern: "ht/", include: "health_check.urls"}}, "/healthz", "django-health-check at /ht/"},
		{"django-health-check 4 view", []route{{pattern: "health/", view: "health_check.views.HealthCheckView.as_view(checks=[...])"}}, "/healthz", "django-health-check at /health/"},
		{"django-alive liveness", []route{{pattern: "-/", include: "django_alive.urls"}}, "/-/alive/", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Project{}
			p.decideHealth(facts{routes: c.routes})
			if p.HealthPath != c.want {
				t.Errorf("health path %q (%s), want %q", p.HealthPath, p.HealthFrom, c.want)
			}
			if c.note != "" && !strings.Contains(strings.Join(p.Notes, "\n"), c.note) {
				t.Errorf("notes %q lack %q", p.Notes, c.note)
			}
		})
	}
}
