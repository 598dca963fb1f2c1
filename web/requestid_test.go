package web

import (
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestPlainRequestID(t *testing.T) {
	for id, want := range map[string]bool{
		"a":                         true,
		"4c1d2f9e-7f3a_4B8E":        true,
		strings.Repeat("a", 64):     true,
		"":                          false,
		strings.Repeat("a", 65):     false,
		"a b":                       false,
		"a\nb":                      false,
		"a\r\nX-Injected: 1":        false,
		"<script>alert(1)</script>": false,
		"id.1":                      false,
		"ид":                        false,
	} {
		if got := plainRequestID(id); got != want {
			t.Errorf("plainRequestID(%q) = %t, want %t", id, got, want)
		}
	}
}

// TestRequestIDs: every response carries a request ID, the same one the
// logs and the error page show. It is the server's own random ID unless
// the request comes from a trusted proxy with a short, plain X-Request-ID.
func TestRequestIDs(t *testing.T) {
	t.Parallel()
	_, proxies, _ := net.ParseCIDR("10.0.0.0/8")
	h := newHarness(t, harnessOptions{trustedProxies: []*net.IPNet{proxies}})
	huge := strings.Repeat("A", 8<<10)
	tests := []struct {
		name   string
		remote string // "": the browser's own address, not a proxy
		header string
		kept   bool
	}{
		{"none", "", "", false},
		{"8 KB from a browser", "", huge, false},
		{"plain from a browser", "", "client-chosen-id", false},
		{"spaces and new lines from a browser", "", "a b\r\nX-Evil: 1", false},
		{"none from the proxy", "10.1.2.3:5000", "", false},
		{"plain from the proxy", "10.1.2.3:5000", "proxy-id_0123456789", true},
		{"64 characters from the proxy", "10.1.2.3:5000", strings.Repeat("p", 64), true},
		{"65 characters from the proxy", "10.1.2.3:5000", strings.Repeat("p", 65), false},
		{"8 KB from the proxy", "10.1.2.3:5000", huge, false},
		{"spaces and new lines from the proxy", "10.1.2.3:5000", "a b\nc", false},
		{"markup from the proxy", "10.1.2.3:5000", "<script>alert(1)</script>", false},
		{"plain, forwarded for by an untrusted peer", "198.51.100.9:5000", "untrusted-peer-id", false},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser(t)
			if tc.remote != "" {
				b.remoteAddr = tc.remote
			}
			var opts []reqOption
			if tc.header != "" {
				opts = append(opts, withHeader("X-Request-ID", tc.header), withHeader("X-Forwarded-For", "203.0.113.7"))
			}
			p := b.get("/logout", opts...) // an error page: 405
			if p.status != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405", p.status)
			}
			id := p.header.Get("X-Request-ID")
			if tc.kept {
				if id != tc.header {
					t.Fatalf("X-Request-ID %q, want the proxy's %q", id, tc.header)
				}
			} else {
				if id == tc.header || !plainRequestID(id) || len(id) < 16 {
					t.Fatalf("X-Request-ID %q, want a fresh random one", excerpt(id))
				}
				if seen[id] {
					t.Fatalf("X-Request-ID %q repeated", id)
				}
				seen[id] = true
			}
			if got := p.find("request-id").Text(); !strings.Contains(got, id) {
				t.Errorf("error page shows request ID %q, want %q", got, id)
			}
			logs := h.logs.String()
			if !strings.Contains(logs, "request_id="+id) {
				t.Errorf("the logs do not name request ID %q", id)
			}
			if !tc.kept && tc.header != "" && strings.Contains(logs, tc.header) {
				t.Errorf("the client's X-Request-ID %q reached the logs", excerpt(tc.header))
			}
			if !tc.kept && tc.header != "" && strings.Contains(p.body, tc.header) {
				t.Errorf("the client's X-Request-ID %q reached the page", excerpt(tc.header))
			}
		})
	}
}
