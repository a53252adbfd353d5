// Package database is the database building block: RDS for PostgreSQL or
// Aurora PostgreSQL Serverless v2, encrypted, in the network's isolated
// subnets, with generated credentials in Secrets Manager.
package database

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/internal/check"
)

// dbUser is the master user of the generated credentials.
const dbUser = "django"

var (
	identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	dbInstance = regexp.MustCompile(`^db\.[a-z0-9]+\.[a-z0-9]+$`)
)

// dbPort is PostgreSQL's port, set explicitly so security-group rules carry
// a literal port rather than a cross-stack reference.
const dbPort = 5432

// Database is the database building block: PostgreSQL in the isolated
// subnets, encrypted, with generated credentials in Secrets Manager.
type Database interface {
	constructs.Construct
	// Secret holds the JSON credentials (host, port, dbname, username, password).
	Secret() awssecretsmanager.ISecret
	// Connections controls network access; grant it with AllowTo from the client.
	Connections() awsec2.Connections
	// Port is the PostgreSQL port (5432).
	Port() awsec2.Port
	// Instance is the RDS instance, or nil with Aurora.
	Instance() awsrds.DatabaseInstance
	// Cluster is the Aurora cluster, or nil with RDS.
	Cluster() awsrds.DatabaseCluster
}

// Options configures New.
type Options struct {
	DatabaseProps
	// Network places the database in its DataSubnets. Required.
	Network network.Network
	// Production turns on Multi-AZ (a reader for Aurora) and deletion protection.
	Production bool
	// LogRetention of the PostgreSQL log export. Default one month.
	LogRetention awslogs.RetentionDays
}

type database struct {
	constructs.Construct
	secret   awssecretsmanager.ISecret
	conns    awsec2.Connections
	instance awsrds.DatabaseInstance
	cluster  awsrds.DatabaseCluster
}

func (d *database) Secret() awssecretsmanager.ISecret { return d.secret }
func (d *database) Connections() awsec2.Connections   { return d.conns }
func (d *database) Port() awsec2.Port                 { return awsec2.Port_Tcp(jsii.Number(dbPort)) }
func (d *database) Instance() awsrds.DatabaseInstance { return d.instance }
func (d *database) Cluster() awsrds.DatabaseCluster   { return d.cluster }

