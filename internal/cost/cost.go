// Package cost estimates the monthly cost of synthesized CloudFormation
// templates from one price table (prices.json, with its source and date).
// Every resource is either priced, known to be free, or listed as unpriced:
// nothing is guessed, and regions missing from the table are refused.
package cost

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/djangocdk/djangocdk/internal/assembly"
)

//go:embed prices.json
var pricesJSON []byte

// Table is the price table.
type Table struct {
	// Source says where the figures come from.
	Source string `json:"source"`
	// AsOf is the date the figures were recorded.
	AsOf string `json:"as_of"`
	// HoursPerMonth converts hourly prices to monthly ones.
	HoursPerMonth float64 `json:"hours_per_month"`
	// Assumptions are the baseline usage figures for usage-priced services.
	Assumptions Assumptions `json:"assumptions"`
	// Regions holds prices per region.
	Regions map[string]Prices `json:"regions"`
}

// Assumptions is the baseline traffic a small site is assumed to have.
type Assumptions struct {
	NatProcessedGB  float64 `json:"nat_processed_gb"`
	ALBLCU          float64 `json:"alb_lcu"`
	CloudFrontOutGB float64 `json:"cloudfront_out_gb"`
	// CloudFrontRequestsMillion is HTTPS requests through CloudFront (every
	// page, static and media request with the CloudFront edge).
	CloudFrontRequestsMillion float64 `json:"cloudfront_requests_million"`
	S3StoredGB                float64 `json:"s3_stored_gb"`
	LogsIngestedGB            float64 `json:"logs_ingested_gb"`
	AuroraStorageGB           float64 `json:"aurora_storage_gb"`
}

// Prices are one region's prices in USD.
type Prices struct {
	FargateVCPUHour      map[string]float64            `json:"fargate_vcpu_hour"`
	FargateGBHour        map[string]float64            `json:"fargate_gb_hour"`
	NatGatewayHour       float64                       `json:"nat_gateway_hour"`
	NatGatewayGB         float64                       `json:"nat_gateway_gb"`
	ALBHour              float64                       `json:"alb_hour"`
	ALBLCUHour           float64                       `json:"alb_lcu_hour"`
	PublicIPv4Hour       float64                       `json:"public_ipv4_hour"`
	EC2Hour              map[string]float64            `json:"ec2_hour"`
	RDSHour              map[string]float64            `json:"rds_hour"`
	RDSGp3GBMonth        float64                       `json:"rds_gp3_gb_month"`
	AuroraACUHour        float64                       `json:"aurora_acu_hour"`
	AuroraStorageGBMonth float64                       `json:"aurora_storage_gb_month"`
	ElastiCacheHour      map[string]map[string]float64 `json:"elasticache_hour"`
	InterfaceEndpointHr  float64                       `json:"vpc_interface_endpoint_hour"`
	SecretMonth          float64                       `json:"secret_month"`
	KMSKeyMonth          float64                       `json:"kms_key_month"`
	LogsIngestedGB       float64                       `json:"logs_ingested_gb"`
	S3GBMonth            float64                       `json:"s3_gb_month"`
	CloudFrontGB         float64                       `json:"cloudfront_gb"`
	// CloudFrontHTTPSMillion is the price of a million HTTPS requests.
	CloudFrontHTTPSMillion float64 `json:"cloudfront_https_million"`
	// AlarmMonth is the price of one standard-resolution alarm metric.
	AlarmMonth     float64 `json:"alarm_month"`
	DashboardMonth float64 `json:"dashboard_month"`
}

// Load returns the embedded price table.
func Load() (*Table, error) {
	var t Table
	if err := json.Unmarshal(pricesJSON, &t); err != nil {
		return nil, fmt.Errorf("read price table: %w", err)
	}
	return &t, nil
}

// Item is one priced line of an estimate.
type Item struct {
	// Stack and Resource (logical ID) it prices; Resource is empty for usage lines.
	Stack    string `json:"stack"`
	Resource string `json:"resource,omitempty"`
	// Type is the CloudFormation type.
	Type string `json:"type"`
	// What describes the quantity priced, e.g. "2 × 0.5 vCPU / 1 GB arm64 tasks".
	What string `json:"what"`
	// Monthly is the estimated USD per month.
	Monthly float64 `json:"monthly_usd"`
}

