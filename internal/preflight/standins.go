package preflight

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/djangocdk/djangocdk/blocks/edge"
	"github.com/djangocdk/djangocdk/internal/assembly"

	"github.com/djangocdk/djangocdk"
)

// StandInPrefix starts the value StandIns gives a variable of the project's
// own whose real value only exists in the cloud (a secret, or a value known
// after deploy): "preflight-stand-in-SENTRY_DSN". Run lists those variables
// in the report's notes.
const StandInPrefix = "preflight-stand-in-"

// Container is the synthesized web container the check reads
// (assembly.Containers): its Environment values are strings or
// CloudFormation intrinsics for values only the deployment knows, Secrets
// are names only, EntryPoint and Command are run as the task runs them.
type Container = assembly.Container

// facts are the shapes stand-ins are built from.
type facts struct {
	host, scheme, region string
	closedPort           int
}

// standIns gives each contract variable a value of the right shape when the
// template only has an intrinsic or a secret for it. A contract variable that
// is not here and arrives non-literal is an error: the list must follow the
// contract.
var standIns = map[string]func(f facts) string{
	djangocdk.EnvSecretKey:          func(facts) string { return randomString(64, secretKeyChars) },
	djangocdk.EnvAllowedHosts:       func(f facts) string { return f.host },
	djangocdk.EnvCsrfTrustedOrigins: func(f facts) string { return f.scheme + "://" + f.host },
	djangocdk.EnvDatabaseHost:       func(facts) string { return "127.0.0.1" },
	djangocdk.EnvDatabasePort:       func(f facts) string { return strconv.Itoa(f.closedPort) },
	djangocdk.EnvDatabaseName:       func(facts) string { return "preflight" },
	djangocdk.EnvDatabaseUser:       func(facts) string { return "preflight_user" },
	// The real password is random too; @ : / prove the project encodes it.
	djangocdk.EnvDatabasePassword:    func(facts) string { return "pre@flight:pass/" + randomString(16, alnum) },
	djangocdk.EnvRedisURL:            func(f facts) string { return fmt.Sprintf("rediss://127.0.0.1:%d", f.closedPort) },
	djangocdk.EnvRedisAuthToken:      func(facts) string { return randomString(32, alnum) },
	djangocdk.EnvCeleryBrokerURL:     func(f facts) string { return fmt.Sprintf("rediss://127.0.0.1:%d/1", f.closedPort) },
	djangocdk.EnvCelerySQSQueueURL:   func(f facts) string { return "https://sqs." + f.region + ".amazonaws.com/000000000000/preflight-queue" },
	djangocdk.EnvStorageBucket:       func(facts) string { return "preflight-bucket" },
	djangocdk.EnvStorageCustomDomain: func(facts) string { return cloudFrontStandIn },
	djangocdk.EnvRegion:              func(f facts) string { return f.region },
}

const (
	cloudFrontStandIn = "dpreflight.cloudfront.net"
	alnum             = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	secretKeyChars    = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)"
)

// StandIns returns the environment for a trial of the container: literal
// values are kept; every value only the deployment knows gets a stand-in of
// the right shape. Contract variables get working shapes (the database and
// cache on 127.0.0.1 at a closed port, so any query fails at once; a random
// secret key; the site's host for ALLOWED_HOSTS). A variable of the project's
// own built from deployment facts (a Fn::Join of the load balancer's name,
// say) is resolved with the same stand-ins; any other value of its own gets
// StandInPrefix+NAME. site is the URL the site will have ("https://example.com"
// or a host name; "" for a placeholder load balancer name). It is an error
// when a contract variable arrives non-literal and has no stand-in.
func StandIns(c Container, site string) (map[string]string, error) {
	env := map[string]string{}
	known := map[string]string{} // canonical intrinsic -> stand-in value
	var deferred, problems []string
	port, err := closedPort()
	if err != nil {
		return nil, err
	}
	f := siteFacts(c.Environment, site, port)
	contract := contractNames()
	for _, name := range sortedKeys(c.Environment) {
		value := c.Environment[name]
		if s, ok := literal(value); ok {
			env[name] = s
			continue
		}
		if !contract[name] {
			deferred = append(deferred, name)
			continue
		}
		standIn, ok := standIns[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: the template gives a non-literal value (%s) and the check has no stand-in for it", name, canonical(value)))
			continue
		}
		env[name] = standIn(f)
		known[canonical(value)] = env[name]
	}
	for _, name := range c.Secrets {
		switch standIn, ok := standIns[name]; {
		case ok:
			env[name] = standIn(f)
		case contract[name]:
			problems = append(problems, fmt.Sprintf("%s: injected as a secret and the check has no stand-in for it", name))
		default:
			env[name] = StandInPrefix + name
		}
	}
	for _, name := range deferred {
		if s, ok := resolve(c.Environment[name], known); ok {
			env[name] = s
		} else {
			env[name] = StandInPrefix + name
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("preflight stand-ins: %s", strings.Join(problems, "; "))
	}
	return env, nil
}

// siteFacts derives the site's host and scheme and the region.
func siteFacts(environment map[string]any, site string, port int) facts {
	f := facts{region: "us-east-1", closedPort: port}
	if s, ok := literal(environment[djangocdk.EnvRegion]); ok && s != "" {
		f.region = s
	}
	site = strings.TrimSpace(site)
	if u, err := url.Parse(site); err == nil && u.Scheme != "" && u.Host != "" {
		f.scheme, f.host = u.Scheme, u.Host
	} else {
		f.host, _, _ = strings.Cut(site, "/")
	}
	if f.host == "" {
		f.host = "preflight-lb-0123456789." + f.region + ".elb.amazonaws.com"
		if s, _ := literal(environment[djangocdk.EnvForwardedProtoHeader]); s == edge.ForwardedProtoCloudFront {
			f.host = cloudFrontStandIn // the site is the distribution's own name
		}
	}
	if f.scheme == "" {
		f.scheme = "http"
		if s, _ := literal(environment[djangocdk.EnvHTTPS]); s == "true" {
			f.scheme = "https"
		}
	}
	return f
}

// literal reports whether a template value is a plain value, and its text.
func literal(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64, bool, json.Number, int:
		return fmt.Sprint(v), true
	case nil:
		return "", true
	}
	return "", false
}

// resolve evaluates a value built from literals and intrinsics whose stand-in
// is known (Fn::Join of them, nested).
func resolve(v any, known map[string]string) (string, bool) {
	if s, ok := literal(v); ok {
		return s, true
	}
	if s, ok := known[canonical(v)]; ok {
		return s, true
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", false
	}
	args, ok := m["Fn::Join"].([]any)
	if !ok || len(args) != 2 {
		return "", false
	}
	sep, ok1 := args[0].(string)
	items, ok2 := args[1].([]any)
	if !ok1 || !ok2 {
		return "", false
	}
	parts := make([]string, len(items))
	for i, item := range items {
		if parts[i], ok = resolve(item, known); !ok {
			return "", false
		}
	}
	return strings.Join(parts, sep), true
}

// canonical is the JSON text of a template value (map keys sorted).
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func contractNames() map[string]bool {
	names := map[string]bool{}
	for _, v := range djangocdk.Contract {
		names[v.Name] = true
	}
	return names
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// closedPort returns a loopback port nothing listens on: connections to it
// are refused at once.
func closedPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("preflight stand-ins: no free loopback port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}

func randomString(n int, chars string) string {
	out := make([]byte, n)
	limit := big.NewInt(int64(len(chars)))
	for i := range out {
		k, err := rand.Int(rand.Reader, limit)
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		out[i] = chars[k.Int64()]
	}
	return string(out)
}
