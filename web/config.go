package web

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"vodboard/session"
	"vodboard/vodclient"
)

// Config is everything the operator can set, from flags or the
// environment (flags win).
type Config struct {
	Addr              string   // -addr, VODBOARD_ADDR
	Mode              string   // -mode, VODBOARD_MODE: "demo" or "cloud"
	Region            string   // -region, VODBOARD_REGION: default region of the sign-in form
	Endpoint          string   // -endpoint, VODBOARD_ENDPOINT: VOD endpoint override
	SessionKeys       [][]byte // -session-key, VODBOARD_SESSION_KEY: newest first; empty means random
	ServerCredentials bool     // -server-credentials, VODBOARD_SERVER_CREDENTIALS
	// ServerCredentialsPassword unlocks the server's credentials for a
	// user (VODBOARD_SERVER_CREDENTIALS_PASSWORD, environment only).
	ServerCredentialsPassword string
	PublicURL                 *url.URL // -public-url, VODBOARD_PUBLIC_URL: the URL users open, when behind a proxy
	TrustedProxies            []*net.IPNet
	LogLevel                  string // -log-level, VODBOARD_LOG_LEVEL
	LogFormat                 string // -log-format, VODBOARD_LOG_FORMAT: "text" or "json"
	// MetricsAddr is -metrics-addr, VODBOARD_METRICS_ADDR: where Prometheus
	// metrics are served, on a listener of their own; "" serves none.
	MetricsAddr string
	// SessionStore is -session-store, VODBOARD_SESSION_STORE: "memory" (or
	// empty) keeps sessions in this process, "redis" in RedisURL's Redis,
	// shared by every instance.
	SessionStore string
	RedisURL     RedisURL // -redis-url, VODBOARD_REDIS_URL
	// RequestTimeout is -request-timeout, VODBOARD_REQUEST_TIMEOUT: the
	// deadline of a whole request, every VOD call and retry included;
	// 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxInflight is -max-inflight, VODBOARD_MAX_INFLIGHT: requests served
	// at once, past which new ones are shed with 503; 0 means
	// DefaultMaxInflight.
	MaxInflight int
	// Thumbnails is -thumbnails, VODBOARD_THUMBNAILS: grids and lists show
	// light thumbnails made by vodboard (on by default from the flags; the
	// zero Config has them off) rather than the signed originals.
	Thumbnails bool
	// ThumbCacheDir is -thumb-cache-dir, VODBOARD_THUMB_CACHE_DIR: where
	// thumbnails are cached; "" means defaultThumbCacheDir().
	ThumbCacheDir string
	// ThumbCacheSize is -thumb-cache-size, VODBOARD_THUMB_CACHE_SIZE: the
	// cache's bound in bytes; 0 means DefaultThumbCacheSize.
	ThumbCacheSize int64
}

// Defaults of the load settings.
const (
	DefaultRequestTimeout = 20 * time.Second
	DefaultMaxInflight    = 128
	// maxRequestTimeout bounds -request-timeout: longer, nobody is waiting.
	maxRequestTimeout = 5 * time.Minute
	// writeMargin is how much longer than the request deadline the server
	// lets a response take to write, so every answer, errors included,
	// is sent whole.
	writeMargin = 10 * time.Second
)

// requestTimeout is RequestTimeout or its default.
func (c Config) requestTimeout() time.Duration {
	if c.RequestTimeout > 0 {
		return c.RequestTimeout
	}
	return DefaultRequestTimeout
}

// maxInflight is MaxInflight or its default.
func (c Config) maxInflight() int {
	if c.MaxInflight > 0 {
		return c.MaxInflight
	}
	return DefaultMaxInflight
}

// RedisURL is a redis:// or rediss:// URL. It prints with its password
// redacted, so logging a Config leaks nothing.
type RedisURL struct{ u *url.URL }

// IsZero reports whether no URL was given.
func (r RedisURL) IsZero() bool { return r.u == nil }

// String returns the URL with its password replaced by "xxxxx".
func (r RedisURL) String() string {
	if r.u == nil {
		return ""
	}
	return r.u.Redacted()
}

