// Command ecs is an example CDK app: it deploys the sample Django project in
// examples/mysite with DjangoEcs, data and compute in separate stacks.
//
// It synthesizes with no AWS account or credentials:
//
//	go run ./examples/ecs            # writes cdk.out (or $CDK_OUTDIR)
//	cd examples/ecs && cdk synth     # through the CDK CLI (cdk.json)
package main

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir())})
	Build(app, projectDir())
	app.Synth(nil)
}

// Build adds the example's stacks to app: MySiteData (network, database,
// cache, storage, secrets) and MySiteApp (cluster, load balancer, services,
// release step).
func Build(app awscdk.App, project string) djangocdk.DjangoEcs {
	env := &awscdk.Environment{Region: jsii.String(region())}
	if acct := os.Getenv("CDK_DEFAULT_ACCOUNT"); acct != "" {
		env.Account = jsii.String(acct)
	}
	data := awscdk.NewStack(app, jsii.String("MySiteData"), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String("mysite: network, database, cache, storage and secrets (stateful)"),
	})
	compute := awscdk.NewStack(app, jsii.String("MySiteApp"), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String("mysite: Django on ECS Fargate (stateless)"),
	})
	return djangocdk.NewDjangoEcs(compute, "MySite", &djangocdk.DjangoEcsProps{
		ProjectPath:    project,
		SettingsModule: "mysite.settings",
		Beat:           djangocdk.BeatProps{Enabled: true},
		StatefulScope:  data,
	})
}

// outdir follows the CDK convention: $CDK_OUTDIR when the CDK CLI sets it,
// cdk.out otherwise.
func outdir() string {
	if d := os.Getenv("CDK_OUTDIR"); d != "" {
		return d
	}
	return "cdk.out"
}

func region() string {
	for _, k := range []string{"CDK_DEFAULT_REGION", "AWS_REGION"} {
		if r := os.Getenv(k); r != "" {
			return r
		}
	}
	return "us-east-1"
}

// projectDir is examples/mysite, found from this source file so the app
// works from any working directory.
func projectDir() string {
	if d := os.Getenv("DJANGOCDK_PROJECT"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "mysite")
}
