package session

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// The fuzz targets of the session package. Their seed corpora live in
// testdata/fuzz/<target>; .ci/run runs each for a few seconds.

// FuzzSafeNext: SafeNext returns its input or "/", and what it returns is
// a local path: printable ASCII without backslashes, and neither it nor
// any form of it decoded again and again leaves this site when a browser
// resolves it (tabs and new lines dropped, backslashes read as slashes).
func FuzzSafeNext(f *testing.F) {
	f.Add("/media/x?ids=1")
	f.Add("/%2525252F/evil.example")
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got == "/" {
			return
		}
		if got != next {
			t.Fatalf("SafeNext(%q) = %q, want the input or /", next, got)
		}
		for i := 0; i < len(got); i++ {
			if b := got[i]; b <= ' ' || b >= 0x7f || b == '\\' {
				t.Fatalf("SafeNext(%q) kept the byte %q", next, b)
			}
		}
		for s := got; ; {
			if !staysHere(s) {
				t.Fatalf("SafeNext(%q) kept it, but its decoded form %q leaves the site", next, s)
			}
			d, err := url.PathUnescape(s)
			if err != nil || d == s {
				break
			}
			s = d
		}
	})
}

// staysHere resolves s as a browser would on https://vodboard.example/ and
// reports whether it stays on that origin.
func staysHere(s string) bool {
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(s)
	base := &url.URL{Scheme: "https", Host: "vodboard.example", Path: "/"}
	u, err := base.Parse(s)
	if err != nil {
		// Go refuses some paths browsers accept; judge the shape instead.
		return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//")
	}
	return u.Scheme == "https" && u.Host == "vodboard.example" && u.User == nil
}

// FuzzSessionCookie: decoding a session cookie never panics and accepts
// nothing but a cookie this server wrote: any other value, the cookie with
// a byte changed, cut short or extended, or one written under a retired
// key decodes as no session. Sealed session material is the same: Open
// refuses any change to what Seal returned.
func FuzzSessionCookie(f *testing.F) {
	quiet := slog.New(slog.DiscardHandler)
	m, err := NewManager(Config{Keys: [][]byte{testKey("fuzz")}, Logger: quiet})
	if err != nil {
		f.Fatal(err)
	}
	retired, err := NewManager(Config{Keys: [][]byte{testKey("retired")}, Logger: quiet})
	if err != nil {
		f.Fatal(err)
	}
	sealer, err := NewSealer(testKey("fuzz"))
	if err != nil {
		f.Fatal(err)
	}
	id := newID()
	valid, old := writeTestCookie(f, m, id), writeTestCookie(f, retired, id)
	if st := readTestCookie(m, m.name+"="+valid); st.id != id || st.secret == nil {
		f.Fatalf("the server's own cookie decodes as %+v", st)
	}

	f.Add("MTc5NTc1Mjg2OHwwN1hqOWtkUm1B", uint16(10), byte(1), []byte("material"))
	f.Fuzz(func(t *testing.T, value string, pos uint16, flip byte, plain []byte) {
		for _, header := range []string{m.name + "=" + value, value, m.name + `="` + value + `"`} {
			if st := readTestCookie(m, header); st.id != "" || st.secret != nil {
				t.Fatalf("Cookie: %q decodes as a session", header)
			}
		}
		tampered := []string{old, valid[:int(pos)%len(valid)], valid + value}
		if flip != 0 {
			i := int(pos) % len(valid)
			tampered = append(tampered, valid[:i]+string(valid[i]^flip)+valid[i+1:])
		}
		for _, v := range tampered {
			header := m.name + "=" + v
			if sent := cookieValue(header, m.name); sent == valid || sameDecoding(sent, valid) {
				continue
			}
			if st := readTestCookie(m, header); st.id != "" || st.secret != nil {
				t.Fatalf("a changed cookie %q (from %q) decodes as a session", v, valid)
			}
		}

		if _, err := sealer.Open(id, []byte(value)); err == nil {
			t.Fatalf("Open accepted %q", value)
		}
		sealed, err := sealer.Seal(id, plain)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := sealer.Open(id, sealed); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
		if _, err := sealer.Open(id+"x", sealed); err == nil {
			t.Fatal("material opened under another session ID")
		}
		changed := []([]byte){sealed[:int(pos)%len(sealed)], append(bytes.Clone(sealed), value...)}
		if flip != 0 {
			b := bytes.Clone(sealed)
			b[int(pos)%len(b)] ^= flip
			changed = append(changed, b)
		}
		for _, b := range changed {
			if bytes.Equal(b, sealed) {
				continue
			}
			if _, err := sealer.Open(id, b); err == nil {
				t.Fatalf("Open accepted changed material %x (sealed %x)", b, sealed)
			}
		}
	})
}

// writeTestCookie returns the value of the session cookie m writes for id.
func writeTestCookie(tb testing.TB, m *Manager, id string) string {
	tb.Helper()
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
	if err := m.writeCookie(c, &cookieState{id: id}); err != nil {
		tb.Fatal(err)
	}
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == m.name {
			return ck.Value
		}
	}
	tb.Fatal("no session cookie written")
	return ""
}

// readTestCookie decodes the session cookie of a request whose Cookie
// header is header.
func readTestCookie(m *Manager, header string) *cookieState {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", header)
	return m.state(echo.New().NewContext(req, httptest.NewRecorder()))
}

// cookieValue is the value of the cookie name in a Cookie header, as the
// server reads it (HTTP drops the spaces around it, for one).
func cookieValue(header, name string) string {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", header)
	c, err := req.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// sameDecoding reports whether two cookie values are encodings of the same
// bytes: base64 ignores the unused low bits of a final character, so such
// a "change" is no change to what is authenticated.
func sameDecoding(a, b string) bool {
	da, errA := base64.URLEncoding.DecodeString(a)
	db, errB := base64.URLEncoding.DecodeString(b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}
