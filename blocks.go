package djangocdk

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/djangocdk/djangocdk/blocks/cache"
	"github.com/djangocdk/djangocdk/blocks/database"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/blocks/secrets"
)

// The building blocks live in blocks/<name>; these names keep them where CDK
// Go users found them.

// Network is the network building block (see package network).
type Network = network.Network

// NetworkProps configures the network building block.
type NetworkProps = network.Props

// NatMode selects how private subnets reach the internet.
type NatMode = network.NatMode

// Endpoint names an AWS service reachable through a VPC endpoint.
type Endpoint = network.Endpoint

// NAT modes and VPC endpoints (see package network).
const (
	NatGatewayPerAz        = network.NatGatewayPerAz
	NatGatewaySingle       = network.NatGatewaySingle
	NatInstance            = network.NatInstance
	NatNone                = network.NatNone
	EndpointS3             = network.EndpointS3
	EndpointECRAPI         = network.EndpointECRAPI
	EndpointECRDocker      = network.EndpointECRDocker
	EndpointLogs           = network.EndpointLogs
	EndpointSecretsManager = network.EndpointSecretsManager
	EndpointSQS            = network.EndpointSQS
	EndpointSSMMessages    = network.EndpointSSMMessages
	EndpointKMS            = network.EndpointKMS
)

// NewNetwork creates the network building block (network.New).
func NewNetwork(scope constructs.Construct, id string, props *NetworkProps) Network {
	return network.New(scope, id, props)
}

// AppSecrets holds the generated application secrets (see package secrets).
type AppSecrets = secrets.AppSecrets

// AppSecretsProps configures NewAppSecrets.
type AppSecretsProps = secrets.Props

// NewAppSecrets creates the secrets building block (secrets.New).
func NewAppSecrets(scope constructs.Construct, id string, props *AppSecretsProps) AppSecrets {
	return secrets.New(scope, id, props)
}

// Database is the database building block (see package database).
type Database = database.Database

// DatabaseProps configures the database building block.
type DatabaseProps = database.Props

// DatabaseOptions configures NewDatabase.
type DatabaseOptions = database.Options

// DatabaseEngine selects the PostgreSQL flavour.
type DatabaseEngine = database.DatabaseEngine

// Database engines.
const (
	DatabaseRDS    = database.DatabaseRDS
	DatabaseAurora = database.DatabaseAurora
)

// NewDatabase creates the database building block (database.New).
func NewDatabase(scope constructs.Construct, id string, o *DatabaseOptions) Database {
	return database.New(scope, id, o)
}

// Cache is the cache building block (see package cache).
type Cache = cache.Cache

// CacheProps configures the cache building block.
type CacheProps = cache.Props

// CacheOptions configures NewCache.
type CacheOptions = cache.Options

// CacheEngine selects the ElastiCache engine.
type CacheEngine = cache.CacheEngine

// Cache engines.
const (
	CacheValkey = cache.CacheValkey
	CacheRedis  = cache.CacheRedis
	CacheNone   = cache.CacheNone
)

// NewCache creates the cache building block (cache.New).
func NewCache(scope constructs.Construct, id string, o *CacheOptions) Cache {
	return cache.New(scope, id, o)
}
