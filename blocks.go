package djangocdk

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/djangocdk/djangocdk/blocks/cache"
	"github.com/djangocdk/djangocdk/blocks/database"
	"github.com/djangocdk/djangocdk/blocks/domain"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/network"
	"github.com/djangocdk/djangocdk/blocks/observability"
	"github.com/djangocdk/djangocdk/blocks/release"
	"github.com/djangocdk/djangocdk/blocks/secrets"
	"github.com/djangocdk/djangocdk/blocks/storage"
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

// Storage is the storage building block (see package storage).
type Storage = storage.Storage

// StorageProps configures the static/media bucket.
type StorageProps = storage.Props

// StorageOptions configures NewStorage.
type StorageOptions = storage.Options

// StaticStorage says where and how static files are stored.
type StaticStorage = storage.StaticStorage

// Static storage modes.
const (
	StaticS3Manifest = storage.StaticS3Manifest
	StaticS3         = storage.StaticS3
	StaticProject    = storage.StaticProject
)

// NewStorage creates the storage building block (storage.New).
func NewStorage(scope constructs.Construct, id string, o *StorageOptions) Storage {
	return storage.New(scope, id, o)
}

// Domain is the domain building block (see package domain).
type Domain = domain.Domain

// DomainProps serves the site on a custom domain.
type DomainProps = domain.Props

// NewDomain creates the domain building block (domain.New).
func NewDomain(scope constructs.Construct, id string, props *DomainProps) Domain {
	return domain.New(scope, id, props)
}

// Edge is the HTTPS edge building block (see package edge).
type Edge = edge.Edge

// EdgeOptions configures NewEdge.
type EdgeOptions = edge.Options

// EdgeKind selects how visitors reach the site.
type EdgeKind = edge.EdgeKind

// Edges.
const (
	EdgeCloudFront      = edge.EdgeCloudFront
	EdgeALBHTTPS        = edge.EdgeALBHTTPS
	EdgeALBHTTPInsecure = edge.EdgeALBHTTPInsecure
)

// NewEdge creates the HTTPS edge building block (edge.New).
func NewEdge(scope constructs.Construct, id string, o *EdgeOptions) Edge {
	return edge.New(scope, id, o)
}

// Observability is the observability building block (see package observability).
type Observability = observability.Observability

// ObservabilityOptions configures NewObservability.
type ObservabilityOptions = observability.Options

// AlarmsProps configures the alarms, their SNS topic and the dashboard.
type AlarmsProps = observability.Props

// Alarm names and the release metric (see package observability).
const (
	ReleaseMetricNamespace   = observability.ReleaseMetricNamespace
	ReleaseMetricName        = observability.ReleaseMetricName
	ReleaseMetricDimension   = observability.ReleaseMetricDimension
	AlarmErrorRate           = observability.AlarmErrorRate
	AlarmEdgeErrorRate       = observability.AlarmEdgeErrorRate
	AlarmLatency             = observability.AlarmLatency
	AlarmUnhealthyTargets    = observability.AlarmUnhealthyTargets
	AlarmWebTasks            = observability.AlarmWebTasks
	AlarmWorkerTasks         = observability.AlarmWorkerTasks
	AlarmReleaseFailed       = observability.AlarmReleaseFailed
	AlarmDatabaseCPU         = observability.AlarmDatabaseCPU
	AlarmDatabaseStorage     = observability.AlarmDatabaseStorage
	AlarmDatabaseConnections = observability.AlarmDatabaseConnections
	AlarmDatabaseCapacity    = observability.AlarmDatabaseCapacity
	AlarmCacheMemory         = observability.AlarmCacheMemory
	AlarmCacheEvictions      = observability.AlarmCacheEvictions
	AlarmQueueAge            = observability.AlarmQueueAge
	AlarmDeadLetters         = observability.AlarmDeadLetters
)

// NewObservability creates the observability building block (observability.New).
func NewObservability(scope constructs.Construct, id string, o *ObservabilityOptions) Observability {
	return observability.New(scope, id, o)
}

// Release is the release building block (see package release).
type Release = release.Release

// ReleaseOptions configures NewRelease.
type ReleaseOptions = release.Options

// NewRelease creates the release building block (release.New).
func NewRelease(scope constructs.Construct, id string, o *ReleaseOptions) Release {
	return release.New(scope, id, o)
}
