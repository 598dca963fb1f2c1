package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"vodboard/internal/redistest"
)

// TestRunDemo starts the whole program in demo mode, as main does, on a
// free port, signs in with one click over real HTTP and opens the demo's
// first example, then shuts it down.
func TestRunDemo(t *testing.T) {
	t.Parallel()
	demoCatalog(t) // skip while the catalog is empty
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &logBuffer{}, &logBuffer{}
	cfg := Config{Addr: "127.0.0.1:0", Mode: "demo", Region: "cn-shanghai", LogLevel: "info"}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, stdout, stderr) }()

	serving := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)
	var base string
	waitFor(t, 10*time.Second, func() bool {
		if m := serving.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			return true
		}
		return false
	}, "vodboard to announce its URL")
	if base == "" {
		t.Fatalf("no URL announced; stdout %q stderr %q", stdout.String(), stderr.String())
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	get := func(path string) (*http.Response, *goquery.Document) {
		t.Helper()
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		doc, err := goquery.NewDocumentFromReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, doc
	}
	if res, _ := get("/healthz"); res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d", res.StatusCode)
	}
	_, login := get("/login")
	form := login.Find(`[data-testid="demo-form"]`)
	if form.Length() != 1 {
		t.Fatal("no demo sign-in form")
	}
	vals := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		vals.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	res, err := client.PostForm(base+form.AttrOr("action", ""), vals)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/library" {
		t.Fatalf("demo sign-in ended at %s with %d: %s", res.Request.URL, res.StatusCode, excerpt(string(body)))
	}
	if n := strings.Count(string(body), `data-testid="library-item"`); n == 0 {
		t.Error("the library the demo lands on shows no item")
	}
	_, home := get("/lookup")
	example := home.Find(`[data-testid="try-these"] a[href]`).First().AttrOr("href", "")
	if !strings.HasPrefix(example, "/images?") {
		t.Fatalf("first example %q, want an image lookup", example)
	}
	res, doc := get(example)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", example, res.StatusCode)
	}
	if live := doc.Find(`[data-testid="lookup-live"]`); live.Length() == 1 {
		// A lookup of several calls streams its results: read the stream
		// to its end as the page does.
		req, _ := http.NewRequest(http.MethodGet, base+live.AttrOr("sse-connect", ""), nil)
		req.Header.Set("Accept", "text/event-stream")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		events := parseEvents(t, string(body))
		if len(events) == 0 || events[len(events)-1].name != "done" {
			t.Fatalf("the example's stream did not end with its results: %s", excerpt(string(body)))
		}
		doc = events[len(events)-1].doc
	}
	cards := doc.Find(`[data-testid="image-card"]`).Length()
	if want := min(len(demoCatalog(t).ImageIDs()), exampleSize); cards != want {
		t.Errorf("%d image cards, want the example's %d demo images", cards, want)
	}
	if n := doc.Find(`[data-flag]`).Length(); n != 0 {
		t.Errorf("%d demo images flagged", n)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// TestRunWithRedis starts the program with its sessions in Redis, as an
// operator would, and checks the probes through an outage: /healthz stays
// 200, /readyz follows Redis, and service resumes by itself.
func TestRunWithRedis(t *testing.T) {
	t.Parallel()
	demoCatalog(t)
	srv := redistest.Start(t)
	redisURL, err := parseRedisURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &logBuffer{}, &logBuffer{}
	cfg := Config{Addr: "127.0.0.1:0", Mode: "demo", Region: "cn-shanghai", LogLevel: "info",
		SessionKeys: [][]byte{bytes.Repeat([]byte{7}, 32)}, SessionStore: "redis", RedisURL: redisURL}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, stdout, stderr) }()
	serving := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)
	var base string
	waitFor(t, time.Minute, func() bool {
		if m := serving.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			return true
		}
		return false
	}, "vodboard to announce its URL")
	if base == "" {
		t.Fatalf("no URL announced; stderr %q", stderr.String())
	}

	client := &http.Client{Timeout: time.Minute}
	status := func(path string) int {
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := status("/readyz"); got != http.StatusOK {
		t.Fatalf("/readyz with Redis up: %d", got)
	}
	srv.Stop()
	if got := status("/readyz"); got != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with Redis down: %d, want 503", got)
	}
	if got := status("/login"); got != http.StatusServiceUnavailable {
		t.Fatalf("/login with Redis down: %d, want 503", got)
	}
	if got := status("/healthz"); got != http.StatusOK {
		t.Fatalf("/healthz with Redis down: %d, want 200", got)
	}
	srv.Restart()
	waitFor(t, time.Minute, func() bool { return status("/readyz") == http.StatusOK }, "/readyz once Redis is back")
	if got := status("/login"); got != http.StatusOK {
		t.Fatalf("/login once Redis is back: %d", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
