package appmodel

import (
	"strings"
	"testing"
)

func TestValidationMessages(t *testing.T) {
	cases := []struct {
		got  []string
		want string
	}{
		{ValidateSettingsModule("SettingsModule", "mysite/settings.py"), `SettingsModule: "mysite/settings.py" is not a dotted Python module path`},
		{[]string{ValidateCommand("Web.Command", nil)}, "Web.Command: must not be empty"},
		{[]string{ValidateCommand("Web.Command", []string{" "})}, "the program (first element) must not be blank"},
		{ValidateExtraNames("Environment", []string{"DATABASE_URL"}), `"DATABASE_URL" is composed at container start`},
		{ValidateExtraNames("Environment", []string{"DJANGO_SECRET_KEY"}), `"DJANGO_SECRET_KEY" is set by djangocdk`},
		{ValidateExtraNames("Secrets", []string{"1BAD"}), `Secrets: "1BAD" is not a valid environment variable name`},
		{ValidatePlaceholders("Environment", map[string]string{"SITE": "${domain}"}), "Environment.SITE: unknown placeholder ${domain}"},
	}
	for _, c := range cases {
		if !strings.Contains(strings.Join(c.got, "\n"), c.want) {
			t.Errorf("want %q in %q", c.want, c.got)
		}
	}
	if len(ValidateSettingsModule("f", "mysite.settings")) != 0 || ValidateCommand("f", []string{"gunicorn"}) != "" ||
		len(ValidateExtraNames("f", []string{"FEATURE_FLAG"})) != 0 || len(ValidatePlaceholders("f", map[string]string{"A": "${url}/x"})) != 0 {
		t.Error("valid values must pass")
	}
}
