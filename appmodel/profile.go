package appmodel

// Profile selects a coherent set of defaults.
type Profile string

const (
	// ProfileStarter is cheap: single-AZ database, one NAT gateway, small tasks,
	// no deletion protection. Data is still snapshotted/retained on removal.
	ProfileStarter Profile = "starter"
	// ProfileProduction is resilient: Multi-AZ database and cache, one NAT
	// gateway per AZ, deletion protection, longer log and backup retention.
	ProfileProduction Profile = "production"
)

// Broker selects the Celery message broker.
type Broker string

const (
	// BrokerCache uses the Valkey/Redis cache as the Celery broker (default).
	BrokerCache Broker = "cache"
	// BrokerSQS uses an SQS queue as the Celery broker.
	BrokerSQS Broker = "sqs"
)
