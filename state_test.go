package djangocdk_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/djangocdk/djangocdk"
)

// TestProductionStateSurvives: in production, destroying or replacing the
// compute never takes secrets (a lost SECRET_KEY logs everyone out and breaks
// every signed value), logs or queued tasks with it; every profile expires old
// object versions and abandoned uploads.
func TestProductionStateSurvives(t *testing.T) {
	for _, c := range []struct {
		profile djangocdk.Profile
		engine  djangocdk.DatabaseEngine
	}{{djangocdk.ProfileStarter, djangocdk.DatabaseRDS}, {djangocdk.ProfileProduction, djangocdk.DatabaseRDS}, {djangocdk.ProfileProduction, djangocdk.DatabaseAurora}} {
		profile := c.profile
		t.Run(string(profile)+"-"+string(c.engine), func(t *testing.T) {
			tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
				p := baseProps()
				p.Profile = profile
				p.Broker = djangocdk.BrokerSQS
				p.Database.Engine = c.engine
				return p
			}).tpl
			if profile == djangocdk.ProfileProduction {
				for _, typ := range []string{"AWS::SecretsManager::Secret", "AWS::SQS::Queue", "AWS::Logs::LogGroup"} {
					for id, r := range tp.resources(typ) {
						if r["DeletionPolicy"] != "Retain" || r["UpdateReplacePolicy"] != "Retain" {
							t.Errorf("%s %s: DeletionPolicy %v, UpdateReplacePolicy %v; want Retain in production", typ, id, r["DeletionPolicy"], r["UpdateReplacePolicy"])
						}
					}
				}
			}
			for id, b := range tp.resources("AWS::S3::Bucket") {
				rules := jsonOf(props(b)["LifecycleConfiguration"])
				if !strings.Contains(rules, `"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}`) {
					t.Errorf("bucket %s keeps incomplete multipart uploads forever: %s", id, rules)
				}
				if strings.HasPrefix(id, "SiteStorageBucket") && !strings.Contains(rules, `"NoncurrentVersionExpiration":{"NoncurrentDays":30}`) {
					t.Errorf("bucket %s keeps noncurrent versions forever: %s", id, rules)
				}
				// A deleted or overwritten upload can be restored, in every profile.
				if strings.HasPrefix(id, "SiteStorageBucket") && jsonOf(props(b)["VersioningConfiguration"]) != `{"Status":"Enabled"}` {
					t.Errorf("bucket %s is not versioned", id)
				}
			}
			// Production databases report OS metrics (what to look at when the CPU alarm fires).
			monitored, instances := 0, tp.resources("AWS::RDS::DBInstance") // Aurora: writer and reader
			for _, r := range instances {
				if props(r)["MonitoringInterval"] == float64(60) {
					monitored++
				}
			}
			if want := map[bool]int{true: len(instances), false: 0}[profile == djangocdk.ProfileProduction]; monitored != want {
				t.Errorf("%s %s: %d database instances with enhanced monitoring", profile, c.engine, monitored)
			}
		})
	}
}

// TestDataStoresHaveNoEgress: the database and the cache only answer the
// app's connections; they open none of their own.
func TestDataStoresHaveNoEgress(t *testing.T) {
	for _, engine := range []djangocdk.DatabaseEngine{djangocdk.DatabaseRDS, djangocdk.DatabaseAurora} {
		tp := synth(t, func(awscdk.Stack) *djangocdk.DjangoEcsProps {
			p := baseProps()
			p.Database.Engine = engine
			return p
		}).tpl
		for id, sg := range tp.resources("AWS::EC2::SecurityGroup") {
			if !strings.Contains(id, "Database") && !strings.Contains(id, "Cache") {
				continue
			}
			if egress := jsonOf(props(sg)["SecurityGroupEgress"]); strings.Contains(egress, "0.0.0.0/0") {
				t.Errorf("%s (%s) allows all egress: %s", id, engine, egress)
			}
		}
	}
}
