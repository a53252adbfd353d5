package djangocdk

import "github.com/djangocdk/djangocdk/contract"

// The env contract lives in package contract; these names keep the
// library's API where CDK Go users found it.

// Names of the env contract, the launcher's Derived names, the knobs and the
// processes (see package contract).
const (
	EnvSettingsModule         = contract.EnvSettingsModule
	EnvSecretKey              = contract.EnvSecretKey
	EnvDebug                  = contract.EnvDebug
	EnvAllowedHosts           = contract.EnvAllowedHosts
	EnvCsrfTrustedOrigins     = contract.EnvCsrfTrustedOrigins
	EnvHTTPS                  = contract.EnvHTTPS
	EnvForwardedProtoHeader   = contract.EnvForwardedProtoHeader
	EnvHealthCheckPath        = contract.EnvHealthCheckPath
	EnvDatabaseHost           = contract.EnvDatabaseHost
	EnvDatabasePort           = contract.EnvDatabasePort
	EnvDatabaseName           = contract.EnvDatabaseName
	EnvDatabaseUser           = contract.EnvDatabaseUser
	EnvDatabasePassword       = contract.EnvDatabasePassword
	EnvRedisURL               = contract.EnvRedisURL
	EnvRedisAuthToken         = contract.EnvRedisAuthToken
	EnvCeleryBrokerURL        = contract.EnvCeleryBrokerURL
	EnvCeleryDefaultQueue     = contract.EnvCeleryDefaultQueue
	EnvCelerySQSQueueURL      = contract.EnvCelerySQSQueueURL
	EnvStorageBucket          = contract.EnvStorageBucket
	EnvStorageCustomDomain    = contract.EnvStorageCustomDomain
	EnvRegion                 = contract.EnvRegion
	EnvStaticStorage          = contract.EnvStaticStorage
	EnvDatabaseConnectTimeout = contract.EnvDatabaseConnectTimeout
	SourcePlain               = contract.SourcePlain
	SourceSecret              = contract.SourceSecret
	SourceYou                 = contract.SourceYou
	SourceECS                 = contract.SourceECS
	EnvLogLevel               = contract.EnvLogLevel
	EnvDatabaseSSLMode        = contract.EnvDatabaseSSLMode
	EnvStorageURLProtocol     = contract.EnvStorageURLProtocol
	EnvECSMetadata            = contract.EnvECSMetadata
	EnvDatabaseURL            = contract.EnvDatabaseURL
	EnvPostgresHost           = contract.EnvPostgresHost
	EnvPostgresPort           = contract.EnvPostgresPort
	EnvPostgresDB             = contract.EnvPostgresDB
	EnvPostgresUser           = contract.EnvPostgresUser
	EnvPostgresPassword       = contract.EnvPostgresPassword
	EnvCacheURL               = contract.EnvCacheURL
	EnvCeleryBrokerURLFull    = contract.EnvCeleryBrokerURLFull
	EnvBrokerURL              = contract.EnvBrokerURL
	SourceLauncher            = contract.SourceLauncher
	ProcessWeb                = contract.ProcessWeb
	ProcessWorker             = contract.ProcessWorker
	ProcessBeat               = contract.ProcessBeat
	ProcessRelease            = contract.ProcessRelease
)

// EnvSource says how a contract variable reaches a container.
type EnvSource = contract.EnvSource

// EnvVar describes one variable of the contract.
type EnvVar = contract.EnvVar

// Tables and helpers of the contract (see package contract).
var (
	Contract           = contract.Contract
	ContractProcesses  = contract.ContractProcesses
	Knobs              = contract.Knobs
	Derived            = contract.Derived
	LauncherEntryPoint = contract.LauncherEntryPoint
)

// Provided reports whether the deployment sets name (see contract.Provided).
func Provided(name string, cache, launcher bool) bool {
	return contract.Provided(name, cache, launcher)
}

// UsesLauncher reports whether an entry point starts with the settings
// helper's launcher (see contract.UsesLauncher).
func UsesLauncher(entryPoint []string) bool { return contract.UsesLauncher(entryPoint) }

// SplitLauncher separates the launcher from the image's own entry point
// (see contract.SplitLauncher).
func SplitLauncher(entryPoint []string) (bool, []string) { return contract.SplitLauncher(entryPoint) }
