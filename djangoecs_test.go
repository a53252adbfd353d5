package djangocdk_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/djangocdk/djangocdk"
)

func defaultConfig(awscdk.Stack) *djangocdk.DjangoEcsProps { return baseProps() }

func TestDefaultConfiguration(t *testing.T) {
	s := synth(t, defaultConfig)
	tp := s.tpl

	t.Run("network", func(t *testing.T) {
		tp.one(t, "AWS::EC2::VPC")
		if n := tp.count("AWS::EC2::Subnet"); n != 6 {
			t.Errorf("subnets: got %d, want 6 (public, app, data in 2 AZs)", n)
		}
		if n := tp.count("AWS::EC2::NatGateway"); n != 1 {
			t.Errorf("starter NAT gateways: got %d, want 1", n)
		}
		tp.one(t, "AWS::EC2::FlowLog")
	})

	t.Run("cluster has Container Insights", func(t *testing.T) {
		c := props(tp.one(t, "AWS::ECS::Cluster"))
		if !strings.Contains(jsonOf(c["ClusterSettings"]), `"Name":"containerInsights","Value":"enabled"`) {
			t.Errorf("cluster settings: %s", jsonOf(c["ClusterSettings"]))
		}
	})

	t.Run("web service", func(t *testing.T) {
		web := props(tp.resources("AWS::ECS::Service")[tp.logicalID(t, "AWS::ECS::Service", "SiteWebService")])
		dc := jsonOf(web["DeploymentConfiguration"])
		if !strings.Contains(dc, `"DeploymentCircuitBreaker":{"Enable":true,"Rollback":true}`) {
			t.Errorf("circuit breaker with rollback missing: %s", dc)
		}
		if web["LaunchType"] != "FARGATE" || web["LoadBalancers"] == nil {
			t.Errorf("web must be a Fargate service behind the load balancer: %s", jsonOf(web))
		}
		if net := jsonOf(web["NetworkConfiguration"]); !strings.Contains(net, `"AssignPublicIp":"DISABLED"`) {
			t.Errorf("web tasks must not get public IPs: %s", net)
		}
		c := tp.container(t, djangocdk.ProcessWeb)
		if got := jsonOf(c["Command"]); got != `["gunicorn","mysite.wsgi:application","--bind","0.0.0.0:8000","--workers","2","--access-logfile","-"]` {
			t.Errorf("web command: %s", got)
		}
		if !strings.Contains(jsonOf(c["PortMappings"]), `"ContainerPort":8000`) {
			t.Errorf("port mapping: %s", jsonOf(c["PortMappings"]))
		}
		td := props(tp.resources("AWS::ECS::TaskDefinition")[tp.logicalID(t, "AWS::ECS::TaskDefinition", "SiteWebTaskDefinition")])
		if jsonOf(td["RuntimePlatform"]) != `{"CpuArchitecture":"ARM64","OperatingSystemFamily":"LINUX"}` || td["Cpu"] != "512" || td["Memory"] != "1024" {
			t.Errorf("web task: %s cpu=%v mem=%v", jsonOf(td["RuntimePlatform"]), td["Cpu"], td["Memory"])
		}
	})

	t.Run("load balancer", func(t *testing.T) {
		lb := props(tp.one(t, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
		attrs := jsonOf(lb["LoadBalancerAttributes"])
		for _, want := range []string{`"Key":"access_logs.s3.enabled","Value":"true"`, `"Key":"routing.http.drop_invalid_header_fields.enabled","Value":"true"`, `"Key":"deletion_protection.enabled","Value":"false"`} {
			if !strings.Contains(attrs, want) {
				t.Errorf("load balancer attribute %s missing: %s", want, attrs)
			}
		}
		if lb["Scheme"] != "internal" {
			t.Errorf("behind the CloudFront edge the load balancer is internal, got scheme %v", lb["Scheme"])
		}
		tg := props(tp.one(t, "AWS::ElasticLoadBalancingV2::TargetGroup"))
		if tg["HealthCheckPath"] != "/healthz" || tg["TargetType"] != "ip" || jsonOf(tg["Matcher"]) != `{"HttpCode":"200"}` {
			t.Errorf("target group: %s", jsonOf(tg))
		}
		l := props(tp.one(t, "AWS::ElasticLoadBalancingV2::Listener"))
		if l["Port"] != float64(80) || !strings.Contains(jsonOf(l["DefaultActions"]), `"Type":"forward"`) {
			t.Errorf("the VPC origin's HTTP listener forwards to the app: %s", jsonOf(l))
		}
	})

	t.Run("autoscaling", func(t *testing.T) {
		if n := tp.count("AWS::ApplicationAutoScaling::ScalableTarget"); n != 2 {
			t.Errorf("scalable targets: got %d, want 2 (web, worker)", n)
		}
		pol := jsonOf(tp.resources("AWS::ApplicationAutoScaling::ScalingPolicy"))
		for _, want := range []string{"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"} {
			if !strings.Contains(pol, want) {
				t.Errorf("scaling policy %s missing", want)
			}
		}
	})

	t.Run("worker, no beat", func(t *testing.T) {
		if n := tp.count("AWS::ECS::Service"); n != 2 {
			t.Errorf("services: got %d, want 2 (web, worker)", n)
		}
		c := tp.container(t, djangocdk.ProcessWorker)
		if got := jsonOf(c["Command"]); got != `["celery","-A","mysite","worker","--loglevel","INFO"]` {
			t.Errorf("worker command: %s", got)
		}
	})

	t.Run("database", func(t *testing.T) {
		db := tp.one(t, "AWS::RDS::DBInstance")
		p := props(db)
		if p["Engine"] != "postgres" || p["EngineVersion"] != "17.6" || p["DBInstanceClass"] != "db.t4g.micro" {
			t.Errorf("engine/class: %v %v %v", p["Engine"], p["EngineVersion"], p["DBInstanceClass"])
		}
		if p["StorageEncrypted"] != true || p["MultiAZ"] != false || p["BackupRetentionPeriod"] != float64(7) || p["PubliclyAccessible"] != false {
			t.Errorf("starter database settings: %s", jsonOf(p))
		}
		if db["DeletionPolicy"] != "Snapshot" || db["UpdateReplacePolicy"] != "Snapshot" {
			t.Errorf("database removal must snapshot: %v / %v", db["DeletionPolicy"], db["UpdateReplacePolicy"])
		}
		if !strings.Contains(jsonOf(p["MasterUserPassword"]), "{{resolve:secretsmanager:") {
			t.Errorf("password must be a Secrets Manager reference: %s", jsonOf(p["MasterUserPassword"]))
		}
	})

	t.Run("database and cache admit only the app", func(t *testing.T) {
		ingress := tp.resources("AWS::EC2::SecurityGroupIngress")
		for _, port := range []float64{5432, 6379} {
			var from []string
			for _, r := range ingress {
				p := props(r)
				if p["FromPort"] == port {
					from = append(from, jsonOf(p["SourceSecurityGroupId"]))
				}
			}
			if len(from) != 2 || !strings.Contains(strings.Join(from, " "), "SiteWebSecurityGroup") || !strings.Contains(strings.Join(from, " "), "SiteWorkerSecurityGroup") {
				t.Errorf("port %v must be open exactly to the web and worker security groups, got %v", port, from)
			}
		}
	})

	t.Run("cache", func(t *testing.T) {
		p := props(tp.one(t, "AWS::ElastiCache::ReplicationGroup"))
		if p["Engine"] != "valkey" || p["TransitEncryptionEnabled"] != true || p["AtRestEncryptionEnabled"] != true || p["CacheNodeType"] != "cache.t4g.micro" {
			t.Errorf("cache: %s", jsonOf(p))
		}
		if !strings.Contains(jsonOf(p["AuthToken"]), "{{resolve:secretsmanager:") {
			t.Errorf("auth token must be a Secrets Manager reference: %s", jsonOf(p["AuthToken"]))
		}
	})

	t.Run("storage", func(t *testing.T) {
		buckets := tp.resources("AWS::S3::Bucket")
		if len(buckets) != 2 {
			t.Fatalf("buckets: got %d, want 2 (assets, logs)", len(buckets))
		}
		for id, b := range buckets {
			p := props(b)
			if !strings.Contains(jsonOf(p["PublicAccessBlockConfiguration"]), `"BlockPublicAcls":true`) || p["BucketEncryption"] == nil {
				t.Errorf("bucket %s must block public access and be encrypted: %s", id, jsonOf(p))
			}
			if b["DeletionPolicy"] != "Retain" {
				t.Errorf("bucket %s must be retained on removal", id)
			}
		}
		policies := jsonOf(tp.resources("AWS::S3::BucketPolicy"))
		if !strings.Contains(policies, `"aws:SecureTransport":"false"`) {
			t.Errorf("buckets must deny non-TLS requests")
		}
		tp.one(t, "AWS::CloudFront::OriginAccessControl")
		d := jsonOf(props(tp.one(t, "AWS::CloudFront::Distribution")))
		if !strings.Contains(d, "OriginAccessControlId") || !strings.Contains(d, `"ViewerProtocolPolicy":"redirect-to-https"`) {
			t.Errorf("distribution must use OAC and HTTPS: %s", d)
		}
	})

	t.Run("release step runs before the services", func(t *testing.T) {
		rels := tp.resources("Custom::DjangoRelease")
		if len(rels) != 1 {
			t.Fatalf("release resources: %d", len(rels))
		}
		var relID string
		for id, r := range rels {
			relID = id
			p := props(r)
			if !strings.Contains(jsonOf(p["TaskDefinition"]), "SiteReleaseTaskDefinition") || p["ContainerName"] != "release" || p["TimeoutSeconds"] != "1200" {
				t.Errorf("release properties: %s", jsonOf(p))
			}
		}
		for id, svc := range tp.resources("AWS::ECS::Service") {
			if !dependsOn(svc, relID) {
				t.Errorf("service %s does not depend on the release step", id)
			}
		}
		// On a first deploy the release task must find the database open to
		// it and a route out (NAT) to pull the image.
		rel := rels[relID]
		for id, r := range tp.resources("AWS::EC2::SecurityGroupIngress") {
			if p := props(r); (p["FromPort"] == float64(5432) || p["FromPort"] == float64(6379)) && !dependsOn(rel, id) {
				t.Errorf("release step does not wait for ingress rule %s", id)
			}
		}
		for id, r := range tp.resources("AWS::EC2::Route") {
			if strings.Contains(jsonOf(props(r)), "NatGateway") && !dependsOn(rel, id) {
				t.Errorf("release step does not wait for NAT route %s", id)
			}
		}
		c := tp.container(t, djangocdk.ProcessRelease)
		if got := jsonOf(c["Command"]); got != `["sh","-c","python manage.py migrate --noinput \u0026\u0026 exec python manage.py collectstatic --noinput"]` {
			t.Errorf("release command: %s", got)
		}
	})

	t.Run("logs and outputs", func(t *testing.T) {
		for id, lg := range tp.resources("AWS::Logs::LogGroup") {
			if props(lg)["RetentionInDays"] == nil {
				t.Errorf("log group %s has no retention", id)
			}
		}
		outs := tp["Outputs"].(map[string]any)
		for _, want := range []string{"Url", "ClusterName", "WebServiceName", "WorkerServiceName", "ShellCommand", "ManageCommand", "AssetsDomain"} {
			found := false
			for id := range outs {
				if strings.HasPrefix(id, "Site"+want) {
					found = true
				}
			}
			if !found {
				t.Errorf("output %s missing", want)
			}
		}
	})

	t.Run("inner constructs are exposed", func(t *testing.T) {
		c := s.construct
		if c.WebService() == nil || c.WorkerService() == nil || c.LoadBalancer() == nil || c.Database().Instance() == nil ||
			c.Cache() == nil || c.Storage().Bucket() == nil || c.Edge().Distribution() == nil || c.Secrets().SecretKey() == nil ||
			c.Release() == nil || c.TaskDefinition("release") == nil || c.Cluster() == nil || c.Network().Vpc() == nil {
			t.Error("a getter returned nil")
		}
		if c.BeatService() != nil || c.Domain() != nil || c.BrokerQueue() != nil || c.ExecKey() != nil {
			t.Error("optional parts must be nil when off")
		}
	})
}

func TestFullConfiguration(t *testing.T) {
	s := synth(t, fullProps)
	tp := s.tpl

	t.Run("domain: certificate in us-east-1, on the distribution, alias records", func(t *testing.T) {
		cert := props(tp.one(t, "AWS::CertificateManager::Certificate"))
		if cert["DomainName"] != "app.example.com" || cert["ValidationMethod"] != "DNS" {
			t.Errorf("certificate: %s", jsonOf(cert))
		}
		dist := props(tp.one(t, "AWS::CloudFront::Distribution"))["DistributionConfig"].(map[string]any)
		if jsonOf(dist["Aliases"]) != `["app.example.com"]` || !strings.Contains(jsonOf(dist["ViewerCertificate"]), `"MinimumProtocolVersion":"TLSv1.2_2021"`) {
			t.Errorf("distribution must carry the domain and its certificate: %s %s", jsonOf(dist["Aliases"]), jsonOf(dist["ViewerCertificate"]))
		}
		types := map[string]bool{}
		for _, r := range tp.resources("AWS::Route53::RecordSet") {
			p := props(r)
			if p["Name"] == "app.example.com." && strings.Contains(jsonOf(p["AliasTarget"]), "Distribution") {
				types[p["Type"].(string)] = true
			}
		}
		if !types["A"] || !types["AAAA"] {
			t.Errorf("want A and AAAA alias records to the distribution, got %v", types)
		}
		for _, l := range tp.resources("AWS::ElasticLoadBalancingV2::Listener") {
			if props(l)["Port"] != float64(80) {
				t.Errorf("behind CloudFront the load balancer has only the VPC origin's HTTP listener: %s", jsonOf(props(l)))
			}
		}
		web := tp.container(t, djangocdk.ProcessWeb)
		for name, want := range map[string]string{
			djangocdk.EnvAllowedHosts:         "app.example.com",
			djangocdk.EnvCsrfTrustedOrigins:   "https://app.example.com",
			djangocdk.EnvHTTPS:                "true",
			djangocdk.EnvForwardedProtoHeader: "CloudFront-Forwarded-Proto",
			djangocdk.EnvStorageCustomDomain:  "app.example.com",
			"FEATURE_FLAG":                    "on",
		} {
			if got, _ := envValue(web, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})

	t.Run("beat: exactly one, never two", func(t *testing.T) {
		beat := props(tp.resources("AWS::ECS::Service")[tp.logicalID(t, "AWS::ECS::Service", "SiteBeatService")])
		if beat["DesiredCount"] != float64(1) || !strings.Contains(jsonOf(beat["DeploymentConfiguration"]), `"MaximumPercent":100,"MinimumHealthyPercent":0`) {
			t.Errorf("beat service: %s %s", jsonOf(beat["DesiredCount"]), jsonOf(beat["DeploymentConfiguration"]))
		}
		if n := tp.count("AWS::ApplicationAutoScaling::ScalableTarget"); n != 2 {
			t.Errorf("beat must not scale: %d scalable targets", n)
		}
		if got := jsonOf(tp.container(t, djangocdk.ProcessBeat)["Command"]); !strings.Contains(got, `"beat"`) {
			t.Errorf("beat command: %s", got)
		}
	})

	t.Run("production profile", func(t *testing.T) {
		db := tp.one(t, "AWS::RDS::DBInstance")
		p := props(db)
		if p["MultiAZ"] != true || p["DeletionProtection"] != true || p["BackupRetentionPeriod"] != float64(14) || p["DBInstanceClass"] != "db.t4g.medium" {
			t.Errorf("production database: %s", jsonOf(p))
		}
		if n := tp.count("AWS::EC2::NatGateway"); n != 2 {
			t.Errorf("production NAT gateways: got %d, want one per AZ", n)
		}
		rg := props(tp.one(t, "AWS::ElastiCache::ReplicationGroup"))
		if rg["NumCacheClusters"] != float64(2) || rg["AutomaticFailoverEnabled"] != true || rg["MultiAZEnabled"] != true {
			t.Errorf("production cache: %s", jsonOf(rg))
		}
		web := props(tp.resources("AWS::ECS::Service")[tp.logicalID(t, "AWS::ECS::Service", "SiteWebService")])
		if web["DesiredCount"] != float64(2) {
			t.Errorf("production web desired count: %v", web["DesiredCount"])
		}
	})

	t.Run("ECS Exec with its key and logging", func(t *testing.T) {
		key := props(tp.resources("AWS::KMS::Key")[tp.logicalID(t, "AWS::KMS::Key", "SiteExecKey")])
		if key["EnableKeyRotation"] != true {
			t.Error("exec key must rotate")
		}
		cfg := jsonOf(props(tp.one(t, "AWS::ECS::Cluster"))["Configuration"])
		if !strings.Contains(cfg, `"KmsKeyId"`) || !strings.Contains(cfg, `"Logging":"OVERRIDE"`) || !strings.Contains(cfg, `"CloudWatchEncryptionEnabled":true`) {
			t.Errorf("cluster exec configuration: %s", cfg)
		}
		for id, svc := range tp.resources("AWS::ECS::Service") {
			if props(svc)["EnableExecuteCommand"] != true {
				t.Errorf("service %s: exec not enabled", id)
			}
		}
		if out := jsonOf(tp["Outputs"]); !strings.Contains(out, "aws ecs execute-command") {
			t.Error("shell command output missing")
		}
	})
}
