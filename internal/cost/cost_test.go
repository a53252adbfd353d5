package cost_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djangocdk/djangocdk/internal/assembly"
	"github.com/djangocdk/djangocdk/internal/config"
	"github.com/djangocdk/djangocdk/internal/cost"
	"github.com/djangocdk/djangocdk/internal/synth"
)

// estimateExample synthesizes examples/mysite's configuration for env and prices it.
func estimateExample(t *testing.T, env string) *cost.Estimate {
	t.Helper()
	src, err := config.Find(filepath.Join("..", "..", "examples", "mysite"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := src.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := synth.Run(synth.Request{Config: cfg, ConfigFile: src.Path, Env: env, Outdir: out}); err != nil {
		t.Fatal(err)
	}
	raw, err := assembly.Templates(out)
	if err != nil {
		t.Fatal(err)
	}
	templates, err := cost.FromAssembly(raw)
	if err != nil {
		t.Fatal(err)
	}
	table, err := cost.Load()
	if err != nil {
		t.Fatal(err)
	}
	est, err := table.EstimateTemplates(cfg.Region, templates)
	if err != nil {
		t.Fatal(err)
	}
	return est
}

func byType(e *cost.Estimate) map[string]float64 {
	m := map[string]float64{}
	for _, it := range e.Items {
		m[it.Type] += it.Monthly
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// The expected figures below are worked out by hand from prices.json
// (us-east-1, 730 hours/month) for what each profile deploys.
func TestStarterAndProductionEstimates(t *testing.T) {
	const h = 730.0
	usage := 10*0.045 + 50*0.085 + 2*1.00 + 10*0.023 + 5*0.50 // NAT data, CloudFront out and requests, S3, logs
	fargate := func(tasks, vcpu, gb float64) float64 { return tasks * (vcpu*0.03238 + gb*0.00356) * h }
	cases := []struct {
		env  string
		want map[string]float64
	}{
		{"", map[string]float64{ // starter: one NAT gateway, single-AZ micro database, one cache node
			"AWS::EC2::NatGateway":                      1 * 0.045 * h,
			"AWS::EC2::EIP":                             1 * 0.005 * h,
			"AWS::ElasticLoadBalancingV2::LoadBalancer": (0.0225 + 1*0.008) * h,                                          // internal behind CloudFront: no public IPv4
			"AWS::ECS::Service":                         fargate(1, 0.5, 1) + fargate(1, 0.5, 1) + fargate(1, 0.25, 0.5), // web, worker, beat
			"AWS::RDS::DBInstance":                      0.016*h + 20*0.115,
			"AWS::ElastiCache::ReplicationGroup":        1 * 0.0128 * h,
			"AWS::SecretsManager::Secret":               3 * 0.40,
			// 11 alarms reading 15 metrics: 5xx rate 3, web and worker tasks 2
			// each, latency, unhealthy targets, release, database CPU,
			// connections, free storage, cache memory and evictions 1 each.
			"AWS::CloudWatch::Alarm":     16 * 0.10,
			"AWS::CloudWatch::Dashboard": 3.00,
			"AWS::KMS::Key":              1.00, // the alarm topic's key
		}},
		{"production", map[string]float64{ // a NAT gateway per AZ, Multi-AZ medium database, primary + replica
			"AWS::EC2::NatGateway":                      2 * 0.045 * h,
			"AWS::EC2::EIP":                             2 * 0.005 * h,
			"AWS::ElasticLoadBalancingV2::LoadBalancer": (0.0225 + 1*0.008) * h, // internal behind CloudFront: no public IPv4
			"AWS::ECS::Service":                         fargate(2, 1, 2) + fargate(1, 1, 2) + fargate(1, 0.25, 0.5),
			"AWS::RDS::DBInstance":                      2 * (0.065*h + 20*0.115),
			"AWS::ElastiCache::ReplicationGroup":        2 * 0.0256 * h,
			"AWS::SecretsManager::Secret":               3 * 0.40,
			// As starter, with the cache's two nodes read by its two alarms.
			"AWS::CloudWatch::Alarm":     18 * 0.10,
			"AWS::CloudWatch::Dashboard": 3.00,
			"AWS::KMS::Key":              1.00,
		}},
	}
	for _, c := range cases {
		t.Run("env="+c.env, func(t *testing.T) {
			est := estimateExample(t, c.env)
			got := byType(est)
			total := usage
			for typ, want := range c.want {
				total += want
				if !near(got[typ], want) {
					t.Errorf("%s: got %.4f, want %.4f", typ, got[typ], want)
				}
			}
			if !near(est.Total(), total) {
				t.Errorf("total: got %.4f, want %.4f", est.Total(), total)
			}
			if len(est.Unpriced) != 0 {
				t.Errorf("unpriced: %v", est.Unpriced)
			}
			t.Logf("%s: $%.2f/month", c.env, est.Total())
		})
	}
}

func table(t *testing.T) *cost.Table {
	t.Helper()
	tb, err := cost.Load()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestUnknownResourcesAreListedNotGuessed(t *testing.T) {
	tpl := cost.Template{Stack: "S", Resources: map[string]cost.Resource{
		"Graph":  {Type: "AWS::Neptune::DBCluster"},
		"Big":    {Type: "AWS::RDS::DBInstance", Properties: map[string]any{"DBInstanceClass": "db.x2g.16xlarge"}},
		"Secret": {Type: "AWS::SecretsManager::Secret"},
		"Role":   {Type: "AWS::IAM::Role"},
	}}
	est, err := table(t).EstimateTemplates("us-east-1", []cost.Template{tpl})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(est.Unpriced, "\n")
	if !strings.Contains(joined, "S/Graph (AWS::Neptune::DBCluster)") || !strings.Contains(joined, "db.x2g.16xlarge not in the table") {
		t.Errorf("unpriced: %v", est.Unpriced)
	}
	if len(est.Unpriced) != 2 {
		t.Errorf("the IAM role is free and the secret is priced; unpriced = %v", est.Unpriced)
	}
	if !near(est.Total(), 0.40+5*0.50) { // the secret and the logs baseline
		t.Errorf("total %.2f", est.Total())
	}
}

// TestAlarmsDashboardsAndTopics: an alarm costs one alarm metric per metric
// it reads (expressions are free), a dashboard its monthly price, and SNS
// topics, subscriptions and policies nothing.
func TestAlarmsDashboardsAndTopics(t *testing.T) {
	stat := map[string]any{"Id": "m", "MetricStat": map[string]any{}}
	tpl := cost.Template{Stack: "S", Resources: map[string]cost.Resource{
		"Plain": {Type: "AWS::CloudWatch::Alarm", Properties: map[string]any{"MetricName": "CPUUtilization"}},
		"Math": {Type: "AWS::CloudWatch::Alarm", Properties: map[string]any{"Metrics": []any{
			map[string]any{"Id": "e", "Expression": "100 * a / b"}, stat, stat, stat,
		}}},
		"Board":  {Type: "AWS::CloudWatch::Dashboard"},
		"Topic":  {Type: "AWS::SNS::Topic"},
		"Sub":    {Type: "AWS::SNS::Subscription"},
		"Policy": {Type: "AWS::SNS::TopicPolicy"},
	}}
	est, err := table(t).EstimateTemplates("us-east-1", []cost.Template{tpl})
	if err != nil {
		t.Fatal(err)
	}
	if len(est.Unpriced) != 0 {
		t.Errorf("unpriced: %v", est.Unpriced)
	}
	got := map[string]float64{}
	for _, it := range est.Items {
		got[it.Resource] = it.Monthly
	}
	for id, want := range map[string]float64{"Plain": 0.10, "Math": 0.30, "Board": 3.00} {
		if !near(got[id], want) {
			t.Errorf("%s: %.2f, want %.2f", id, got[id], want)
		}
	}
}

func TestUnsupportedRegionIsRefused(t *testing.T) {
	_, err := table(t).EstimateTemplates("ap-southeast-7", nil)
	var unsupported *cost.ErrUnsupportedRegion
	if !errors.As(err, &unsupported) || !strings.Contains(err.Error(), "covers us-east-1") {
		t.Fatalf("want ErrUnsupportedRegion naming the covered regions, got %v", err)
	}
}

func TestTableHasSourceAndDate(t *testing.T) {
	tb := table(t)
	if tb.Source == "" || len(tb.AsOf) != len("2006-01-02") || tb.HoursPerMonth != 730 {
		t.Errorf("price table header: %+v", tb)
	}
	if _, err := os.Stat("prices.json"); err != nil {
		t.Error("the price table is one data file, prices.json")
	}
}
