package web

import (
	"context"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// vodRequestID matches the emulator's request IDs as the error page shows
// them ("<our request ID> · VOD <theirs>").
var vodRequestID = regexp.MustCompile(`VOD [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`)

// checkErrorPage checks an error answer: status, an error element, no full
// page for htmx (an alert fragment instead), and the request ID.
func checkErrorPage(t *testing.T, p *page, status int, fragment bool, mention string) {
	t.Helper()
	if !slices.Contains(p.header.Values("Vary"), "HX-Request") {
		t.Errorf("Vary = %q, want HX-Request", p.header.Values("Vary"))
	}
	if p.isFullPage() == fragment {
		t.Errorf("full page %v, want %v", p.isFullPage(), !fragment)
	}
	e := checkError(t, p, status, mention)
	if fragment && (!e.HasClass("alert") || e.AttrOr("role", "") != "alert") {
		t.Errorf("htmx error is not an alert: %s", excerpt(p.body))
	}
}

// checkErrorAlert checks the end of a live lookup that failed (see
// browser.lookup): an alert with the status, the message and the request
// ID.
func checkErrorAlert(t *testing.T, p *page, status int, mention string) {
	t.Helper()
	if e := checkError(t, p, status, mention); !e.HasClass("alert") || e.AttrOr("role", "") != "alert" {
		t.Errorf("the error is not an alert: %s", excerpt(p.body))
	}
}

// checkError checks the error element of a page: its status, message and
// request ID.
func checkError(t *testing.T, p *page, status int, mention string) *goquery.Selection {
	t.Helper()
	if p.status != status {
		t.Errorf("status %d, want %d; body %s", p.status, status, excerpt(p.body))
	}
	e := p.find("error")
	if e.Length() != 1 {
		t.Fatalf("%d error elements, want 1; body %s", e.Length(), excerpt(p.body))
	}
	if got := e.Find("[data-status]").AttrOr("data-status", ""); got != strconv.Itoa(status) {
		t.Errorf("shown status %q, want %d", got, status)
	}
	if mention != "" && !strings.Contains(strings.ToLower(e.Text()), mention) {
		t.Errorf("the message %q does not mention %q", strings.Join(strings.Fields(e.Text()), " "), mention)
	}
	rid := p.header.Get("X-Request-Id")
	if rid == "" || !strings.Contains(e.Find(`[data-testid="request-id"]`).Text(), rid) {
		t.Errorf("request ID %q not shown: %q", rid, e.Find(`[data-testid="request-id"]`).Text())
	}
	return e
}

func TestThrottlingPastRetries(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	id := h.cat.ImageIDs()[0]
	h.emu.ResetCalls()
	h.emu.InjectFault("GetImageInfo", emulator.FaultThrottling, 100)
	t.Cleanup(h.emu.ClearFaults)

	p := b.get("/images/" + id)
	checkErrorPage(t, p, http.StatusServiceUnavailable, false, "throttling")
	if got := p.find("request-id").Text(); !vodRequestID.MatchString(got) {
		t.Errorf("request ID %q does not name VOD's request", got)
	}
	attempts := len(h.calls("GetImageInfo"))
	if want := 1 + vodclient.DefaultMaxRetries; attempts != want {
		t.Errorf("%d attempts, want %d (bounded retries)", attempts, want)
	}
}

func TestUpstreamFaults(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	media := h.cat.MediaIDs()[0]
	image := h.cat.ImageIDs()[0]
	faults := []emulator.Fault{
		emulator.FaultInternalError, emulator.FaultServiceUnavailable, emulator.FaultNonJSON,
		emulator.FaultNonJSON200, emulator.FaultTruncated,
	}
	paths := map[string]string{
		"BatchGetMediaInfos": "/media/" + media,
		"GetImageInfo":       "/images/" + image,
		"GetImageInfos":      "/images?ids=" + image,
	}
	for _, f := range faults {
		for _, action := range []string{"BatchGetMediaInfos", "GetImageInfo", "GetImageInfos"} {
			for _, fragment := range []bool{false, true} {
				name := f.String() + "/" + action
				if fragment {
					name += "/htmx"
				}
				t.Run(name, func(t *testing.T) {
					h.emu.InjectFault(action, f, 1)
					defer h.emu.ClearFaults()
					var opts []reqOption
					if fragment {
						opts = append(opts, htmx)
					}
					p := b.get(paths[action], opts...)
					checkErrorPage(t, p, http.StatusBadGateway, fragment, "")
					if strings.Contains(p.body, "Tengine") || strings.Contains(p.body, "maintenance") {
						t.Error("the upstream's own page leaked into ours")
					}
				})
			}
		}
	}
	t.Run("the next request works again", func(t *testing.T) {
		mustStatus(t, b.get(paths["BatchGetMediaInfos"]), http.StatusOK)
	})
}

func TestRevokedKeys(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	// The account owner rotates the secret: the session's keys stop working.
	h.emu.AddKey(emulator.Key{AccessKeyID: h.key.AccessKeyID, AccessKeySecret: "rotated-" + randomHex(t, 8)})
	p := b.get("/media/" + h.cat.MediaIDs()[0])
	checkErrorPage(t, p, http.StatusUnauthorized, false, "keys")
}

func TestPartialFailure(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	ids := h.cat.ImageIDs()
	if len(ids) < 40 {
		t.Skipf("the catalog has %d images, need 40", len(ids))
	}
	ids = ids[:40]
	h.emu.InjectFault("GetImageInfos", emulator.FaultInternalError, 1)
	t.Cleanup(h.emu.ClearFaults)

	p := b.lookup("/images?ids=" + strings.Join(ids, ","))
	mustStatus(t, p, http.StatusOK)
	chunk := mustOne(t, p, "chunk-error")
	failed := texts(chunk.Find("[data-chunk-id]"), "data-chunk-id")
	var shown []string
	switch {
	case slices.Equal(failed, ids[:20]):
		shown = ids[20:]
	case slices.Equal(failed, ids[20:]):
		shown = ids[:20]
	default:
		t.Fatalf("the chunk error names %v, want one chunk of 20 of the IDs asked", failed)
	}
	if got := texts(p.find("image-card"), "data-id"); !slices.Equal(got, shown) {
		t.Errorf("cards %v, want the other chunk %v", got, shown)
	}
	if got := chunk.Find(`[data-testid="request-id"]`).Text(); !vodRequestID.MatchString("VOD " + got) {
		t.Errorf("the chunk error's request ID %q is not VOD's", got)
	}
	if n := p.doc.Find("[data-flag]").Length(); n != 0 {
		t.Errorf("%d IDs flagged: failed IDs must not be reported as missing", n)
	}

	t.Run("every chunk failing is an error", func(t *testing.T) {
		h.emu.InjectFault("BatchGetMediaInfos", emulator.FaultInternalError, 2)
		p := b.lookup("/media?ids=" + strings.Join(append(h.cat.MediaIDs()[:20], "x1", "x2"), ","))
		checkErrorAlert(t, p, http.StatusBadGateway, "")
	})
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	for _, fragment := range []bool{false, true} {
		var opts []reqOption
		if fragment {
			opts = append(opts, htmx)
		}
		p := b.get("/no/such/page", opts...)
		checkErrorPage(t, p, http.StatusNotFound, fragment, "no page")
	}
	if p := h.browser(t).get("/no/such/page"); p.status == http.StatusOK {
		t.Errorf("signed out: status %d", p.status)
	}
}

// TestSlowUpstream runs alone (not parallel): it counts goroutines. A VOD
// endpoint slower than the deadline (the client's per-call VODTimeout, or
// the request's own) gives a 504 page or alert, and nothing is left running
// afterwards.
func TestSlowUpstream(t *testing.T) {
	h, b := signedIn(t, harnessOptions{vodTimeout: 300 * time.Millisecond})
	id := h.cat.MediaIDs()[0]
	mustStatus(t, b.get("/media/"+id), http.StatusOK) // connections are pooled now
	base := runtime.NumGoroutine()

	h.emu.SetLatency(10 * time.Second)
	h.emu.ResetCalls()
	tests := []struct {
		name     string
		fragment bool
		deadline time.Duration // of the request; 0: only the client's
	}{
		{"client deadline", false, 0},
		{"client deadline, htmx", true, 0},
		{"request deadline", false, 100 * time.Millisecond},
		{"request deadline, htmx", true, 100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []reqOption
			if tc.deadline > 0 {
				ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
				defer cancel()
				opts = append(opts, withContext(ctx))
			}
			if tc.fragment {
				opts = append(opts, htmx)
			}
			p := b.get("/media/"+id, opts...)
			checkErrorPage(t, p, http.StatusGatewayTimeout, tc.fragment, "in time")
		})
	}
	h.emu.SetLatency(0)

	waitFor(t, 5*time.Second, func() bool {
		calls := h.emu.Calls()
		for _, c := range calls {
			if c.Status != 499 {
				return false
			}
		}
		return len(calls) == len(tests)
	}, "the emulator to see every call abandoned")
	waitFor(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= base }, "goroutines to return to baseline")
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<20)
		t.Logf("%d goroutines, baseline %d:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
	mustStatus(t, b.get("/media/"+id), http.StatusOK)
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Errorf("timed out waiting for %s", what)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