// Estimate is a monthly cost estimate.
type Estimate struct {
	// Region the estimate is for.
	Region string
	// Items priced, largest first.
	Items []Item
	// Unpriced lists "Stack/LogicalID (Type)" of resources the table cannot price.
	Unpriced []string
	// Table is the price table used (for its date, source and assumptions).
	Table *Table
}

// Total is the sum of the items.
func (e *Estimate) Total() float64 {
	var sum float64
	for _, it := range e.Items {
		sum += it.Monthly
	}
	return sum
}

// ErrUnsupportedRegion is returned for regions missing from the price table.
type ErrUnsupportedRegion struct {
	Region    string
	Supported []string
}

func (e *ErrUnsupportedRegion) Error() string {
	return fmt.Sprintf("no prices for region %q (the price table covers %s); not guessing", e.Region, strings.Join(e.Supported, ", "))
}

// Template is one CloudFormation template, by stack name.
type Template struct {
	Stack     string
	Resources map[string]Resource `json:"Resources"`
}

// Resource is a CloudFormation resource.
type Resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

// Free lists resource types that cost nothing by themselves (their usage, if
// any, is covered by the assumptions: e.g. log ingestion, flow logs).
var Free = []string{
	"AWS::CDK::Metadata", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::InstanceProfile",
	"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation",
	"AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
	"AWS::EC2::SecurityGroupEgress", "AWS::EC2::FlowLog", "AWS::EC2::LaunchTemplate",
	"AWS::ECS::Cluster", "AWS::ECS::TaskDefinition", "AWS::ECS::ClusterCapacityProviderAssociations",
	"AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::ListenerRule",
	"AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy",
	"AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::StepFunctions::StateMachine", "AWS::CloudFormation::CustomResource",
	"AWS::Logs::LogGroup", "AWS::S3::BucketPolicy", "AWS::CloudFront::OriginAccessControl",
	"AWS::CloudFront::VpcOrigin", "AWS::CloudFront::ResponseHeadersPolicy",
	"AWS::RDS::DBSubnetGroup", "AWS::RDS::DBParameterGroup", "AWS::RDS::DBClusterParameterGroup", "AWS::ElastiCache::SubnetGroup",
	"AWS::SecretsManager::SecretTargetAttachment", "AWS::KMS::Alias", "AWS::CertificateManager::Certificate",
	"AWS::Route53::RecordSet", "AWS::SQS::QueuePolicy", "AWS::SSM::Parameter",
	"AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy",
}

// EstimateTemplates prices the resources of the given templates.
func (t *Table) EstimateTemplates(region string, templates []Template) (*Estimate, error) {
	prices, ok := t.Regions[region]
	if !ok {
		supported := make([]string, 0, len(t.Regions))
		for r := range t.Regions {
			supported = append(supported, r)
		}
		sort.Strings(supported)
		return nil, &ErrUnsupportedRegion{Region: region, Supported: supported}
	}
	e := &Estimate{Region: region, Table: t}
	p := pricer{t: t, p: prices, e: e}
	for _, tpl := range templates {
		p.tpl = tpl
		ids := make([]string, 0, len(tpl.Resources))
		for id := range tpl.Resources {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			p.resource(id, tpl.Resources[id])
		}
	}
	p.usage()
	sort.SliceStable(e.Items, func(i, j int) bool { return e.Items[i].Monthly > e.Items[j].Monthly })
	return e, nil
}

type pricer struct {
	t   *Table
	p   Prices
	e   *Estimate
	tpl Template
	// What the usage lines depend on.
	nat, cloudfront, buckets bool
}

func (p *pricer) add(id, typ, what string, monthly float64) {
	p.e.Items = append(p.e.Items, Item{Stack: p.tpl.Stack, Resource: id, Type: typ, What: what, Monthly: monthly})
}

func (p *pricer) unpriced(id string, r Resource, why string) {
	entry := fmt.Sprintf("%s/%s (%s)", p.tpl.Stack, id, r.Type)
	if why != "" {
		entry += ": " + why
	}
	p.e.Unpriced = append(p.e.Unpriced, entry)
}

