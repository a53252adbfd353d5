package deps

import (
	"maps"
	"slices"
)

// SystemPackages are Debian (bookworm, the python:*-slim images' base)
// packages the image installs for the Python requirements.
type SystemPackages struct {
	// Build are installed in the build stage, next to build-essential:
	// headers and tools to compile requirements that have no wheel.
	Build []string
	// Runtime are installed in the runtime stage: the shared libraries the
	// installed requirements load.
	Runtime []string
}

// Merge returns both sets together, sorted, without duplicates.
func (s SystemPackages) Merge(o SystemPackages) SystemPackages {
	return SystemPackages{Build: union(s.Build, o.Build), Runtime: union(s.Runtime, o.Runtime)}
}

// Empty reports whether nothing needs installing.
func (s SystemPackages) Empty() bool { return len(s.Build) == 0 && len(s.Runtime) == 0 }

// systemRule says what one distribution needs; it applies when the
// requirement asks for Extra (if set) and not for Unless (if set).
type systemRule struct {
	name, extra, unless string
	build, runtime      []string
}

// systemTable is the one place that maps Python requirements to Debian
// packages. Requirements with manylinux wheels for every Python and both
// architectures the image may use (x86_64, aarch64) need nothing and are
// not listed: Pillow (its wheels bundle libjpeg, zlib, libwebp...),
// cryptography, psycopg2-binary, psycopg[binary], pycurl, reportlab.
// lxml has such wheels too, but is listed: projects using xmlsec
// (python3-saml, SAML login) must build lxml against the system libxml2
// (pip install --no-binary lxml), and the libraries cost little.
var systemTable = []systemRule{
	{name: "psycopg2", build: []string{"libpq-dev"}, runtime: []string{"libpq5"}},
	{name: "psycopg", extra: "c", build: []string{"libpq-dev"}, runtime: []string{"libpq5"}},
	{name: "psycopg", unless: "binary", runtime: []string{"libpq5"}}, // the pure Python implementation loads libpq
	{name: "psycopg-c", build: []string{"libpq-dev"}, runtime: []string{"libpq5"}},
	{name: "lxml", build: []string{"libxml2-dev", "libxslt1-dev"}, runtime: []string{"libxml2", "libxslt1.1"}},
	{name: "mysqlclient", build: []string{"default-libmysqlclient-dev", "pkg-config"}, runtime: []string{"libmariadb3"}},
	{name: "python-ldap", build: []string{"libldap2-dev", "libsasl2-dev"}, runtime: []string{"libldap-2.5-0", "libsasl2-2"}},
	{name: "django-auth-ldap", build: []string{"libldap2-dev", "libsasl2-dev"}, runtime: []string{"libldap-2.5-0", "libsasl2-2"}}, // requires python-ldap
	{name: "python-magic", runtime: []string{"libmagic1"}},
	{name: "gdal", build: []string{"libgdal-dev"}, runtime: []string{"libgdal32"}},
	{name: "pylibmc", build: []string{"libmemcached-dev", "zlib1g-dev"}, runtime: []string{"libmemcached11"}},
}

// SystemFor returns the Debian packages the requirements need, for a
// Plan.Declared map (normalized name to spec).
func SystemFor(declared map[string]string) SystemPackages {
	var out SystemPackages
	for _, key := range slices.Sorted(maps.Keys(declared)) {
		spec, err := ParseSpec(declared[key])
		if err != nil {
			continue
		}
		for _, r := range systemTable {
			if r.name == spec.Key() && (r.extra == "" || spec.HasExtra(r.extra)) && (r.unless == "" || !spec.HasExtra(r.unless)) {
				out = out.Merge(SystemPackages{Build: r.build, Runtime: r.runtime})
			}
		}
	}
	return out
}

// GISPackages are the runtime libraries GeoDjango (django.contrib.gis)
// loads: GDAL, GEOS and PROJ. Whether the project uses GeoDjango is for the
// caller to find out; merge these into Plan.SystemPackages when it does.
func GISPackages() SystemPackages {
	return SystemPackages{Runtime: []string{"gdal-bin", "libgdal32", "libgeos-c1v5", "libproj25"}}
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
