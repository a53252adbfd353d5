package ecs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/djangocdk/djangocdk/blocks/edge"
)

// Every cdk-nag suppression of the project lives in this file, each with the
// reason a reviewer would accept. Suppressions are scoped to the construct
// they concern and, for IAM wildcards, to the exact finding.

// awsCustomResourceID is the ID of CDK's stack-level AwsCustomResource function.
const awsCustomResourceID = "AWS679f53fac002430cb0da5b7982bd2287"

// logRetentionID is the ID of CDK's stack-level log-retention helper, which
// RDS uses to set the retention of its exported PostgreSQL logs.
const logRetentionID = "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"

type nagRule struct {
	id, reason string
	appliesTo  []any
}

func suppress(c constructs.IConstruct, children bool, rules ...nagRule) {
	list := make([]*cdknag.NagPackSuppression, len(rules))
	for i, r := range rules {
		s := &cdknag.NagPackSuppression{Id: jsii.String(r.id), Reason: jsii.String(r.reason)}
		if r.appliesTo != nil {
			s.AppliesTo = &r.appliesTo
		}
		list[i] = s
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &list, jsii.Bool(children))
}

// re matches an IAM finding by regular expression (logical IDs vary).
func re(pattern string) cdknag.RegexAppliesTo {
	return cdknag.RegexAppliesTo{Regex: jsii.String(pattern)}
}

// Reasons shared by several constructs.
const (
	reasonLambdaBasic = "AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs; it is the AWS-maintained minimal policy for that."
	reasonNoRotation  = "ECS injects secrets when a task starts; rotating them under running tasks would break connections until the next deploy. Rotate by redeploying after updating the secret."
)

