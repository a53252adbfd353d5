package ecs

import (
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/contract"
)

// Output IDs of DjangoEcs (stable: scripts and the CLI read them).
const (
	OutputURL             = "Url"
	OutputClusterName     = "ClusterName"
	OutputWebServiceName  = "WebServiceName"
	OutputWorkerService   = "WorkerServiceName"
	OutputBeatServiceName = "BeatServiceName"
	OutputAssetsDomain    = "AssetsDomain"
	OutputShellCommand    = "ShellCommand"
	OutputManageCommand   = "ManageCommand"
)

// buildOutputs adds the stack outputs a user needs after a deploy.
func (d *djangoEcs) buildOutputs() {
	out := func(id string, value *string, desc string) {
		awscdk.NewCfnOutput(d, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(desc)})
	}
	cluster := d.cluster.ClusterName()
	out(OutputURL, d.site.URL, "Public URL of the site")
	out(OutputClusterName, cluster, "ECS cluster")
	out(OutputWebServiceName, d.WebService().ServiceName(), "Web (gunicorn) service")
	if s := d.WorkerService(); s != nil {
		out(OutputWorkerService, s.ServiceName(), "Celery worker service")
	}
	if s := d.BeatService(); s != nil {
		out(OutputBeatServiceName, s.ServiceName(), "Celery beat service")
	}
	out(OutputAssetsDomain, d.edge.Host(), "Host serving static and media files (the site itself with the CloudFront edge)")

	if d.props.EnableExec {
		// The shell starts through the launcher, like the container's
		// processes, so DATABASE_URL and the other URL forms exist in it.
		shell := "/bin/sh"
		if contract.UsesLauncher(d.props.EntryPoint) {
			shell = `"` + strings.Join(append(slices.Clone(contract.LauncherEntryPoint), shell), " ") + `"`
		}
		out(OutputShellCommand, join(
			"aws ecs execute-command --cluster ", cluster, " --container web --interactive --command "+shell+" --task $(aws ecs list-tasks --cluster ", cluster,
			" --service-name ", d.WebService().ServiceName(), " --query 'taskArns[0]' --output text)",
		), "Open a shell in a running web container (needs the Session Manager plugin)")
	} else {
		out(OutputShellCommand, jsii.String("ECS Exec is off: set EnableExec to open a shell in a running container"), "Open a shell in a running web container")
	}
	subnets := d.network.Vpc().SelectSubnets(d.network.AppSubnets()).SubnetIds
	out(OutputManageCommand, join(
		"aws ecs run-task --cluster ", cluster, " --launch-type FARGATE --task-definition ", d.taskDefs[contract.ProcessRelease].Family(),
		" --network-configuration 'awsvpcConfiguration={subnets=[", awscdk.Fn_Join(jsii.String(","), subnets),
		"],securityGroups=[", d.webSG.SecurityGroupId(), "],assignPublicIp=DISABLED}'",
		` --overrides '{"containerOverrides":[{"name":"release","command":["python","manage.py","COMMAND"]}]}'`,
	), "Run a one-off management command: replace COMMAND (e.g. createsuperuser --noinput)")
}

// join concatenates strings and tokens into one CloudFormation value.
func join(parts ...any) *string {
	list := make([]*string, len(parts))
	for i, part := range parts {
		switch v := part.(type) {
		case string:
			list[i] = jsii.String(v)
		case *string:
			list[i] = v
		}
	}
	return awscdk.Fn_Join(jsii.String(""), &list)
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellCommand turns a list of commands into one container command that
// runs them in order and stops at the first failure. One command runs as is.
func shellCommand(commands [][]string) []string {
	if len(commands) == 0 {
		return []string{"true"}
	}
	if len(commands) == 1 {
		return commands[0]
	}
	parts := make([]string, len(commands))
	for i, c := range commands {
		q := make([]string, len(c))
		for j, a := range c {
			q[j] = shellQuote(a)
		}
		parts[i] = strings.Join(q, " ")
	}
	// The last command replaces the shell (exec), so the stop signal ECS
	// sends reaches it rather than a shell that ignores it as PID 1.
	parts[len(parts)-1] = "exec " + parts[len(parts)-1]
	return []string{"sh", "-c", strings.Join(parts, " && ")}
}
