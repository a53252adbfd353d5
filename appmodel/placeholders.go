package appmodel

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Placeholders are the deployment facts a value of App.Environment
// (DjangoEcsProps.Environment) may name as ${name}; they are resolved at synth (as CloudFormation
// references where the value is only known at deploy time). Projects often
// need one of them under their own variable name, e.g.
// WAGTAILADMIN_BASE_URL = "${url}".
var Placeholders = []Placeholder{
	{"url", "the site's public URL, e.g. https://www.example.com (no trailing slash)"},
	{"host", "the site's host name: the domain, else the CloudFront distribution's name (the load balancer's with the alb-http-insecure edge)"},
	{"bucket", "the S3 bucket holding static/ and media/"},
	{"assets_domain", "the host serving static and media files (the site's own with the CloudFront edge)"},
	{"region", "the AWS region of the stack"},
}

// Placeholder is one ${name} a value of Environment may use.
type Placeholder struct {
	// Name is what goes between ${ and }.
	Name string
	// Meaning is the human-readable description.
	Meaning string
}

// PlaceholderNames lists the names of Placeholders.
func PlaceholderNames() []string {
	names := make([]string, len(Placeholders))
	for i, p := range Placeholders {
		names[i] = p.Name
	}
	return names
}

// PlaceholderRef is one piece of a value: literal text, or a placeholder name.
type PlaceholderRef struct {
	// Text is the literal text, or the placeholder's name.
	Text string
	// Placeholder is true for a ${name} reference.
	Placeholder bool
}

// SplitPlaceholders cuts value into literal text and ${name} references. An
// unknown name or an unclosed "${" is an error naming the allowed ones; "$$"
// stands for a literal "$".
func SplitPlaceholders(value string) ([]PlaceholderRef, error) {
	var parts []PlaceholderRef
	var lit strings.Builder
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case c == '$' && i+1 < len(value) && value[i+1] == '$':
			lit.WriteByte('$')
			i++
		case c == '$' && i+1 < len(value) && value[i+1] == '{':
			end := strings.IndexByte(value[i+2:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed \"${\" (write \"$$\" for a literal dollar sign)")
			}
			name := value[i+2 : i+2+end]
			if !slices.Contains(PlaceholderNames(), name) {
				return nil, fmt.Errorf("unknown placeholder ${%s}; allowed: ${%s}", name, strings.Join(PlaceholderNames(), "}, ${"))
			}
			if lit.Len() > 0 {
				parts = append(parts, PlaceholderRef{Text: lit.String()})
				lit.Reset()
			}
			parts = append(parts, PlaceholderRef{Text: name, Placeholder: true})
			i += 2 + end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 || len(parts) == 0 {
		parts = append(parts, PlaceholderRef{Text: lit.String()})
	}
	return parts, nil
}

// ExpandPlaceholders resolves the ${name} references of value with facts,
// joining tokens with Fn::Join when a fact is only known at deploy time.
// Values were checked by Validate.
func ExpandPlaceholders(value string, facts map[string]*string) *string {
	parts, err := SplitPlaceholders(value)
	if err != nil {
		panic(err) // Validate rejected it already
	}
	if len(parts) == 1 && !parts[0].Placeholder {
		return jsii.String(parts[0].Text)
	}
	list := make([]*string, len(parts))
	for i, part := range parts {
		list[i] = jsii.String(part.Text)
		if part.Placeholder {
			list[i] = facts[part.Text]
		}
	}
	if len(list) == 1 {
		return list[0]
	}
	return awscdk.Fn_Join(jsii.String(""), &list)
}