// Options returns the go-redis options the URL describes.
func (r RedisURL) Options() (*redis.Options, error) {
	if r.u == nil {
		return nil, errors.New("no Redis URL")
	}
	opts, err := redis.ParseURL(r.u.String())
	if err != nil {
		// Its errors can quote the URL, password included.
		return nil, errors.New("-redis-url / VODBOARD_REDIS_URL: not a usable Redis URL")
	}
	return opts, nil
}

// parseRedisURL checks raw without ever quoting it: it may hold a password.
func parseRedisURL(raw string) (RedisURL, error) {
	const want = "want redis://[user:password@]host[:port][/database] or rediss:// for TLS"
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Hostname() == "" || u.Opaque != "" {
		return RedisURL{}, errors.New("-redis-url / VODBOARD_REDIS_URL: " + want)
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		if n, err := strconv.Atoi(db); err != nil || n < 0 {
			return RedisURL{}, errors.New("-redis-url / VODBOARD_REDIS_URL: the database (the path) must be a number, e.g. redis://127.0.0.1:6379/0")
		}
	}
	r := RedisURL{u: u}
	if _, err := r.Options(); err != nil {
		return RedisURL{}, errors.New("-redis-url / VODBOARD_REDIS_URL: " + want)
	}
	return r, nil
}

// Demo reports whether the dashboard runs against its built-in emulator.
func (c Config) Demo() bool { return c.Mode == "demo" }

// Secure reports whether users reach the dashboard over HTTPS.
func (c Config) Secure() bool { return c.PublicURL != nil && c.PublicURL.Scheme == "https" }

type setting struct {
	flag, env, def, help string
	isBool               bool
}

var settings = []setting{
	{flag: "addr", env: "VODBOARD_ADDR", def: "127.0.0.1:8080", help: "address to listen on"},
	{flag: "mode", env: "VODBOARD_MODE", def: "demo", help: "demo (built-in VOD emulator, no account needed) or cloud (a real Alibaba Cloud account)"},
	{flag: "region", env: "VODBOARD_REGION", def: "cn-shanghai", help: "default VOD region of the sign-in form"},
	{flag: "endpoint", env: "VODBOARD_ENDPOINT", help: "override the VOD endpoint (vod.<region>.aliyuncs.com); a scheme is allowed: http://127.0.0.1:9000"},
	{flag: "session-key", env: "VODBOARD_SESSION_KEY", help: "hex key of 64+ characters for session cookies and stored credentials; several, comma-separated, newest first, to rotate. Unset: a random key, and sessions end at restart"},
	{flag: "server-credentials", env: "VODBOARD_SERVER_CREDENTIALS", def: "false", isBool: true, help: "offer \"Continue with server credentials\" (the credentials-go default chain: env, profile, ECS RAM role...) to users who know the password in " + serverCredentialsPasswordEnv},
	{flag: "public-url", env: "VODBOARD_PUBLIC_URL", help: "the URL users open, e.g. https://vod.example.com behind a TLS proxy: https turns on Secure cookies and HSTS"},
	{flag: "trusted-proxies", env: "VODBOARD_TRUSTED_PROXIES", help: "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (sign-in rate limits are per client IP)"},
	{flag: "log-level", env: "VODBOARD_LOG_LEVEL", def: "info", help: "debug, info, warn or error"},
	{flag: "log-format", env: "VODBOARD_LOG_FORMAT", def: "text", help: "text (logfmt) or json, one object a line"},
	{flag: "metrics-addr", env: "VODBOARD_METRICS_ADDR", help: "host:port to serve Prometheus metrics on (GET /metrics), a listener of its own; unset: no metrics. Keep it private, e.g. 127.0.0.1:9090"},
	{flag: "session-store", env: "VODBOARD_SESSION_STORE", def: "memory", help: "where sessions and sign-in limits live: memory (this process; one instance) or redis (shared by several instances; needs -redis-url and -session-key)"},
	{flag: "redis-url", env: "VODBOARD_REDIS_URL", help: "redis://[user:password@]host[:port][/database], or rediss:// for TLS; prefer the environment variable, which keeps the password out of the process list"},
	{flag: "request-timeout", env: "VODBOARD_REQUEST_TIMEOUT", def: "20s", help: "deadline of a whole request, every VOD call and retry included (1s to 5m); the server's write timeout is 10s longer"},
	{flag: "max-inflight", env: "VODBOARD_MAX_INFLIGHT", def: "128", help: "requests served at once; past it new ones are answered 503 with Retry-After at once (health checks and static files are never shed)"},
	{flag: "thumbnails", env: "VODBOARD_THUMBNAILS", def: "true", isBool: true, help: "grids and lists show light thumbnails (400 px JPEGs) that vodboard makes from the signed originals and caches on disk; false shows the originals, loaded by the browser from VOD"},
	{flag: "thumb-cache-dir", env: "VODBOARD_THUMB_CACHE_DIR", help: "directory of the thumbnail cache, one per instance (default: vodboard/thumbnails in the user cache directory, e.g. ~/.cache)"},
	{flag: "thumb-cache-size", env: "VODBOARD_THUMB_CACHE_SIZE", def: "256MiB", help: "bound of the thumbnail cache on disk, e.g. 256MiB or 2GiB; the least recently used go first"},
}

