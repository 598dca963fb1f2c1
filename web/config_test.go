package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
)

func TestHelpNeverPrintsEnvironmentValues(t *testing.T) {
	key := strings.Repeat("ab", 32)
	env := map[string]string{
		"VODBOARD_SESSION_KEY":                 key,
		"VODBOARD_SERVER_CREDENTIALS_PASSWORD": "operator-password-123",
		"VODBOARD_ENDPOINT":                    "http://10.1.2.3:9000",
	}
	for _, args := range [][]string{{"-h"}, {"-no-such-flag"}} {
		var stderr bytes.Buffer
		_, _ = ParseConfig(args, func(k string) string { return env[k] }, &stderr)
		for name, v := range env {
			if strings.Contains(stderr.String(), v) {
				t.Errorf("%v: usage shows the value of %s", args, name)
			}
		}
		if !strings.Contains(stderr.String(), "VODBOARD_SESSION_KEY") {
			t.Errorf("%v: usage does not name the environment variables", args)
		}
	}
}

func TestEnvironmentAppliesUnlessAFlagIsGiven(t *testing.T) {
	env := map[string]string{
		"VODBOARD_MODE":                        "cloud",
		"VODBOARD_REGION":                      "eu-central-1",
		"VODBOARD_SERVER_CREDENTIALS":          "true",
		"VODBOARD_SERVER_CREDENTIALS_PASSWORD": "operator-password-123",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := ParseConfig(nil, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mode != "cloud" || cfg.Region != "eu-central-1" || !cfg.ServerCredentials {
		t.Errorf("from the environment: %+v", cfg)
	}
	cfg, err = ParseConfig([]string{"-region", "us-west-1", "-server-credentials=false"}, getenv, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "us-west-1" || cfg.ServerCredentials {
		t.Errorf("flags did not win over the environment: %+v", cfg)
	}

	delete(env, "VODBOARD_SERVER_CREDENTIALS_PASSWORD")
	if _, err := ParseConfig(nil, getenv, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "VODBOARD_SERVER_CREDENTIALS_PASSWORD") {
		t.Errorf("server credentials without a password: err = %v", err)
	}
}

func TestTrustedProxiesDecideTheClientIP(t *testing.T) {
	_, proxies, _ := net.ParseCIDR("10.0.0.0/8")
	for _, tc := range []struct {
		name    string
		trusted bool
		remote  string
		want    string
	}{
		{"no trusted proxy: X-Forwarded-For is ignored", false, "10.1.2.3:5000", "10.1.2.3"},
		{"from a trusted proxy: the forwarded client", true, "10.1.2.3:5000", "203.0.113.7"},
		{"from anyone else: X-Forwarded-For is ignored", true, "198.51.100.9:5000", "198.51.100.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{}
			if tc.trusted {
				cfg.TrustedProxies = []*net.IPNet{proxies}
			}
			logs := &logBuffer{}
			e := echo.New()
			e.IPExtractor = ipExtractor(cfg, slog.New(slog.NewTextHandler(logs, nil)))
			for range 3 {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.RemoteAddr = tc.remote
				req.Header.Set("X-Forwarded-For", "203.0.113.7")
				if got := e.NewContext(req, httptest.NewRecorder()).RealIP(); got != tc.want {
					t.Errorf("RealIP = %s, want %s", got, tc.want)
				}
			}
			// Behind a proxy nobody said to trust, every client has the
			// proxy's address: the operator hears of it, once.
			warnings := strings.Count(logs.String(), "level=WARN")
			if want := map[bool]int{false: 1, true: 0}[tc.trusted]; warnings != want ||
				want == 1 && !strings.Contains(logs.String(), "-trusted-proxies") {
				t.Errorf("%d warnings, want %d naming -trusted-proxies; logs:\n%s", warnings, want, logs.String())
			}
		})
	}
}

func TestRegionListsAgree(t *testing.T) {
	var shown []string
	for _, r := range views.VODRegions() {
		shown = append(shown, r.ID)
	}
	slices.Sort(shown)
	known := vodclient.Regions()
	slices.Sort(known)
	if !slices.Equal(shown, known) {
		t.Errorf("the sign-in form offers %v, the client knows %v", shown, known)
	}
}

func TestRedisSettings(t *testing.T) {
	const password = "hunter2-redis-Pa55"
	key := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string // "" means valid
	}{
		{name: "memory is the default", env: map[string]string{}},
		{name: "redis with a URL and a key", env: map[string]string{"VODBOARD_SESSION_STORE": "redis", "VODBOARD_REDIS_URL": "redis://vodboard:" + password + "@10.0.0.5:6379/2", "VODBOARD_SESSION_KEY": key}},
		{name: "TLS", args: []string{"-session-store", "redis", "-redis-url", "rediss://:" + password + "@redis.example:6380", "-session-key", key}},
		{name: "redis without a URL", env: map[string]string{"VODBOARD_SESSION_STORE": "redis", "VODBOARD_SESSION_KEY": key}, wantErr: "-session-store redis needs -redis-url / VODBOARD_REDIS_URL"},
		{name: "redis without a session key", env: map[string]string{"VODBOARD_SESSION_STORE": "redis", "VODBOARD_REDIS_URL": "redis://127.0.0.1:6379"}, wantErr: "-session-store redis needs -session-key / VODBOARD_SESSION_KEY"},
		{name: "unknown store", env: map[string]string{"VODBOARD_SESSION_STORE": "etcd"}, wantErr: "-session-store / VODBOARD_SESSION_STORE"},
		{name: "wrong scheme", env: map[string]string{"VODBOARD_REDIS_URL": "http://u:" + password + "@127.0.0.1:6379"}, wantErr: "-redis-url / VODBOARD_REDIS_URL"},
		{name: "no host", env: map[string]string{"VODBOARD_REDIS_URL": "redis://:" + password + "@/0"}, wantErr: "-redis-url / VODBOARD_REDIS_URL"},
		{name: "database not a number", env: map[string]string{"VODBOARD_REDIS_URL": "redis://:" + password + "@127.0.0.1:6379/sessions"}, wantErr: "-redis-url / VODBOARD_REDIS_URL"},
		{name: "unparsable", env: map[string]string{"VODBOARD_REDIS_URL": "redis://:" + password + "@127.0.0.1:port%zz"}, wantErr: "-redis-url / VODBOARD_REDIS_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cfg, err := ParseConfig(tc.args, func(k string) string { return tc.env[k] }, &stderr)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("err = %v, want one naming %q", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), password) || strings.Contains(stderr.String(), password) {
				t.Fatalf("the Redis password is printed: %v %s", err, stderr.String())
			}
			if err != nil {
				return
			}
			// A Config printed by mistake does not show it either.
			for _, verb := range []string{"%v", "%+v", "%#v"} {
				if s := fmt.Sprintf(verb, cfg); strings.Contains(s, password) {
					t.Errorf("Printf(%s, cfg) shows the password: %s", verb, s)
				}
			}
			if cfg.RedisURL.IsZero() {
				return
			}
			opts, err := cfg.RedisURL.Options()
			if err != nil || opts.Password != password {
				t.Fatalf("Options = %+v, %v; want the password passed on", opts, err)
			}
		})
	}
}
