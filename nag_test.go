package djangocdk_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

// nagFindings returns the unsuppressed AwsSolutions errors and warnings of a stack.
func nagFindings(stack awscdk.Stack) (errors, warnings []string) {
	render := func(msgs *[]*cxapi.SynthesisMessage) []string {
		var out []string
		for _, m := range *msgs {
			out = append(out, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
		}
		return out
	}
	a := assertions.Annotations_FromStack(stack)
	match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
	return render(a.FindError(jsii.String("*"), match)), render(a.FindWarning(jsii.String("*"), match))
}

func TestNagAwsSolutions(t *testing.T) {
	cases := map[string]func(awscdk.Stack) *djangocdk.DjangoEcsProps{
		"default": func(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() },
		"full":    fullProps,
		"nat instance": func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Network.NatMode = djangocdk.NatInstance
			return p
		},
		"public load balancer with a domain": func(stack awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Edge = djangocdk.EdgeALBHTTPS
			p.Domain = &djangocdk.DomainProps{Name: "app.example.com", HostedZone: testZone(stack)}
			return p
		},
		"plain HTTP opt-out": func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Edge = djangocdk.EdgeALBHTTPInsecure
			return p
		},
		"aurora, sqs and alarm email": func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Database.Engine = djangocdk.DatabaseAurora
			p.Broker = djangocdk.BrokerSQS
			p.Alarms.Email = "ops@example.com"
			return p
		},
		"nat none with exec and sqs": func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Network.NatMode = djangocdk.NatNone
			p.EnableExec = true
			p.Broker = djangocdk.BrokerSQS
			return p
		},
	}
	for name, configure := range cases {
		t.Run(name, func(t *testing.T) {
			s := synth(t, configure, withNag)
			errs, warns := nagFindings(s.stack)
			if len(errs) > 0 {
				t.Errorf("%d unsuppressed cdk-nag errors:\n%s", len(errs), strings.Join(errs, "\n"))
			}
			for _, w := range warns {
				t.Logf("warning: %s", w)
			}
		})
	}
}
