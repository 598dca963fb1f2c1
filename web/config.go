package web

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	PublicURL         *url.URL // -public-url, VODBOARD_PUBLIC_URL: the URL users open, when behind a proxy
	TrustedProxies    []*net.IPNet
	LogLevel          string // -log-level, VODBOARD_LOG_LEVEL
}

// Demo reports whether the dashboard runs against its built-in emulator.
func (c Config) Demo() bool { return c.Mode == "demo" }

// Secure reports whether users reach the dashboard over HTTPS.
func (c Config) Secure() bool { return c.PublicURL != nil && c.PublicURL.Scheme == "https" }

type setting struct {
	flag, env, def, help string
}

var settings = []setting{
	{"addr", "VODBOARD_ADDR", "127.0.0.1:8080", "address to listen on"},
	{"mode", "VODBOARD_MODE", "demo", "demo (built-in VOD emulator, no account needed) or cloud (a real Alibaba Cloud account)"},
	{"region", "VODBOARD_REGION", "cn-shanghai", "default VOD region of the sign-in form"},
	{"endpoint", "VODBOARD_ENDPOINT", "", "override the VOD endpoint (vod.<region>.aliyuncs.com); a scheme is allowed: http://127.0.0.1:9000"},
	{"session-key", "VODBOARD_SESSION_KEY", "", "hex key of 64+ characters for session cookies and stored credentials; several, comma-separated, newest first, to rotate. Unset: a random key, and sessions end at restart"},
	{"server-credentials", "VODBOARD_SERVER_CREDENTIALS", "false", "offer \"Continue with server credentials\" (the credentials-go default chain: env, profile, ECS RAM role...) to signed-in users"},
	{"public-url", "VODBOARD_PUBLIC_URL", "", "the URL users open, e.g. https://vod.example.com behind a TLS proxy: https turns on Secure cookies and HSTS"},
	{"trusted-proxies", "VODBOARD_TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (sign-in rate limits are per client IP)"},
	{"log-level", "VODBOARD_LOG_LEVEL", "info", "debug, info, warn or error"},
}

// ParseConfig reads flags, falling back to the environment, and validates
// the result. Errors name the setting.
func ParseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("vodboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := make(map[string]*string, len(settings))
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		vals[s.flag] = fs.String(s.flag, def, fmt.Sprintf("%s (env %s)", s.help, s.env))
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vodboard [flags]          serve the dashboard")
		fmt.Fprintln(stderr, "       vodboard emulator [flags] serve only the VOD API emulator (vodboard emulator -h)")
		fmt.Fprintln(stderr, "\nWith nothing set, vodboard starts in demo mode on http://127.0.0.1:8080.\n\nFlags (each also read from the environment variable named):")
		fs.PrintDefaults()
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
	get := func(name string) string { return strings.TrimSpace(*vals[name]) }

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
	if !slices.Contains(vodclient.Regions, cfg.Region) {
		return Config{}, fmt.Errorf("-region / VODBOARD_REGION %q: want one of %s", cfg.Region, strings.Join(vodclient.Regions, ", "))
	}
	if cfg.Endpoint != "" {
		if cfg.Demo() {
			return Config{}, errors.New("-endpoint / VODBOARD_ENDPOINT is for -mode cloud: demo mode runs its own emulator")
		}
		cred, _ := vodclient.AccessKey("check", "check")
		if _, err := vodclient.New(vodclient.Config{Region: cfg.Region, Endpoint: cfg.Endpoint, Credential: cred}); err != nil {
			return Config{}, fmt.Errorf("-endpoint / VODBOARD_ENDPOINT: %w", err)
		}
	}
	keys, err := parseSessionKeys(get("session-key"))
	if err != nil {
		return Config{}, fmt.Errorf("-session-key / VODBOARD_SESSION_KEY: %w", err)
	}
	cfg.SessionKeys = keys
	if cfg.ServerCredentials, err = strconv.ParseBool(get("server-credentials")); err != nil {
		return Config{}, fmt.Errorf("-server-credentials / VODBOARD_SERVER_CREDENTIALS %q: want true or false", get("server-credentials"))
	}
	if cfg.ServerCredentials && cfg.Demo() {
		return Config{}, errors.New("-server-credentials is for -mode cloud: demo mode signs in with the emulator's demo key")
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
	return cfg, nil
}

// errHelp is returned after -h printed the usage; run exits cleanly.
var errHelp = errors.New("help requested")

// IsHelp reports whether err only means that -h was given.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }

func parseSessionKeys(raw string) ([][]byte, error) {
	if raw == "" {
		return nil, nil
	}
	var keys [][]byte
	for i, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if len(part) < 64 {
			return nil, fmt.Errorf("key %d has %d hex characters, want at least 64 (openssl rand -hex 32)", i+1, len(part))
		}
		k, err := hex.DecodeString(part)
		if err != nil {
			return nil, fmt.Errorf("key %d is not hex", i+1)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
