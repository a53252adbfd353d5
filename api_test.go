package djangocdk_test

import (
	"testing"

	"github.com/djangocdk/djangocdk"
)

// TestRootAPIKeepsItsSpellings compiles the root package's names as users
// of the library wrote them before the code moved into packages: the blocks'
// options with their embedded props fields, the contract's helpers.
func TestRootAPIKeepsItsSpellings(t *testing.T) {
	_ = djangocdk.DatabaseOptions{DatabaseProps: djangocdk.DatabaseProps{Engine: djangocdk.DatabaseRDS}}
	_ = djangocdk.CacheOptions{CacheProps: djangocdk.CacheProps{Engine: djangocdk.CacheValkey}}
	_ = djangocdk.StorageOptions{StorageProps: djangocdk.StorageProps{StaticStorage: djangocdk.StaticS3}}
	_ = djangocdk.ObservabilityOptions{AlarmsProps: djangocdk.AlarmsProps{Email: "ops@example.com"}}
	_ = djangocdk.NetworkProps{NatMode: djangocdk.NatInstance, Endpoints: []djangocdk.Endpoint{djangocdk.EndpointS3}}
	if !djangocdk.UsesLauncher(djangocdk.LauncherEntryPoint) || len(djangocdk.PlaceholderNames()) == 0 {
		t.Error("contract helpers through the root package")
	}
}