func applyNagSuppressions(d *djangoEcs) {
	prod := d.props.Profile == ProfileProduction

	for name, td := range d.taskDefs {
		suppress(td, false, nagRule{id: "AwsSolutions-ECS2", reason: "Plain environment values of the " + name +
			" container are non-secret configuration (settings module, hosts, bucket name, endpoints); every credential is injected from Secrets Manager through the Secrets block."})
	}
	suppress(d.secrets.SecretKey(), false, nagRule{id: "AwsSolutions-SMG4", reason: "Django SECRET_KEY: rotating it invalidates every session and signed value; " + reasonNoRotation})

	dbRules := []nagRule{
		{id: "AwsSolutions-SMG4", reason: "Database credentials: " + reasonNoRotation},
		{id: "AwsSolutions-RDS11", reason: "The default PostgreSQL port is kept for compatibility with Django and tooling; the database sits in isolated subnets and its security group admits only the app tasks."},
		{id: "AwsSolutions-RDS6", reason: "Django connects with password authentication from the generated secret; IAM database authentication needs short-lived tokens Django's PostgreSQL backend does not refresh."},
	}
	if prod {
		dbRules = append(dbRules, nagRule{id: "AwsSolutions-IAM4", reason: "RDS enhanced monitoring (production): AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy that only lets RDS write OS metrics to its own RDSOSMetrics log group.",
			appliesTo: []any{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"}})
	}
	if !prod {
		dbRules = append(dbRules,
			nagRule{id: "AwsSolutions-RDS3", reason: "Starter profile: single-AZ database to halve its cost; the production profile turns Multi-AZ on."},
			nagRule{id: "AwsSolutions-RDS10", reason: "Starter profile: no deletion protection so the stack can be torn down; removal still takes a final snapshot. The production profile turns it on."},
		)
	}
	suppress(d.database, true, dbRules...)
	if lr := awscdk.Stack_Of(d.database).Node().TryFindChild(jsii.String(logRetentionID)); lr != nil {
		suppress(lr, true,
			nagRule{id: "AwsSolutions-IAM4", reason: "CDK's log-retention helper (sets the retention of RDS log groups): " + reasonLambdaBasic},
			nagRule{id: "AwsSolutions-IAM5", reason: "CDK's log-retention helper must set retention on log groups RDS creates at deploy time, whose names are not known at synth.", appliesTo: []any{"Resource::*"}},
		)
	}

	if d.cache != nil {
		suppress(d.cache.AuthToken(), false, nagRule{id: "AwsSolutions-SMG4", reason: "Cache AUTH token: " + reasonNoRotation})
		if d.props.Cache.Replicas == 0 {
			suppress(d.cache.ReplicationGroup(), false, nagRule{id: "AwsSolutions-AEC4", reason: "Starter profile: one cache node; the cache holds disposable data and broker messages are re-sent on loss. Replicas > 0 (production) enables Multi-AZ failover."})
		}
	}

	for _, nat := range d.network.NatInstances() {
		suppress(nat, true,
			nagRule{id: "AwsSolutions-EC28", reason: "NAT mode \"instance\" is the cheapest egress; basic 5-minute monitoring is enough for a NAT instance and detailed monitoring would add about 2 USD/month. Use NAT gateways for closer monitoring."},
			nagRule{id: "AwsSolutions-EC29", reason: "The NAT instance is owned by the CloudFormation stack and replaced by it; termination protection would block the updates that replace it. It holds no data."},
		)
	}
	if d.props.Edge != edge.EdgeCloudFront {
		suppress(d.lbRef, true, nagRule{id: "AwsSolutions-EC23", reason: "Edge \"" + string(d.props.Edge) + "\" was chosen: the internet-facing load balancer is the public entry point of the site and must accept HTTP/HTTPS from anywhere. Tasks stay private."})
	}

	if d.prefixListLookup != nil {
		suppress(d.prefixListLookup, true, nagRule{id: "AwsSolutions-IAM5", reason: "Looking up CloudFront's origin-facing prefix list (ec2:DescribeManagedPrefixLists) has no resource-level permissions; the action only reads.", appliesTo: []any{"Resource::*"}})
		if fn := awscdk.Stack_Of(d.prefixListLookup).Node().TryFindChild(jsii.String(awsCustomResourceID)); fn != nil {
			suppress(fn, true, nagRule{id: "AwsSolutions-IAM4", reason: "CDK's AwsCustomResource function (the prefix-list lookup): " + reasonLambdaBasic})
		}
	}

	edgeRules := []nagRule{
		{id: "AwsSolutions-CFR1", reason: "A public site is served worldwide; geo restriction is a business choice left to the user (Edge().Distribution())."},
		{id: "AwsSolutions-CFR2", reason: "A WAF web ACL costs at least 5 USD/month plus requests and needs rules tuned to the app; it is left to the user (Edge().Distribution()). The load balancer is reachable only through the distribution."},
	}
	if d.props.Domain == nil || d.props.Edge != edge.EdgeCloudFront {
		edgeRules = append(edgeRules, nagRule{id: "AwsSolutions-CFR4", reason: "The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol; with a custom domain on the distribution it is TLSv1.2_2021."})
	}
	if d.props.Edge == edge.EdgeCloudFront {
		edgeRules = append(edgeRules, nagRule{id: "AwsSolutions-CFR5", reason: "The VPC origin is an internal load balancer inside the VPC: CloudFront reaches it over AWS's private network, never the internet, and the load balancer has no certificate for the site's name to offer."})
	}
	suppress(d.edge.Distribution(), false, edgeRules...)

	taskRole := []nagRule{{id: "AwsSolutions-IAM5", reason: "django-storages reads, writes and deletes objects under static/ and media/ of the app bucket; object keys are not known in advance.",
		appliesTo: []any{re(`/^Resource::<.*StorageBucket[0-9A-F]{8}\.Arn>\/\*$/`)}}}
	if d.props.EnableExec {
		taskRole = append(taskRole,
			nagRule{id: "AwsSolutions-IAM5", reason: "ECS Exec: the SSM agent opens data channels (ssmmessages:*Channel) that have no resource ARNs.", appliesTo: []any{"Resource::*"}},
			nagRule{id: "AwsSolutions-IAM5", reason: "ECS Exec writes session logs to streams it creates in its own log group.", appliesTo: []any{re(`/^Resource::arn:<AWS::Partition>:logs:.*:log-group:<.*ExecLogs[0-9A-F]{8}>:\*$/`)}},
		)
	}
	for _, role := range d.taskRoles {
		suppress(role, true, taskRole...)
	}
	suppress(d.executionRole, true, nagRule{id: "AwsSolutions-IAM5", reason: "ecr:GetAuthorizationToken has no resource-level permissions; image pulls and secret reads are scoped to their ARNs.", appliesTo: []any{"Resource::*"}})

	if d.release != nil {
		suppress(d.release, true,
			nagRule{id: "AwsSolutions-IAM4", reason: "Release-step functions and CDK's provider framework: " + reasonLambdaBasic},
			nagRule{id: "AwsSolutions-IAM5", reason: "The release handler describes and stops only the tasks of this cluster; task IDs are assigned at run time.",
				appliesTo: []any{re(`/^Resource::arn:<AWS::Partition>:ecs:.*:task\/<.*Cluster[0-9A-F]{8}>\/\*$/`)}},
			nagRule{id: "AwsSolutions-IAM5", reason: "CDK's provider framework invokes the release functions by ARN including any version qualifier (ARN:*).",
				appliesTo: []any{re(`/^Resource::<.*ReleaseStep.*\.Arn>:\*$/`)}},
			nagRule{id: "AwsSolutions-IAM5", reason: "The waiter state machine sends its logs through CloudWatch Logs delivery (logs:CreateLogDelivery and friends), which has no resource-level permissions.",
				appliesTo: []any{"Resource::*"}},
			nagRule{id: "AwsSolutions-SF2", reason: "The waiter state machine only polls the release handler every 15 s; X-Ray tracing would add cost without insight."},
		)
	}
}
