package ecs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/djangocdk/djangocdk/appmodel"
	"github.com/djangocdk/djangocdk/blocks/cache"
	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/blocks/release"
	"github.com/djangocdk/djangocdk/blocks/storage"
	"github.com/djangocdk/djangocdk/internal/check"
)

// PropsError lists every problem found in a props struct. Each problem
// names the field and what is allowed.
type PropsError struct {
	// Construct is the props type, e.g. "DjangoEcsProps".
	Construct string
	// Problems holds one message per invalid field.
	Problems []string
}

// Error renders all problems, one per line.
func (e *PropsError) Error() string {
	return fmt.Sprintf("invalid %s:\n  - %s", e.Construct, strings.Join(e.Problems, "\n  - "))
}

// Validate applies the defaults and reports every invalid field at once, as a
// *PropsError, or nil. NewDjangoEcs calls it and panics with the error, so
// bad props fail at synth before anything reaches AWS.
func (p DjangoEcsProps) Validate() error {
	r := p.resolved()
	var errs []string
	add := func(msg string, args ...any) { errs = append(errs, fmt.Sprintf(msg, args...)) }

	switch {
	case r.Image == nil && r.ProjectPath == "":
		add("ProjectPath: required (the Django project directory with a Dockerfile), unless Image is set")
	case r.Image == nil:
		df := filepath.Join(r.ProjectPath, r.Dockerfile)
		if _, err := os.Stat(df); err != nil {
			add("ProjectPath/Dockerfile: %s not found; the project directory must contain the Dockerfile", df)
		}
	}
	errs = append(errs, appmodel.ValidateSettingsModule("SettingsModule", r.SettingsModule)...)
	errs = append(errs, check.OneOf("Profile", r.Profile, ProfileStarter, ProfileProduction)...)
	errs = append(errs, check.OneOf("Architecture", r.Architecture, ArchARM64, ArchX86)...)
	errs = append(errs, check.OneOf("Broker", r.Broker, BrokerCache, BrokerSQS)...)
	errs = append(errs, r.Network.Validate("Network", r.requiredEndpoints())...)
	errs = append(errs, r.Database.Validate("Database")...)
	errs = append(errs, r.Cache.Validate("Cache")...)
	if r.Broker == BrokerCache && r.Cache.Engine == cache.CacheNone {
		add("Broker: \"cache\" needs a cache but Cache.Engine is \"none\"; set Cache.Engine to \"valkey\" or \"redis\", or Broker to \"sqs\"")
	}
	if _, ok := edge.PriceClasses[r.Storage.PriceClass]; !ok {
		add("Storage.PriceClass: %q is not allowed; allowed: \"PriceClass_100\", \"PriceClass_200\", \"PriceClass_All\"", r.Storage.PriceClass)
	}
	if r.Domain != nil {
		errs = append(errs, r.Domain.Validate("Domain")...)
	}
	errs = append(errs, check.OneOf("Edge", r.Edge, edge.EdgeCloudFront, edge.EdgeALBHTTPS, edge.EdgeALBHTTPInsecure)...)
	switch {
	case r.Edge == edge.EdgeALBHTTPS && r.Domain == nil:
		add("Edge: \"alb-https\" needs Domain (the load balancer's certificate is for the domain); without a domain use \"cloudfront\" (HTTPS on the distribution's own name)")
	case r.Edge == edge.EdgeALBHTTPInsecure && r.Profile == ProfileProduction:
		add("Edge: \"alb-http-insecure\" is refused with the production profile: sessions and passwords would cross the internet in clear; use \"cloudfront\" (HTTPS without a domain) or \"alb-https\" with Domain")
	case r.Edge == edge.EdgeALBHTTPInsecure && r.Domain != nil:
		add("Edge: \"alb-http-insecure\" with Domain would serve the domain over plain HTTP; use \"alb-https\" or \"cloudfront\"")
	}
	errs = append(errs, validateProcess("Web", r.Web.Command, r.Web.Size)...)
	errs = append(errs, r.Web.Scaling.validate("Web.Scaling", 1)...)
	if r.Web.Port < 1 || r.Web.Port > 65535 {
		add("Web.Port: %d is not a TCP port; allowed: 1 to 65535", r.Web.Port)
	}
	if !strings.HasPrefix(r.Web.HealthCheckPath, "/") {
		add("Web.HealthCheckPath: %q must start with \"/\"", r.Web.HealthCheckPath)
	}
	if !r.Worker.Disabled {
		errs = append(errs, validateProcess("Worker", r.Worker.Command, r.Worker.Size)...)
		errs = append(errs, r.Worker.Scaling.validate("Worker.Scaling", 0)...)
	}
	if r.Beat.Enabled {
		errs = append(errs, validateProcess("Beat", r.Beat.Command, r.Beat.Size)...)
	}
	if r.Beat.DesiredCount != 1 {
		add("Beat.DesiredCount: %d is not allowed; allowed: 1 (two schedulers would send every periodic task twice)", r.Beat.DesiredCount)
	}
	if !r.Release.Disabled {
		if len(r.Release.Commands) == 0 {
			add("Release.Commands: must not be empty; set Release.Disabled to skip the release step")
		}
		for i, c := range r.Release.Commands {
			if msg := appmodel.ValidateCommand(fmt.Sprintf("Release.Commands[%d]", i), c); msg != "" {
				add("%s", msg)
			}
		}
		if r.Release.Timeout < time.Minute || r.Release.Timeout > release.MaxTimeout {
			add("Release.Timeout: %s is out of range; allowed: 1m to %s (CloudFormation waits at most one hour for the step)", r.Release.Timeout, release.MaxTimeout)
		}
		if msg := validateTaskSize("Release.Size", r.Release.Size); msg != "" {
			add("%s", msg)
		}
	}
	errs = append(errs, check.OneOf("Storage.StaticStorage", r.Storage.StaticStorage, storage.StaticS3Manifest, storage.StaticS3, storage.StaticProject)...)
	errs = append(errs, appmodel.ValidateExtraNames("Environment", check.Keys(r.Environment))...)
	errs = append(errs, appmodel.ValidateExtraNames("Secrets", check.Keys(r.Secrets))...)
	errs = append(errs, appmodel.ValidatePlaceholders("Environment", r.Environment)...)
	errs = append(errs, r.Alarms.Validate("Alarms", r.Profile == ProfileProduction)...)
	for i, arg := range r.EntryPoint {
		if strings.TrimSpace(arg) == "" {
			add("EntryPoint: item %d must not be blank", i)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &PropsError{Construct: "DjangoEcsProps", Problems: errs}
}

func (s Scaling) validate(field string, minAllowed int) []string {
	var errs []string
	if s.MinTasks < minAllowed {
		errs = append(errs, fmt.Sprintf("%s.MinTasks: %d is below %d", field, s.MinTasks, minAllowed))
	}
	if s.MinTasks > s.MaxTasks {
		errs = append(errs, fmt.Sprintf("%s: MinTasks (%d) is greater than MaxTasks (%d); allowed: MinTasks <= MaxTasks", field, s.MinTasks, s.MaxTasks))
	}
	if s.MaxTasks > 100 {
		errs = append(errs, fmt.Sprintf("%s.MaxTasks: %d is above 100", field, s.MaxTasks))
	}
	if s.CPUTargetPercent < 10 || s.CPUTargetPercent > 90 {
		errs = append(errs, fmt.Sprintf("%s.CPUTargetPercent: %d is out of range; allowed: 10 to 90", field, s.CPUTargetPercent))
	}
	if s.RequestsPerTarget < 1 {
		errs = append(errs, fmt.Sprintf("%s.RequestsPerTarget: %d must be at least 1", field, s.RequestsPerTarget))
	}
	return errs
}

func validateProcess(field string, command []string, size TaskSize) []string {
	var errs []string
	if msg := appmodel.ValidateCommand(field+".Command", command); msg != "" {
		errs = append(errs, msg)
	}
	if msg := validateTaskSize(field+".Size", size); msg != "" {
		errs = append(errs, msg)
	}
	return errs
}
