// Package secrets is the secrets building block: the application secrets
// the deployment generates (Django's SECRET_KEY).
package secrets

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// AppSecrets is the secrets building block: values generated in Secrets
// Manager at deploy time, never present in a template.
type AppSecrets interface {
	constructs.Construct
	// SecretKey holds Django's SECRET_KEY (a plain string secret).
	SecretKey() awssecretsmanager.Secret
}

// Props configures New.
type Props struct {
	// RemovalPolicy of the secrets. Default DESTROY; production uses RETAIN,
	// so restoring a stack keeps sessions and signed values valid.
	RemovalPolicy awscdk.RemovalPolicy
}

type appSecrets struct {
	constructs.Construct
	secretKey awssecretsmanager.Secret
}

func (s *appSecrets) SecretKey() awssecretsmanager.Secret { return s.secretKey }

// New creates the generated application secrets.
func New(scope constructs.Construct, id string, props *Props) AppSecrets {
	s := &appSecrets{}
	constructs.NewConstruct_Override(s, scope, jsii.String(id))
	removal := awscdk.RemovalPolicy_DESTROY
	if props != nil && props.RemovalPolicy != "" {
		removal = props.RemovalPolicy
	}
	s.secretKey = awssecretsmanager.NewSecret(s, jsii.String("DjangoSecretKey"), &awssecretsmanager.SecretProps{
		Description: jsii.String("Django SECRET_KEY"),
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength: jsii.Number(50),
			// Quotes and backslashes survive env injection but are awkward in shells.
			ExcludeCharacters: jsii.String(`"'\` + "`"),
		},
		RemovalPolicy: removal,
	})
	return s
}
