// Package deps works out what a Django project's container image must
// install, and adds the runtime dependencies a deployment needs the way the
// project's dependency manager would.
//
// Detect reads the project's dependency declarations (uv, Poetry, Pipenv,
// pip requirements files or PEP 621 pyproject.toml) and returns a Plan: the
// files to copy into the image, the exact install command (production
// groups and extras included, development ones never), every declared
// runtime requirement, and the Debian packages those requirements need.
//
// Add writes missing requirements into the project's own declarations:
// with uv or Poetry when they are on PATH (so their lock files follow), and
// otherwise by careful text edits that keep the rest of the file as it was,
// reporting the lock command the user must still run.
package deps
