package djangocdk

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsrds"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// dbUser is the master user of the generated credentials.
const dbUser = "django"

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

// DatabaseOptions configures NewDatabase.
type DatabaseOptions struct {
	DatabaseProps
	// Network places the database in its DataSubnets. Required.
	Network Network
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

// NewDatabase creates the database building block. Removal always takes a
// final snapshot, so deleting the stack never deletes the data.
func NewDatabase(scope constructs.Construct, id string, o *DatabaseOptions) Database {
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
