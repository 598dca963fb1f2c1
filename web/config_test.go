package web

import (
	"bytes"
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
			e := echo.New()
			e.IPExtractor = ipExtractor(cfg)
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.remote
			req.Header.Set("X-Forwarded-For", "203.0.113.7")
			if got := e.NewContext(req, httptest.NewRecorder()).RealIP(); got != tc.want {
				t.Errorf("RealIP = %s, want %s", got, tc.want)
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