// New creates the database building block. Removal always takes a
// final snapshot, so deleting the stack never deletes the data.
func New(scope constructs.Construct, id string, o *Options) Database {
	d := &database{}
	constructs.NewConstruct_Override(d, scope, jsii.String(id))
	if o.LogRetention == "" {
		o.LogRetention = awslogs.RetentionDays_ONE_MONTH
	}
	creds := awsrds.Credentials_FromGeneratedSecret(jsii.String(dbUser), &awsrds.CredentialsBaseOptions{
		ExcludeCharacters: jsii.String(` %+~` + "`" + `#$&*()|[]{}:;<>?!'/@"\`),
	})
	backup := awscdk.Duration_Days(jsii.Number(o.BackupRetentionDays))
	vpc := o.Network.Vpc()
	// The database only answers: it never opens connections of its own.
	sg := awsec2.NewSecurityGroup(d, jsii.String("SecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("PostgreSQL: reachable only from the app tasks, no egress"),
		AllowAllOutbound: jsii.Bool(false),
	})
	sgs := &[]awsec2.ISecurityGroup{sg}
	if o.Engine == DatabaseAurora {
		version := awsrds.AuroraPostgresEngineVersion_VER_17_5()
		if o.Version == 16 {
			version = awsrds.AuroraPostgresEngineVersion_VER_16_9()
		}
		props := &awsrds.DatabaseClusterProps{
			Engine:                  awsrds.DatabaseClusterEngine_AuroraPostgres(&awsrds.AuroraPostgresClusterEngineProps{Version: version}),
			Writer:                  awsrds.ClusterInstance_ServerlessV2(jsii.String("Writer"), &awsrds.ServerlessV2ClusterInstanceProps{AutoMinorVersionUpgrade: jsii.Bool(true)}),
			ServerlessV2MinCapacity: jsii.Number(o.MinCapacity),
			ServerlessV2MaxCapacity: jsii.Number(o.MaxCapacity),
			Vpc:                     vpc,
			VpcSubnets:              o.Network.DataSubnets(),
			SecurityGroups:          sgs,
			Credentials:             creds,
			DefaultDatabaseName:     jsii.String(o.Name),
			StorageEncrypted:        jsii.Bool(true),
			DeletionProtection:      jsii.Bool(o.Production),
			Backup:                  &awsrds.BackupProps{Retention: backup},
			RemovalPolicy:           awscdk.RemovalPolicy_SNAPSHOT,
			CloudwatchLogsExports:   jsii.Strings("postgresql"),
			CloudwatchLogsRetention: o.LogRetention,
			CopyTagsToSnapshot:      jsii.Bool(true),
			Port:                    jsii.Number(dbPort),
		}
		if o.MinCapacity == 0 {
			props.ServerlessV2AutoPauseDuration = awscdk.Duration_Seconds(jsii.Number(o.AutoPause.Seconds()))
		}
		if o.Production {
			props.Readers = &[]awsrds.IClusterInstance{
				awsrds.ClusterInstance_ServerlessV2(jsii.String("Reader"), &awsrds.ServerlessV2ClusterInstanceProps{
					ScaleWithWriter: jsii.Bool(true), AutoMinorVersionUpgrade: jsii.Bool(true),
				}),
			}
		}
		if o.Production {
			props.MonitoringInterval = enhancedMonitoring()
		}
		d.cluster = awsrds.NewDatabaseCluster(d, jsii.String("Cluster"), props)
		d.secret = d.cluster.Secret()
		retainGeneratedSecret(d.cluster, o.Production)
		d.conns = d.cluster.Connections()
		return d
	}
	// Explicit minors: the bare major alias is flagged as deprecated for new
	// instances. AutoMinorVersionUpgrade keeps them patched.
	version := awsrds.PostgresEngineVersion_VER_17_6()
	if o.Version == 16 {
		version = awsrds.PostgresEngineVersion_VER_16_9()
	}
	var monitoring awscdk.Duration // off in starter: about 1 USD/month of log ingestion per instance
	if o.Production {
		monitoring = enhancedMonitoring()
	}
	d.instance = awsrds.NewDatabaseInstance(d, jsii.String("Instance"), &awsrds.DatabaseInstanceProps{
		MonitoringInterval:      monitoring,
		Engine:                  awsrds.DatabaseInstanceEngine_Postgres(&awsrds.PostgresInstanceEngineProps{Version: version}),
		InstanceType:            awsec2.NewInstanceType(jsii.String(strings.TrimPrefix(o.InstanceType, "db."))),
		Vpc:                     vpc,
		VpcSubnets:              o.Network.DataSubnets(),
		SecurityGroups:          sgs,
		Credentials:             creds,
		DatabaseName:            jsii.String(o.Name),
		StorageEncrypted:        jsii.Bool(true),
		StorageType:             awsrds.StorageType_GP3,
		AllocatedStorage:        jsii.Number(o.AllocatedStorageGiB),
		MaxAllocatedStorage:     jsii.Number(o.MaxAllocatedStorageGiB),
		MultiAz:                 jsii.Bool(o.Production),
		DeletionProtection:      jsii.Bool(o.Production),
		BackupRetention:         backup,
		RemovalPolicy:           awscdk.RemovalPolicy_SNAPSHOT,
		AutoMinorVersionUpgrade: jsii.Bool(true),
		CloudwatchLogsExports:   jsii.Strings("postgresql"),
		CloudwatchLogsRetention: o.LogRetention,
		CopyTagsToSnapshot:      jsii.Bool(true),
		PubliclyAccessible:      jsii.Bool(false),
		Port:                    jsii.Number(dbPort),
	})
	d.secret = d.instance.Secret()
	retainGeneratedSecret(d.instance, o.Production)
	d.conns = d.instance.Connections()
	return d
}

// enhancedMonitoring is the OS-metrics interval of production databases:
// per-process CPU, memory and I/O when the CPU alarm fires.
func enhancedMonitoring() awscdk.Duration { return awscdk.Duration_Seconds(jsii.Number(60)) }

// retainGeneratedSecret keeps the credentials RDS generated (the construct's
// "Secret" child; Secret() returns its attachment) when the stack is removed
// or the secret replaced, in production: the retained snapshot needs them.
func retainGeneratedSecret(db constructs.IConstruct, production bool) {
	if !production {
		return
	}
	if child := db.Node().TryFindChild(jsii.String("Secret")); child != nil {
		if cfn, ok := child.Node().DefaultChild().(awscdk.CfnResource); ok {
			cfn.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN, nil)
		}
	}
}

// DatabaseEngine selects the PostgreSQL flavour.
type DatabaseEngine string

const (
	// DatabaseRDS is an RDS for PostgreSQL instance (default).
	DatabaseRDS DatabaseEngine = "rds"
	// DatabaseAurora is an Aurora PostgreSQL Serverless v2 cluster.
	DatabaseAurora DatabaseEngine = "aurora-serverless"
)

// Props configures the database building block.
type Props struct {
	// Engine is "rds" (default) or "aurora-serverless".
	Engine DatabaseEngine
	// Version is the PostgreSQL major version: 16 or 17. Default 17.
	Version int
	// InstanceType of the RDS instance. Default "db.t4g.micro" (starter),
	// "db.t4g.medium" (production).
	InstanceType string
	// AllocatedStorageGiB of the RDS instance. Default 20.
	AllocatedStorageGiB int
	// MaxAllocatedStorageGiB caps storage autoscaling. Default 100.
	MaxAllocatedStorageGiB int
	// MinCapacity in ACUs of Aurora Serverless v2. Default 0 (auto-pause
	// after AutoPause of inactivity) for starter, 0.5 for production.
	MinCapacity float64
	// MaxCapacity in ACUs of Aurora Serverless v2. Default 2 (starter), 8 (production).
	MaxCapacity float64
	// AutoPause is the idle time before a paused Aurora cluster (MinCapacity 0). Default 10 minutes.
	AutoPause time.Duration
	// Name of the database created for Django. Default "django".
	Name string
	// BackupRetentionDays. Default 7 (starter), 14 (production).
	BackupRetentionDays int
}

// Validate reports every invalid field of the database props, each under field.
func (d Props) Validate(field string) []string {
	errs := check.OneOf(field+".Engine", d.Engine, DatabaseRDS, DatabaseAurora)
	if d.Version != 16 && d.Version != 17 {
		errs = append(errs, fmt.Sprintf("%s.Version: %d is not supported; allowed: 16, 17", field, d.Version))
	}
	if !identifier.MatchString(d.Name) || len(d.Name) > 63 {
		errs = append(errs, fmt.Sprintf("%s.Name: %q is not a valid database name (letters, digits, underscore; at most 63)", field, d.Name))
	}
	if d.BackupRetentionDays < 1 || d.BackupRetentionDays > 35 {
		errs = append(errs, fmt.Sprintf("%s.BackupRetentionDays: %d is out of range; allowed: 1 to 35", field, d.BackupRetentionDays))
	}
	switch d.Engine {
	case DatabaseRDS:
		if !dbInstance.MatchString(d.InstanceType) {
			errs = append(errs, fmt.Sprintf("%s.InstanceType: %q is not an RDS instance class; e.g. \"db.t4g.micro\"", field, d.InstanceType))
		}
		if d.AllocatedStorageGiB < 20 || d.AllocatedStorageGiB > 65536 {
			errs = append(errs, fmt.Sprintf("%s.AllocatedStorageGiB: %d is out of range; allowed: 20 to 65536", field, d.AllocatedStorageGiB))
		}
		if d.MaxAllocatedStorageGiB < d.AllocatedStorageGiB {
			errs = append(errs, fmt.Sprintf("%s.MaxAllocatedStorageGiB: %d is below AllocatedStorageGiB (%d)", field, d.MaxAllocatedStorageGiB, d.AllocatedStorageGiB))
		}
	case DatabaseAurora:
		if d.MinCapacity < 0 || d.MinCapacity > 256 || !halfStep(d.MinCapacity) {
			errs = append(errs, fmt.Sprintf("%s.MinCapacity: %g is not allowed; allowed: 0 to 256 ACUs in steps of 0.5 (0 pauses the database when idle)", field, d.MinCapacity))
		}
		if d.MaxCapacity < 1 || d.MaxCapacity > 256 || !halfStep(d.MaxCapacity) || d.MaxCapacity < d.MinCapacity {
			errs = append(errs, fmt.Sprintf("%s.MaxCapacity: %g is not allowed; allowed: 1 to 256 ACUs in steps of 0.5, at least MinCapacity", field, d.MaxCapacity))
		}
		if d.AutoPause < 5*time.Minute || d.AutoPause > 24*time.Hour {
			errs = append(errs, fmt.Sprintf("%s.AutoPause: %s is out of range; allowed: 5m to 24h", field, d.AutoPause))
		}
	}
	return errs
}

// ConnectTimeout is how long Django waits for a connection, in seconds:
// longer than an auto-paused Aurora Serverless v2 takes to resume.
func (d Props) ConnectTimeout() int {
	if d.Engine == DatabaseAurora && d.MinCapacity == 0 {
		return 30
	}
	return 10
}

func halfStep(v float64) bool { return v*2 == float64(int(v*2)) }

// DatabaseProps is Props under the name the embedded field of Options has
// carried since before the blocks had packages of their own.
type DatabaseProps = Props

// Defaults of the database props.
const (
	defaultVersion   = 17
	defaultName      = "django"
	defaultAutoPause = 10 * time.Minute
)

// WithDefaults fills the unset fields with the profile's defaults (starter /
// production): RDS PostgreSQL 17 on db.t4g.micro / db.t4g.medium, 20 GiB
// growing to 100, Aurora 0 (auto-pause after 10 minutes) / 0.5 to 2 / 8
// ACUs, database "django", backups 7 / 14 days.
func (d Props) WithDefaults(production bool) Props {
	pick := func(starter, prod int) int {
		if production {
			return prod
		}
		return starter
	}
	if d.Engine == "" {
		d.Engine = DatabaseRDS
	}
	if d.Version == 0 {
		d.Version = defaultVersion
	}
	if d.InstanceType == "" {
		d.InstanceType = "db.t4g.micro"
		if production {
			d.InstanceType = "db.t4g.medium"
		}
	}
	if d.AllocatedStorageGiB == 0 {
		d.AllocatedStorageGiB = 20
	}
	if d.MaxAllocatedStorageGiB == 0 {
		d.MaxAllocatedStorageGiB = max(100, d.AllocatedStorageGiB)
	}
	if d.MinCapacity == 0 && production {
		d.MinCapacity = 0.5
	}
	if d.MaxCapacity == 0 {
		d.MaxCapacity = float64(pick(2, 8))
	}
	if d.AutoPause == 0 {
		d.AutoPause = defaultAutoPause
	}
	if d.Name == "" {
		d.Name = defaultName
	}
	if d.BackupRetentionDays == 0 {
		d.BackupRetentionDays = pick(7, 14)
	}
	return d
}
