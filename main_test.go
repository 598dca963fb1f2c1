package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is an io.Writer that run's goroutines and the test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envOf is a getenv that sees only vars, so that the developer's own
// VODBOARD_* variables cannot change what a test runs.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// servingLine is what run prints once it listens: the real address, also
// when -addr asked for port 0.
var servingLine = regexp.MustCompile(`is serving on (http://\S+)`)

// server is a vodboard started with run() in the background.
type server struct {
	URL            string
	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan error
}

// startServer runs the program with -addr 127.0.0.1:0 (the kernel picks a
// free port; run prints the address it got), waits until /healthz answers
// and stops it at the end of the test, requiring a clean shutdown. Its log
// is shown when the test fails.
// testSessionKey is the session key of the servers tests start.
var testSessionKey = strings.Repeat("5e", 32)

var (
	thumbDirOnce sync.Once
	thumbDir     string
	thumbDirErr  error
)

// sharedThumbDir is the thumbnail cache of every server this test binary
// starts (one at a time), removed by TestMain.
func sharedThumbDir(t *testing.T) string {
	thumbDirOnce.Do(func() { thumbDir, thumbDirErr = os.MkdirTemp("", "vodboard-test-thumbs-") })
	if thumbDirErr != nil {
		t.Fatal(thumbDirErr)
	}
	return thumbDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if thumbDir != "" {
		os.RemoveAll(thumbDir)
	}
	os.Exit(code)
}

func startServer(t *testing.T, extraArgs ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan error, 1)}
	// Thumbnails are cached in the test binary's own directory, not the
	// user's, and one session key keeps their names across the servers the
	// browser tests start: each demo original is resized once a run, not
	// once a test, on a machine where -race makes that slow. Requests get
	// the longest deadline, for the same reason.
	args := append([]string{"vodboard", "-addr", "127.0.0.1:0", "-thumb-cache-dir", sharedThumbDir(t),
		"-session-key", testSessionKey, "-request-timeout", "5m"}, extraArgs...)
	go func() { s.done <- run(ctx, args, envOf(nil), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		// A thumbnail being resized finishes before the server stops: a
		// 6000x4000 original takes seconds under -race on a loaded machine.
		if err := s.stop(time.Minute); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if t.Failed() {
			t.Logf("vodboard stdout:\n%s\nvodboard stderr:\n%s", s.stdout, s.stderr)
		}
	})

	deadline := time.Now().Add(15 * time.Second)
	for s.URL == "" {
		if m := servingLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.URL = m[1]
			break
		}
		select {
		case err := <-s.done:
			s.done <- err // for stop
			t.Fatalf("run returned before serving: %v\nstderr:\n%s", err, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("run printed no %q line within 15s; stdout:\n%s", "is serving on", s.stdout)
		}
	}

	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz not up within 15s: %v", s.URL, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop cancels run's context and returns what run returned.
func (s *server) stop(timeout time.Duration) error {
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // stop may be called again (test, then cleanup)
		return err
	case <-time.After(timeout):
		return fmt.Errorf("run did not return within %s of the context ending", timeout)
	}
}

func TestRunHelp(t *testing.T) {
	for _, args := range [][]string{
		{"vodboard", "-h"},
		{"vodboard", "--help"},
		{"vodboard", "emulator", "-h"},
	} {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stdout, stderr lockedBuffer
			if err := run(ctx, args, envOf(nil), &stdout, &stderr); err != nil {
				t.Fatalf("run(%q) = %v, want nil", args, err)
			}
			usage := stdout.String() + stderr.String()
			want := []string{"Usage: vodboard", "-addr"}
			if args[1] != "emulator" {
				want = append(want, "-mode", "-session-key", "VODBOARD_ADDR")
			} else {
				want = append(want, "vodboard emulator", "-catalog")
			}
			for _, w := range want {
				if !strings.Contains(usage, w) {
					t.Errorf("usage lacks %q:\n%s", w, usage)
				}
			}
		})
	}
}

func TestRunBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want []string // all must appear in the error
	}{
		{"mode", []string{"-mode", "nonsense"}, nil, []string{"-mode", "nonsense"}},
		{"mode from env", nil, map[string]string{"VODBOARD_MODE": "nonsense"}, []string{"VODBOARD_MODE", "nonsense"}},
		{"short session key", []string{"-session-key", "abc123"}, nil, []string{"-session-key", "64"}},
		{"session key not hex", []string{"-session-key", strings.Repeat("zz", 32)}, nil, []string{"-session-key", "hex"}},
		{"addr", []string{"-addr", "localhost"}, nil, []string{"-addr"}},
		{"region", []string{"-region", "mars-1"}, nil, []string{"-region", "mars-1"}},
		{"log level", []string{"-log-level", "loud"}, nil, []string{"-log-level", "loud"}},
		{"log format", []string{"-log-format", "xml"}, nil, []string{"-log-format", "xml", "text or json"}},
		{"metrics address", nil, map[string]string{"VODBOARD_METRICS_ADDR": "9090"}, []string{"-metrics-addr", "VODBOARD_METRICS_ADDR", "host:port"}},
		{"endpoint in demo mode", []string{"-endpoint", "http://127.0.0.1:9000"}, nil, []string{"-endpoint", "demo"}},
		{"server credentials in demo mode", []string{"-server-credentials"}, nil, []string{"-server-credentials"}},
		{"public url", []string{"-public-url", "ftp://example.com"}, nil, []string{"-public-url"}},
		{"trusted proxies", []string{"-trusted-proxies", "10.0.0.0/99"}, nil, []string{"-trusted-proxies"}},
		{"unknown flag", []string{"-colour", "blue"}, nil, []string{"colour"}},
		{"stray argument", []string{"serve"}, nil, []string{`"serve"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stdout, stderr lockedBuffer
			args := append([]string{"vodboard"}, tc.args...)
			// The address is free, in case a bad setting were not refused
			// and run started serving: it would then end with ctx.
			if tc.name != "addr" {
				args = append(args, "-addr", "127.0.0.1:0")
			}
			err := run(ctx, args, envOf(tc.env), &stdout, &stderr)
			if err == nil {
				t.Fatalf("run(%q, env %v) = nil, want an error naming %q", args, tc.env, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(stdout.String(), "is serving") {
				t.Errorf("run served despite the bad setting: %s", &stdout)
			}
		})
	}
}

func TestRunServesAndShutsDown(t *testing.T) {
	s := startServer(t)
	if !strings.Contains(s.stdout.String(), "demo mode") {
		t.Errorf("with nothing configured, want demo mode; stdout: %s", s.stdout)
	}
	client := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	resp, err := client.Get(s.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var health struct{ Status string }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &health) != nil || health.Status != "ok" {
		t.Errorf("GET /healthz = %s %q, want 200 {\"status\":\"ok\"}", resp.Status, body)
	}

	// Signed out, the dashboard sends the visitor to the sign-in page.
	resp, err = client.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("GET / signed out = %s, Location %q; want 303 to /login", resp.Status, loc)
	}

	if err := s.stop(15 * time.Second); err != nil {
		t.Fatalf("run after the context ended = %v, want nil", err)
	}
	if resp, err := client.Get(s.URL + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("%s still answers after shutdown", s.URL)
	}
}
