// Package cache is the cache building block: an ElastiCache Valkey or Redis
// replication group with TLS, at-rest encryption and an AUTH token, in the
// network's data subnets.
package cache

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticache"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/internal/check"
)

const cachePort = 6379

var cacheNode = regexp.MustCompile(`^cache\.[a-z0-9]+\.[a-z0-9]+$`)

// Cache is the cache building block: an ElastiCache Valkey or Redis OSS
// replication group in the isolated subnets, encrypted in transit and at
// rest, with a generated AUTH token in Secrets Manager.
type Cache interface {
	constructs.Construct
	// ReplicationGroup is the L1 ElastiCache replication group.
	ReplicationGroup() awselasticache.CfnReplicationGroup
	// AuthToken holds the generated AUTH token.
	AuthToken() awssecretsmanager.Secret
	// Connections controls network access; grant it with AllowTo from the client.
	Connections() awsec2.Connections
	// Port is the cache port (6379).
	Port() awsec2.Port
	// URL is rediss://host:port of the primary endpoint, without credentials.
	URL() *string
	// BrokerURL is URL with database 1, for Celery (the cache uses database 0).
	BrokerURL() *string
}

// Options configures New.
type Options struct {
	CacheProps
	// Network places the cache in its DataSubnets. Required.
	Network network.Network
}

type cache struct {
	constructs.Construct
	group awselasticache.CfnReplicationGroup
	token awssecretsmanager.Secret
	conns awsec2.Connections
}

func (c *cache) ReplicationGroup() awselasticache.CfnReplicationGroup { return c.group }
func (c *cache) AuthToken() awssecretsmanager.Secret                  { return c.token }
func (c *cache) Connections() awsec2.Connections                      { return c.conns }

func (c *cache) Port() awsec2.Port { return awsec2.Port_Tcp(jsii.Number(cachePort)) }

func (c *cache) URL() *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("rediss://"), c.group.AttrPrimaryEndPointAddress(), jsii.String(":"), c.group.AttrPrimaryEndPointPort(),
	})
}

func (c *cache) BrokerURL() *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{c.URL(), jsii.String("/1")})
}

// New creates the cache building block. With Replicas > 0 the group
// fails over automatically across AZs.
func New(scope constructs.Construct, id string, o *Options) Cache {
	c := &cache{}
	constructs.NewConstruct_Override(c, scope, jsii.String(id))
	vpc := o.Network.Vpc()
	sg := awsec2.NewSecurityGroup(c, jsii.String("SecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("ElastiCache: reachable only from the app tasks"),
		AllowAllOutbound: jsii.Bool(false),
	})
	c.conns = awsec2.NewConnections(&awsec2.ConnectionsProps{
		SecurityGroups: &[]awsec2.ISecurityGroup{sg},
		DefaultPort:    awsec2.Port_Tcp(jsii.Number(cachePort)),
	})
	subnets := vpc.SelectSubnets(o.Network.DataSubnets())
	group := awselasticache.NewCfnSubnetGroup(c, jsii.String("SubnetGroup"), &awselasticache.CfnSubnetGroupProps{
		Description: jsii.String("Isolated subnets of the cache"),
		SubnetIds:   toAny(*subnets.SubnetIds),
	})
	c.token = awssecretsmanager.NewSecret(c, jsii.String("AuthToken"), &awssecretsmanager.SecretProps{
		Description: jsii.String("ElastiCache AUTH token"),
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength:     jsii.Number(64),
			ExcludePunctuation: jsii.Bool(true),
		},
	})
	version := "8.0"
	if o.Engine == CacheRedis {
		version = "7.1"
	}
	multi := o.Replicas > 0
	c.group = awselasticache.NewCfnReplicationGroup(c, jsii.String("ReplicationGroup"), &awselasticache.CfnReplicationGroupProps{
		ReplicationGroupDescription: jsii.String(fmt.Sprintf("Django cache and Celery broker (%s)", o.Engine)),
		Engine:                      jsii.String(string(o.Engine)),
		EngineVersion:               jsii.String(version),
		CacheNodeType:               jsii.String(o.NodeType),
		NumCacheClusters:            jsii.Number(1 + o.Replicas),
		AutomaticFailoverEnabled:    jsii.Bool(multi),
		MultiAzEnabled:              jsii.Bool(multi),
		TransitEncryptionEnabled:    jsii.Bool(true),
		AtRestEncryptionEnabled:     jsii.Bool(true),
		AuthToken:                   c.token.SecretValue().UnsafeUnwrap(), // a {{resolve:secretsmanager}} reference, not the value
		CacheSubnetGroupName:        group.Ref(),
		SecurityGroupIds:            &[]*string{sg.SecurityGroupId()},
		Port:                        jsii.Number(cachePort),
		AutoMinorVersionUpgrade:     jsii.Bool(true),
		SnapshotRetentionLimit:      jsii.Number(map[bool]int{false: 0, true: 1}[multi]),
	})
	return c
}

// toAny converts a string list for L1 props typed as []interface{}.
func toAny(ss []*string) *[]interface{} {
	out := make([]interface{}, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return &out
}

// CacheEngine selects the ElastiCache engine.
type CacheEngine string

const (
	// CacheValkey is ElastiCache for Valkey (default).
	CacheValkey CacheEngine = "valkey"
	// CacheRedis is ElastiCache for Redis OSS.
	CacheRedis CacheEngine = "redis"
	// CacheNone creates no cache (needs Broker "sqs").
	CacheNone CacheEngine = "none"
)

// Props configures the cache building block.
type Props struct {
	// Engine is "valkey" (default), "redis" or "none".
	Engine CacheEngine
	// NodeType. Default "cache.t4g.micro" (starter), "cache.t4g.small" (production).
	NodeType string
	// Replicas is the number of read replicas. 0 means the profile default:
	// 0 (starter), 1 (production, with automatic failover across AZs).
	Replicas int
}

// Validate reports every invalid field of the cache props, each under field.
func (c Props) Validate(field string) []string {
	errs := check.OneOf(field+".Engine", c.Engine, CacheValkey, CacheRedis, CacheNone)
	if c.Engine == CacheNone {
		return errs
	}
	if !cacheNode.MatchString(c.NodeType) {
		errs = append(errs, fmt.Sprintf("%s.NodeType: %q is not an ElastiCache node type; e.g. \"cache.t4g.micro\"", field, c.NodeType))
	}
	if c.Replicas < 0 || c.Replicas > 5 {
		errs = append(errs, fmt.Sprintf("%s.Replicas: %d is out of range; allowed: 0 to 5", field, c.Replicas))
	}
	return errs
}

// CacheProps is Props under the name the embedded field of Options has
// carried since before the blocks had packages of their own.
type CacheProps = Props

// WithDefaults fills the unset fields with the profile's defaults (starter /
// production): Valkey on cache.t4g.micro / cache.t4g.small, 0 / 1 replica.
func (c Props) WithDefaults(production bool) Props {
	if c.Engine == "" {
		c.Engine = CacheValkey
	}
	if c.NodeType == "" {
		c.NodeType = "cache.t4g.micro"
		if production {
			c.NodeType = "cache.t4g.small"
		}
	}
	if c.Replicas == 0 && production {
		c.Replicas = 1
	}
	return c
}
