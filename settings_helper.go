package djangocdk

import _ "embed"

// SettingsHelperFile is the name of the Django settings helper module: the
// Python side of the env contract, imported by a project's settings.
const SettingsHelperFile = "djangocdk_settings.py"

// The helper's only copy lives in the sample project, where its tests run.
//
//go:embed examples/mysite/djangocdk_settings.py
var settingsHelper string

// SettingsHelperSource returns the source of the settings helper, for tools
// that write it into a Django project.
func SettingsHelperSource() string { return settingsHelper }