// serverCredentialsPasswordEnv holds the password that unlocks the server's
// credentials. It is read from the environment only, so that it shows in
// neither the process list nor -h.
const serverCredentialsPasswordEnv = "VODBOARD_SERVER_CREDENTIALS_PASSWORD"

// minPasswordLength is the shortest server-credentials password accepted.
const minPasswordLength = 12

// ParseConfig reads flags, falling back to the environment for every flag
// not given, and validates the result. Errors name the setting. Values from
// the environment are never printed: -h shows only the built-in defaults.
func ParseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("vodboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bools := map[string]*bool{}
	for _, s := range settings {
		help := fmt.Sprintf("%s (env %s)", s.help, s.env)
		if s.isBool {
			bools[s.flag] = fs.Bool(s.flag, s.def == "true", help)
		} else {
			fs.String(s.flag, s.def, help)
		}
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vodboard [flags]          serve the dashboard")
		fmt.Fprintln(stderr, "       vodboard emulator [flags] serve only the VOD API emulator (vodboard emulator -h)")
		fmt.Fprintln(stderr, "\nWith nothing set, vodboard starts in demo mode on http://127.0.0.1:8080.\n\nFlags (each also read from the environment variable named):")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nEnvironment only:\n  %s\n    \tpassword (%d+ characters) that users type to continue with server credentials; required with -server-credentials\n", serverCredentialsPasswordEnv, minPasswordLength)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, errHelp
		}
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q (flags start with -; see -h)", fs.Arg(0))
	}
	// The environment fills in every flag not given, parsed as the flag is.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range settings {
		if v := strings.TrimSpace(getenv(s.env)); v != "" && !given[s.flag] {
			if err := fs.Set(s.flag, v); err != nil {
				// Only the bool flag can refuse a value.
				return Config{}, fmt.Errorf("-%s / %s %q: want true or false", s.flag, s.env, v)
			}
		}
	}
	get := func(name string) string { return strings.TrimSpace(fs.Lookup(name).Value.String()) }

	cfg := Config{
		Addr:     get("addr"),
		Mode:     get("mode"),
		Region:   get("region"),
		Endpoint: get("endpoint"),
		LogLevel: get("log-level"),
	}
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return Config{}, fmt.Errorf("-addr / VODBOARD_ADDR %q: want host:port, e.g. 127.0.0.1:8080", cfg.Addr)
	}
	if cfg.Mode != "demo" && cfg.Mode != "cloud" {
		return Config{}, fmt.Errorf("-mode / VODBOARD_MODE %q: want demo or cloud", cfg.Mode)
	}
	if !slices.Contains(vodclient.Regions(), cfg.Region) {
		return Config{}, fmt.Errorf("-region / VODBOARD_REGION %q: want one of %s", cfg.Region, strings.Join(vodclient.Regions(), ", "))
	}
	if cfg.Endpoint != "" {
		if cfg.Demo() {
			return Config{}, errors.New("-endpoint / VODBOARD_ENDPOINT is for -mode cloud: demo mode runs its own emulator")
		}
		if _, _, err := vodclient.ParseEndpoint(cfg.Endpoint); err != nil {
			return Config{}, fmt.Errorf("-endpoint / VODBOARD_ENDPOINT: %w", err)
		}
	}
	if raw := get("session-key"); raw != "" {
		keys, err := session.ParseKeys(raw)
		if err != nil {
			return Config{}, fmt.Errorf("-session-key / VODBOARD_SESSION_KEY: %w", err)
		}
		cfg.SessionKeys = keys
	}

	cfg.ServerCredentials = *bools["server-credentials"]
	if cfg.ServerCredentials {
		if cfg.Demo() {
			return Config{}, errors.New("-server-credentials is for -mode cloud: demo mode signs in with the emulator's demo key")
		}
		cfg.ServerCredentialsPassword = getenv(serverCredentialsPasswordEnv)
		if len(cfg.ServerCredentialsPassword) < minPasswordLength {
			return Config{}, fmt.Errorf("-server-credentials needs %s: a password of at least %d characters that users type to continue with the server's credentials", serverCredentialsPasswordEnv, minPasswordLength)
		}
	}
	if raw := get("public-url"); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return Config{}, fmt.Errorf("-public-url / VODBOARD_PUBLIC_URL %q: want http(s)://host[:port] with no path", raw)
		}
		u.Path = ""
		cfg.PublicURL = u
	}
	for _, cidr := range strings.Split(get("trusted-proxies"), ",") {
		if cidr = strings.TrimSpace(cidr); cidr == "" {
			continue
		}
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return Config{}, fmt.Errorf("-trusted-proxies / VODBOARD_TRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8", cidr)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, n)
	}
	switch cfg.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return Config{}, fmt.Errorf("-log-level / VODBOARD_LOG_LEVEL %q: want debug, info, warn or error", cfg.LogLevel)
	}
	if cfg.LogFormat = get("log-format"); cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return Config{}, fmt.Errorf("-log-format / VODBOARD_LOG_FORMAT %q: want text or json", cfg.LogFormat)
	}
	if cfg.MetricsAddr = get("metrics-addr"); cfg.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
			return Config{}, fmt.Errorf("-metrics-addr / VODBOARD_METRICS_ADDR %q: want host:port, e.g. 127.0.0.1:9090", cfg.MetricsAddr)
		}
		if cfg.MetricsAddr == cfg.Addr {
			return Config{}, fmt.Errorf("-metrics-addr / VODBOARD_METRICS_ADDR %q: must differ from -addr, so metrics are never served to users", cfg.MetricsAddr)
		}
	}
	if raw := get("redis-url"); raw != "" {
		r, err := parseRedisURL(raw)
		if err != nil {
			return Config{}, err
		}
		cfg.RedisURL = r
	}
	switch cfg.SessionStore = get("session-store"); cfg.SessionStore {
	case "memory":
	case "redis":
		if cfg.RedisURL.IsZero() {
			return Config{}, errors.New("-session-store redis needs -redis-url / VODBOARD_REDIS_URL")
		}
		if len(cfg.SessionKeys) == 0 {
			return Config{}, errors.New("-session-store redis needs -session-key / VODBOARD_SESSION_KEY, the same on every instance: a random key per instance could not read the others' sessions")
		}
	default:
		return Config{}, fmt.Errorf("-session-store / VODBOARD_SESSION_STORE %q: want memory or redis", cfg.SessionStore)
	}
	if raw := get("request-timeout"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < time.Second || d > maxRequestTimeout {
			return Config{}, fmt.Errorf("-request-timeout / VODBOARD_REQUEST_TIMEOUT %q: want a duration from 1s to 5m, e.g. 20s", raw)
		}
		cfg.RequestTimeout = d
	}
	if raw := get("max-inflight"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100000 {
			return Config{}, fmt.Errorf("-max-inflight / VODBOARD_MAX_INFLIGHT %q: want a number of requests from 1 to 100000, e.g. 128", raw)
		}
		cfg.MaxInflight = n
	}
	cfg.Thumbnails = *bools["thumbnails"]
	cfg.ThumbCacheDir = get("thumb-cache-dir")
	if raw := get("thumb-cache-size"); raw != "" {
		n, err := parseByteSize(raw)
		if err != nil || n < minThumbCacheSize {
			return Config{}, fmt.Errorf("-thumb-cache-size / VODBOARD_THUMB_CACHE_SIZE %q: want a size of at least 1MiB, e.g. 256MiB or 2GiB", raw)
		}
		cfg.ThumbCacheSize = n
	}
	return cfg, nil
}

// errHelp is returned after -h printed the usage; run exits cleanly.
var errHelp = errors.New("help requested")

// IsHelp reports whether err only means that -h was given.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }
