package deps

import (
	"reflect"
	"testing"
)

func TestSystemFor(t *testing.T) {
	tests := []struct {
		name     string
		declared map[string]string
		want     SystemPackages
	}{
		{"psycopg2 compiles against libpq", map[string]string{"psycopg2": "psycopg2==2.9.10"},
			SystemPackages{Build: []string{"libpq-dev"}, Runtime: []string{"libpq5"}}},
		{"psycopg2-binary has a wheel", map[string]string{"psycopg2-binary": "psycopg2-binary==2.9.10"}, SystemPackages{}},
		{"psycopg[binary] has a wheel", map[string]string{"psycopg": "psycopg[binary]==3.3.9"}, SystemPackages{}},
		{"pure Python psycopg loads libpq", map[string]string{"psycopg": "psycopg[pool]>=3.2"}, SystemPackages{Runtime: []string{"libpq5"}}},
		{"psycopg[c] compiles", map[string]string{"psycopg": "psycopg[c,binary] ^3.2"},
			SystemPackages{Build: []string{"libpq-dev"}, Runtime: []string{"libpq5"}}},
		{"lxml", map[string]string{"lxml": "lxml>=5"},
			SystemPackages{Build: []string{"libxml2-dev", "libxslt1-dev"}, Runtime: []string{"libxml2", "libxslt1.1"}}},
		{"mysqlclient", map[string]string{"mysqlclient": "mysqlclient"},
			SystemPackages{Build: []string{"default-libmysqlclient-dev", "pkg-config"}, Runtime: []string{"libmariadb3"}}},
		{"django-auth-ldap needs python-ldap's libraries", map[string]string{"django-auth-ldap": "django-auth-ldap", "python-ldap": "python-ldap"},
			SystemPackages{Build: []string{"libldap2-dev", "libsasl2-dev"}, Runtime: []string{"libldap-2.5-0", "libsasl2-2"}}},
		{"python-magic", map[string]string{"python-magic": "python_magic==0.4.27"}, SystemPackages{Runtime: []string{"libmagic1"}}},
		{"wheels need nothing", map[string]string{"pillow": "Pillow", "cryptography": "cryptography", "django": "Django"}, SystemPackages{}},
	}
	for _, tt := range tests {
		if got := SystemFor(tt.declared); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: SystemFor = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestGISPackages(t *testing.T) {
	got := SystemFor(map[string]string{"psycopg": "psycopg"}).Merge(GISPackages())
	want := SystemPackages{Runtime: []string{"gdal-bin", "libgdal32", "libgeos-c1v5", "libpq5", "libproj25"}}
	if !reflect.DeepEqual(got, want) || got.Empty() || !(SystemPackages{}).Empty() {
		t.Errorf("merged = %+v, want %+v", got, want)
	}
}

func TestPins(t *testing.T) {
	for name, spec := range Pins {
		s, err := ParseSpec(spec)
		if err != nil || s.Key() != name || len(s.Version) < 3 || s.Version[:2] != "==" {
			t.Errorf("Pins[%q] = %q: want an exact pin of %s", name, spec, name)
		}
	}
	r, ok := Pinned("Django_Storages", "media on S3")
	if !ok || r.Spec != "django-storages[s3]==1.14.6" || r.Why != "media on S3" {
		t.Errorf("Pinned = %+v, %v", r, ok)
	}
	if _, ok := Pinned("nothing", ""); ok {
		t.Error("Pinned(nothing) found a pin")
	}
}

// The pins are the versions the sample project is tested with.
func TestPinsMatchTheSample(t *testing.T) {
	p, err := Detect("../../examples/mysite")
	if err != nil {
		t.Fatal(err)
	}
	if p.RequirementsFile != "requirements.txt" || p.Has("pytest") {
		t.Fatalf("sample plan: %s, declares pytest: %v", p.RequirementsFile, p.Has("pytest"))
	}
	matched := 0
	for name, pin := range Pins {
		if spec, ok := p.Declared[name]; ok {
			matched++
			if spec != pin {
				t.Errorf("Pins[%q] = %q, the sample installs %q", name, pin, spec)
			}
		}
	}
	if matched < 6 {
		t.Errorf("only %d pins found in the sample", matched)
	}
}