func (p *pricer) resource(id string, r Resource) {
	h := p.t.HoursPerMonth
	props := r.Properties
	switch {
	case slices.Contains(Free, r.Type) || strings.HasPrefix(r.Type, "Custom::"):
	case r.Type == "AWS::EC2::NatGateway":
		p.nat = true
		p.add(id, r.Type, "NAT gateway hours", p.p.NatGatewayHour*h)
	case r.Type == "AWS::EC2::EIP":
		p.add(id, r.Type, "public IPv4 address", p.p.PublicIPv4Hour*h)
	case r.Type == "AWS::EC2::Instance":
		typ := str(props["InstanceType"])
		price, ok := p.p.EC2Hour[typ]
		if !ok {
			p.unpriced(id, r, "instance type "+typ+" not in the table")
			return
		}
		p.nat = true
		p.add(id, r.Type, typ+" instance (NAT) + its public IPv4", (price+p.p.PublicIPv4Hour)*h)
	case r.Type == "AWS::ElasticLoadBalancingV2::LoadBalancer":
		ips := 0
		if str(props["Scheme"]) != "internal" {
			ips = len(list(props["Subnets"]))
		}
		lcu := p.t.Assumptions.ALBLCU
		p.add(id, r.Type, fmt.Sprintf("load balancer + %g LCU + %d public IPv4", lcu, ips),
			(p.p.ALBHour+lcu*p.p.ALBLCUHour+float64(ips)*p.p.PublicIPv4Hour)*h)
	case r.Type == "AWS::ECS::Service":
		p.service(id, r)
	case r.Type == "AWS::RDS::DBInstance":
		p.dbInstance(id, r)
	case r.Type == "AWS::RDS::DBCluster":
		gb := p.t.Assumptions.AuroraStorageGB
		p.add(id, r.Type, fmt.Sprintf("Aurora storage, %g GB assumed", gb), gb*p.p.AuroraStorageGBMonth)
	case r.Type == "AWS::ElastiCache::ReplicationGroup":
		engine, node := strings.ToLower(str(props["Engine"])), str(props["CacheNodeType"])
		price, ok := p.p.ElastiCacheHour[engine][node]
		if !ok {
			p.unpriced(id, r, engine+" "+node+" not in the table")
			return
		}
		nodes := num(props["NumCacheClusters"], 1)
		p.add(id, r.Type, fmt.Sprintf("%g × %s %s node", nodes, engine, node), nodes*price*h)
	case r.Type == "AWS::EC2::VPCEndpoint":
		if str(props["VpcEndpointType"]) != "Interface" {
			return // gateway endpoints (S3, DynamoDB) are free
		}
		azs := float64(len(list(props["SubnetIds"])))
		p.add(id, r.Type, fmt.Sprintf("interface endpoint in %g AZs", azs), azs*p.p.InterfaceEndpointHr*h)
	case r.Type == "AWS::SecretsManager::Secret":
		p.add(id, r.Type, "secret", p.p.SecretMonth)
	case r.Type == "AWS::KMS::Key":
		p.add(id, r.Type, "KMS key", p.p.KMSKeyMonth)
	case r.Type == "AWS::S3::Bucket":
		p.buckets = true
	case r.Type == "AWS::CloudFront::Distribution":
		p.cloudfront = true
	case r.Type == "AWS::SQS::Queue":
		p.add(id, r.Type, "queue (baseline requests within the free 1 M/month)", 0)
	case r.Type == "AWS::CloudWatch::Alarm":
		n := alarmMetrics(props)
		p.add(id, r.Type, fmt.Sprintf("alarm on %d metric(s)", n), float64(n)*p.p.AlarmMonth)
	case r.Type == "AWS::CloudWatch::Dashboard":
		p.add(id, r.Type, "dashboard", p.p.DashboardMonth)
	default:
		p.unpriced(id, r, "")
	}
}

// alarmMetrics is the number of metrics an alarm reads, which is what
// CloudWatch bills: each metric of a metric-math alarm (expressions are
// free), or the one metric of a plain alarm.
func alarmMetrics(props map[string]any) int {
	queries := list(props["Metrics"])
	if len(queries) == 0 {
		return 1
	}
	n := 0
	for _, q := range queries {
		if m, ok := q.(map[string]any); ok && m["MetricStat"] != nil {
			n++
		}
	}
	return max(n, 1)
}

