package web

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestLoadSettings: -request-timeout and -max-inflight parse from flags and
// the environment, default when unset, and bad values stop the program
// with a message naming the setting.
func TestLoadSettings(t *testing.T) {
	parse := func(args []string, env map[string]string) (Config, error) {
		return ParseConfig(args, func(k string) string { return env[k] }, &bytes.Buffer{})
	}
	cfg, err := parse(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.requestTimeout() != DefaultRequestTimeout || cfg.maxInflight() != DefaultMaxInflight {
		t.Errorf("defaults: %v and %d", cfg.requestTimeout(), cfg.maxInflight())
	}
	cfg, err = parse([]string{"-request-timeout", "45s"}, map[string]string{"VODBOARD_REQUEST_TIMEOUT": "5s", "VODBOARD_MAX_INFLIGHT": "32"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RequestTimeout != 45*time.Second || cfg.MaxInflight != 32 {
		t.Errorf("flag and environment: %v and %d, want 45s and 32", cfg.RequestTimeout, cfg.MaxInflight)
	}
	if cfg.requestTimeout()+writeMargin <= cfg.requestTimeout() {
		t.Error("the write timeout is not longer than the request deadline")
	}
	for _, tc := range []struct {
		args []string
		name string
	}{
		{[]string{"-request-timeout", "soon"}, "-request-timeout / VODBOARD_REQUEST_TIMEOUT"},
		{[]string{"-request-timeout", "500ms"}, "-request-timeout / VODBOARD_REQUEST_TIMEOUT"},
		{[]string{"-request-timeout", "1h"}, "-request-timeout / VODBOARD_REQUEST_TIMEOUT"},
		{[]string{"-max-inflight", "0"}, "-max-inflight / VODBOARD_MAX_INFLIGHT"},
		{[]string{"-max-inflight", "many"}, "-max-inflight / VODBOARD_MAX_INFLIGHT"},
	} {
		if _, err := parse(tc.args, nil); err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: err = %v, want one naming %s", tc.args, err, tc.name)
		}
	}
}
