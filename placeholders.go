package djangocdk

import "github.com/djangocdk/djangocdk/appmodel"

// Placeholder is one ${name} a value of Environment may use (see package appmodel).
type Placeholder = appmodel.Placeholder

// Placeholders are the deployment facts a value of DjangoEcsProps.Environment
// may name as ${name} (see appmodel.Placeholders).
var Placeholders = appmodel.Placeholders

// PlaceholderNames lists the names of Placeholders.
func PlaceholderNames() []string { return appmodel.PlaceholderNames() }