// service prices an ECS service's tasks from its task definition.
func (p *pricer) service(id string, r Resource) {
	ref, _ := r.Properties["TaskDefinition"].(map[string]any)
	td, ok := p.tpl.Resources[str(ref["Ref"])]
	if !ok {
		p.unpriced(id, r, "task definition not found")
		return
	}
	cpu, _ := strconv.ParseFloat(str(td.Properties["Cpu"]), 64)
	mem, _ := strconv.ParseFloat(str(td.Properties["Memory"]), 64)
	arch := "x86_64"
	if rp, ok := td.Properties["RuntimePlatform"].(map[string]any); ok && strings.EqualFold(str(rp["CpuArchitecture"]), "ARM64") {
		arch = "arm64"
	}
	count := num(r.Properties["DesiredCount"], 1)
	vcpu, gb := cpu/1024, mem/1024
	monthly := count * (vcpu*p.p.FargateVCPUHour[arch] + gb*p.p.FargateGBHour[arch]) * p.t.HoursPerMonth
	p.add(id, r.Type, fmt.Sprintf("%g × Fargate task, %g vCPU / %g GB %s", count, vcpu, gb, arch), monthly)
}

func (p *pricer) dbInstance(id string, r Resource) {
	props := r.Properties
	class := str(props["DBInstanceClass"])
	if class == "db.serverless" {
		// Aurora Serverless v2: priced by the cluster's minimum capacity.
		for _, res := range p.tpl.Resources {
			if res.Type != "AWS::RDS::DBCluster" {
				continue
			}
			cfg, _ := res.Properties["ServerlessV2ScalingConfiguration"].(map[string]any)
			acu := num(cfg["MinCapacity"], 0)
			p.add(id, r.Type, fmt.Sprintf("Aurora Serverless v2 at its minimum %g ACU", acu), acu*p.p.AuroraACUHour*p.t.HoursPerMonth)
			return
		}
		p.unpriced(id, r, "serverless instance without a cluster")
		return
	}
	price, ok := p.p.RDSHour[class]
	if !ok {
		p.unpriced(id, r, "instance class "+class+" not in the table")
		return
	}
	copies := 1.0
	if b, _ := props["MultiAZ"].(bool); b {
		copies = 2
	}
	storage := num(props["AllocatedStorage"], 20)
	p.add(id, r.Type, fmt.Sprintf("%s × %g (Multi-AZ: %t) + %g GB gp3", class, copies, copies == 2, storage),
		copies*(price*p.t.HoursPerMonth+storage*p.p.RDSGp3GBMonth))
}

// usage adds the assumed-traffic lines for the services present.
func (p *pricer) usage() {
	a := p.t.Assumptions
	p.tpl = Template{Stack: "usage"}
	if p.nat {
		p.add("", "NAT data", fmt.Sprintf("%g GB through NAT", a.NatProcessedGB), a.NatProcessedGB*p.p.NatGatewayGB)
	}
	if p.cloudfront {
		p.add("", "CloudFront data", fmt.Sprintf("%g GB out (free tier not applied)", a.CloudFrontOutGB), a.CloudFrontOutGB*p.p.CloudFrontGB)
		p.add("", "CloudFront requests", fmt.Sprintf("%g million HTTPS requests (free tier not applied)", a.CloudFrontRequestsMillion), a.CloudFrontRequestsMillion*p.p.CloudFrontHTTPSMillion)
	}
	if p.buckets {
		p.add("", "S3 storage", fmt.Sprintf("%g GB stored", a.S3StoredGB), a.S3StoredGB*p.p.S3GBMonth)
	}
	p.add("", "CloudWatch Logs", fmt.Sprintf("%g GB ingested", a.LogsIngestedGB), a.LogsIngestedGB*p.p.LogsIngestedGB)
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func num(v any, def float64) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f
		}
	}
	return def
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// FromAssembly parses the templates of an assembly for EstimateTemplates.
func FromAssembly(templates []assembly.Template) ([]Template, error) {
	out := make([]Template, 0, len(templates))
	for _, t := range templates {
		parsed := Template{Stack: t.Stack}
		if err := json.Unmarshal(t.Body, &parsed); err != nil {
			return nil, fmt.Errorf("parse template of %s: %w", t.Stack, err)
		}
		out = append(out, parsed)
	}
	return out, nil
}
