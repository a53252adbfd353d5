package observability

import (
	"fmt"
	"net/mail"
	"strings"
)

// Props configures the observability building block: an encrypted SNS
// topic, alarms that notify it (on ALARM and back to OK), and a CloudWatch
// dashboard with the same signals. Thresholds left at 0 take the profile's
// default (starter / production).
type Props struct {
	// Disabled removes the topic, alarms and dashboard (about 1.5 USD/month
	// of alarm metrics, 3 USD of dashboard and 1 USD of KMS key). Allowed with the
	// starter profile only: a production site always watches itself (leave
	// Email empty and subscribe your own tooling to Topic() instead). Default false.
	Disabled bool
	// Email, when set, subscribes this address to the alarm topic. AWS sends
	// a confirmation mail first; nothing arrives until it is confirmed. Default: none.
	Email string
	// ErrorRatePercent is the share of requests answered with a 5xx (by the
	// load balancer or by Django) that raises the alarm, over 3 of 5 minutes.
	// Default 5 (starter), 2 (production).
	ErrorRatePercent float64
	// LatencySeconds is the p95 target response time that raises the alarm,
	// over 15 minutes. Default 3 (starter), 1.5 (production).
	LatencySeconds float64
	// DatabaseCPUPercent is the database CPU utilization that raises the
	// alarm, over 15 minutes. Default 90 (starter), 80 (production).
	DatabaseCPUPercent int
	// DatabaseFreeStorageGiB: the RDS alarm fires when free storage stays
	// below it for 15 minutes (storage autoscaling grows the volume at 10%
	// free, so this means it did not, or reached MaxAllocatedStorageGiB).
	// Aurora has no storage alarm (its storage grows by itself); it alarms on
	// capacity at MaxCapacity instead. Default 2 (starter), 5 (production).
	DatabaseFreeStorageGiB int
	// DatabaseConnections is the number of open database connections that
	// raises the alarm, over 15 minutes (PostgreSQL on db.t4g.micro allows
	// about 80, db.t4g.medium about 400). Default 60 (starter), 300 (production).
	DatabaseConnections int
	// CacheMemoryPercent is the cache's DatabaseMemoryUsagePercentage that
	// raises the alarm, over 15 minutes. Default 80 (starter), 75 (production).
	CacheMemoryPercent int
	// QueueAgeSeconds is the age of the oldest Celery message in the SQS
	// broker queue that raises the alarm, over 15 minutes (Broker "sqs"
	// only). Default 900 (starter), 300 (production).
	QueueAgeSeconds int
}

// WithDefaults fills the thresholds left at 0 with the profile's defaults.
func (a Props) WithDefaults(prod bool) Props {
	pick := func(starter, production int) int {
		if prod {
			return production
		}
		return starter
	}
	if a.ErrorRatePercent == 0 {
		a.ErrorRatePercent = float64(pick(5, 2))
	}
	if a.LatencySeconds == 0 {
		a.LatencySeconds = 3
		if prod {
			a.LatencySeconds = 1.5
		}
	}
	if a.DatabaseCPUPercent == 0 {
		a.DatabaseCPUPercent = pick(90, 80)
	}
	if a.DatabaseFreeStorageGiB == 0 {
		a.DatabaseFreeStorageGiB = pick(2, 5)
	}
	if a.DatabaseConnections == 0 {
		a.DatabaseConnections = pick(60, 300)
	}
	if a.CacheMemoryPercent == 0 {
		a.CacheMemoryPercent = pick(80, 75)
	}
	if a.QueueAgeSeconds == 0 {
		a.QueueAgeSeconds = pick(900, 300)
	}
	return a
}

// Validate checks the alarm props; production says whether the profile is production.
func (a Props) Validate(field string, production bool) []string {
	var errs []string
	add := func(msg string, args ...any) { errs = append(errs, fmt.Sprintf(field+"."+msg, args...)) }
	if a.Disabled && production {
		add("Disabled: the production profile always has alarms (nothing else tells anyone the site is down); to route them elsewhere, leave Email empty and subscribe your tooling to the alarm topic")
	}
	if a.Email != "" {
		if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email || !strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@"):], ".") {
			add("Email: %q is not an email address; e.g. \"ops@example.com\" (no display name)", a.Email)
		}
	}
	if a.ErrorRatePercent <= 0 || a.ErrorRatePercent > 100 {
		add("ErrorRatePercent: %g is out of range; allowed: more than 0, at most 100", a.ErrorRatePercent)
	}
	if a.LatencySeconds < 0.1 || a.LatencySeconds > 60 {
		add("LatencySeconds: %g is out of range; allowed: 0.1 to 60 (the load balancer's idle timeout)", a.LatencySeconds)
	}
	if a.DatabaseCPUPercent < 10 || a.DatabaseCPUPercent > 100 {
		add("DatabaseCPUPercent: %d is out of range; allowed: 10 to 100", a.DatabaseCPUPercent)
	}
	if a.DatabaseFreeStorageGiB < 1 || a.DatabaseFreeStorageGiB > 65536 {
		add("DatabaseFreeStorageGiB: %d is out of range; allowed: 1 to 65536", a.DatabaseFreeStorageGiB)
	}
	if a.DatabaseConnections < 1 || a.DatabaseConnections > 100000 {
		add("DatabaseConnections: %d is out of range; allowed: 1 to 100000", a.DatabaseConnections)
	}
	if a.CacheMemoryPercent < 10 || a.CacheMemoryPercent > 100 {
		add("CacheMemoryPercent: %d is out of range; allowed: 10 to 100", a.CacheMemoryPercent)
	}
	if a.QueueAgeSeconds < 60 || a.QueueAgeSeconds > 14*24*3600 {
		add("QueueAgeSeconds: %d is out of range; allowed: 60 to 1209600 (14 days, the longest SQS keeps a message)", a.QueueAgeSeconds)
	}
	return errs
}
