// Package deploy checks what a deployment needs before it starts (AWS
// credentials, the account, CDK bootstrap, Docker) and drives the AWS CDK
// CLI on a synthesized cloud assembly.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// BootstrapParameter is where `cdk bootstrap` records its version (default qualifier).
const BootstrapParameter = "/cdk-bootstrap/hnb659fds/version"

// MinBootstrapVersion is the lowest bootstrap stack version the CDK CLI accepts for this library.
const MinBootstrapVersion = 6

// Problem is a missing prerequisite, with how to fix it.
type Problem struct {
	// What is missing.
	What string
	// Fix tells the user what to do.
	Fix string
}

func (p *Problem) Error() string { return p.What + "\n  fix: " + p.Fix }

// Identity is who the credentials belong to.
type Identity struct {
	// Account is the 12-digit account ID.
	Account string
	// ARN of the caller.
	ARN string
	// Config is the loaded SDK configuration, for further calls.
	Config aws.Config
}

// credentialSources are environment variables and files that mean "the SDK
// has somewhere to get credentials from".
func hasLocalCredentialSource() bool {
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	files := []string{os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), os.Getenv("AWS_CONFIG_FILE")}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".aws", "credentials"), filepath.Join(home, ".aws", "config"))
	}
	for _, f := range files {
		if f != "" {
			if _, err := os.Stat(f); err == nil {
				return true
			}
		}
	}
	return false
}

// CheckCredentials loads AWS credentials and asks STS whose they are. With
// no local credential source it only gives the instance metadata service
// one second, so a laptop without credentials fails at once.
func CheckCredentials(ctx context.Context, region string) (*Identity, error) {
	timeout := 15 * time.Second
	if !hasLocalCredentialSource() {
		timeout = time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// The SDK's own warnings (e.g. IMDSv1 fallback) would only confuse here.
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region), awsconfig.WithLogger(logging.Nop{}))
	if err != nil {
		return nil, &Problem{"AWS configuration could not be loaded: " + err.Error(),
			"check ~/.aws/config and the AWS_* environment variables"}
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, &Problem{"No AWS credentials found (environment, ~/.aws, SSO, container or instance role).",
			"run `aws configure` or `aws sso login --profile NAME` and set AWS_PROFILE, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"}
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, &Problem{"The AWS credentials were rejected: " + firstLine(err.Error()),
			"refresh them (`aws sso login`, or new access keys) and try again"}
	}
	return &Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), Config: cfg}, nil
}

// CheckAccount refuses credentials for another account than the configured one.
func CheckAccount(id *Identity, want string) error {
	if want != "" && id.Account != want {
		return &Problem{fmt.Sprintf("The credentials are for account %s (%s), but the configuration says account = %q.", id.Account, id.ARN, want),
			"use credentials for " + want + " (e.g. another AWS_PROFILE), or change account in the configuration"}
	}
	return nil
}

// CheckBootstrap verifies the account and region were prepared with `cdk bootstrap`.
func CheckBootstrap(ctx context.Context, id *Identity, region string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	out, err := ssm.NewFromConfig(id.Config).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(BootstrapParameter)})
	fix := fmt.Sprintf("run `djangocdk bootstrap` (it runs cdk bootstrap aws://%s/%s) once for this account and region", id.Account, region)
	var notFound *ssmtypes.ParameterNotFound
	switch {
	case errors.As(err, &notFound):
		return &Problem{fmt.Sprintf("Account %s is not bootstrapped for the AWS CDK in %s.", id.Account, region), fix}
	case err != nil:
		return &Problem{"Could not check CDK bootstrap (" + BootstrapParameter + "): " + firstLine(err.Error()),
			"make sure the credentials may call ssm:GetParameter, or " + fix}
	}
	var version int
	if _, err := fmt.Sscan(aws.ToString(out.Parameter.Value), &version); err != nil || version < MinBootstrapVersion {
		return &Problem{fmt.Sprintf("The CDK bootstrap stack in %s is too old (version %s).", region, aws.ToString(out.Parameter.Value)), fix}
	}
	return nil
}

// CheckDocker verifies a Docker engine answers (deploy builds the image).
func CheckDocker(ctx context.Context) error {
	path, err := exec.LookPath("docker")
	if err != nil {
		return &Problem{"Docker is not installed: deploy builds the Django image on this machine.",
			"install Docker Desktop or Docker Engine (https://docs.docker.com/get-docker/), or deploy from CI where Docker runs"}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "info", "--format", "{{.ServerVersion}}").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		return &Problem{"Docker is installed but its engine is not running (docker info: " + firstLine(strings.TrimSpace(string(out))) + ").",
			"start Docker Desktop, or the engine (`sudo systemctl start docker`), then retry"}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
