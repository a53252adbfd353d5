package djangocdk

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Placeholders are the deployment facts a value of DjangoEcsProps.Environment
// may name as ${name}; they are resolved at synth (as CloudFormation
// references where the value is only known at deploy time). Projects often
// need one of them under their own variable name, e.g.
// WAGTAILADMIN_BASE_URL = "${url}".
var Placeholders = []Placeholder{
	{"url", "the site's public URL, e.g. https://www.example.com (no trailing slash)"},
	{"host", "the site's host name: the domain, or the load balancer's DNS name without one"},
	{"bucket", "the S3 bucket holding static/ and media/"},
	{"assets_domain", "the CloudFront domain serving the bucket"},
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

// placeholderRef is one piece of a value: literal text, or a placeholder name.
type placeholderRef struct {
	text        string
	placeholder bool
}

// splitPlaceholders cuts value into literal text and ${name} references. An
// unknown name or an unclosed "${" is an error naming the allowed ones; "$$"
// stands for a literal "$".
func splitPlaceholders(value string) ([]placeholderRef, error) {
	var parts []placeholderRef
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
				parts = append(parts, placeholderRef{text: lit.String()})
				lit.Reset()
			}
			parts = append(parts, placeholderRef{text: name, placeholder: true})
			i += 2 + end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 || len(parts) == 0 {
		parts = append(parts, placeholderRef{text: lit.String()})
	}
	return parts, nil
}

// expandPlaceholders resolves the ${name} references of value with facts,
// joining tokens with Fn::Join when a fact is only known at deploy time.
// Values were checked by Validate.
func expandPlaceholders(value string, facts map[string]*string) *string {
	parts, err := splitPlaceholders(value)
	if err != nil {
		panic(err) // Validate rejected it already
	}
	if len(parts) == 1 && !parts[0].placeholder {
		return jsii.String(parts[0].text)
	}
	list := make([]*string, len(parts))
	for i, part := range parts {
		list[i] = jsii.String(part.text)
		if part.placeholder {
			list[i] = facts[part.text]
		}
	}
	if len(list) == 1 {
		return list[0]
	}
	return awscdk.Fn_Join(jsii.String(""), &list)
}
