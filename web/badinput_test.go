package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"vodboard/views"
)

// TestHugeBadRequestsMakeSmallPages: about 990 KB of invalid IDs in a URL
// is still a 400 that names the first 50 and counts the rest, on a page
// (or fragment) of a few kilobytes; one huge invalid ID in a detail path
// is shown cut short. Nothing is sent upstream.
func TestHugeBadRequestsMakeSmallPages(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	const maxBody = 64 << 10

	// 990 KB of distinct invalid values, "bad.0000001,bad.0000002,...",
	// none of it escaped in the URL.
	var list strings.Builder
	n := 0
	for list.Len() < 990<<10 {
		fmt.Fprintf(&list, "bad.%07d,", n)
		n++
	}
	many := list.String()
	half := len(many)/2 + strings.IndexByte(many[len(many)/2:], ',') + 1
	hostile := strings.Repeat(`"><script>`, 99<<10/10) // every byte escaped on the page

	tests := []struct {
		name    string
		path    string
		invalid int // how many invalid values the title counts
	}{
		{"image lookup", "/images?ids=" + many, n},
		{"media lookup", "/media?ids=" + many, n},
		{"reference lookup", "/media?refs=" + many, n},
		{"media and references", "/media?ids=" + many[:half] + "&refs=" + many[half:], n},
		{"hostile markup", "/images?ids=" + url.QueryEscape(hostile), 1},
		{"image detail", "/images/" + many, 1},
		{"media detail", "/media/" + many, 1},
		{"reference detail", "/media/ref/" + many, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.path) > 1<<20 {
				t.Fatalf("the request is %d KB, more than a server reads", len(tc.path)>>10)
			}
			h.emu.ResetCalls()
			for _, opt := range [][]reqOption{nil, {htmx}} {
				p := b.get(tc.path, opt...)
				mustStatus(t, p, http.StatusBadRequest)
				if len(p.body) > maxBody {
					t.Fatalf("a %d KB request made a %d KB page", len(tc.path)>>10, len(p.body)>>10)
				}
				box := mustOne(t, p, "invalid-ids")
				if title := box.Find(".alert-title").Text(); !strings.Contains(title, strconv.Itoa(tc.invalid)) {
					t.Errorf("title %q does not count %d values", title, tc.invalid)
				}
				listed := box.Find("[data-invalid-id]")
				if want := min(tc.invalid, views.MaxListedInvalid); listed.Length() != want {
					t.Errorf("%d values listed, want %d", listed.Length(), want)
				}
				more := p.find("invalid-more")
				switch rest := tc.invalid - views.MaxListedInvalid; {
				case rest > 0 && (more.Length() != 1 || more.AttrOr("data-count", "") != strconv.Itoa(rest) || !strings.Contains(more.Text(), strconv.Itoa(rest)+" more")):
					t.Errorf("the rest is counted as %q (%s), want %d more", more.Text(), more.AttrOr("data-count", ""), rest)
				case rest <= 0 && more.Length() != 0:
					t.Errorf("%q shown for %d values", more.Text(), tc.invalid)
				}
				for _, v := range texts(listed, "data-invalid-id") {
					if utf8.RuneCountInString(v) > 81 {
						t.Errorf("a listed value has %d characters", utf8.RuneCountInString(v))
					}
				}
				if p.doc.Find("script:not([src])").Length() != 0 {
					t.Error("an inline <script> element was rendered")
				}
			}
			if calls := h.emu.Calls(); len(calls) != 0 {
				t.Errorf("%d upstream calls, want none", len(calls))
			}
		})
	}

	t.Run("a long value is cut short", func(t *testing.T) {
		long := strings.Repeat("é", 100) + "!"
		p := b.get("/media/" + url.PathEscape(long))
		mustStatus(t, p, http.StatusBadRequest)
		got := mustOne(t, p, "invalid-ids").Find("[data-invalid-id]").AttrOr("data-invalid-id", "")
		if want := strings.Repeat("é", 80) + "…"; got != want {
			t.Errorf("shown as %q, want %q", got, want)
		}
	})
	t.Run("the form keeps a lookup-sized list", func(t *testing.T) {
		var ids []string
		for i := range 199 {
			ids = append(ids, fmt.Sprintf("%064d", i))
		}
		raw := strings.Join(ids, "\n") + "\nbad id!"
		p := b.get("/images?ids=" + url.QueryEscape(raw))
		mustStatus(t, p, http.StatusBadRequest)
		if got := p.find("image-lookup").Find("textarea").Text(); got != raw {
			t.Errorf("the form shows %d bytes of the %d pasted", len(got), len(raw))
		}
	})
}

// TestCDNAuthTimeoutIsBounded: like OSS URLs, CDN URLs are signed for at
// most 30 days; the message names the bound, nothing is saved.
func TestCDNAuthTimeoutIsBounded(t *testing.T) {
	t.Parallel()
	_, b := signedIn(t, harnessOptions{})
	for _, output := range []string{"cdn", "oss"} {
		p := b.submit(b.get("/settings"), `[data-testid="settings-form"]`, url.Values{"output_type": {output}, "auth_timeout": {"2592001"}})
		mustStatus(t, p, http.StatusUnprocessableEntity)
		msg := p.doc.Find(`[data-testid="settings-error"][data-field="auth_timeout"]`).Text()
		if !strings.Contains(msg, "2592000") || !strings.Contains(msg, "30 days") || !strings.Contains(msg, strings.ToUpper(output)) {
			t.Errorf("%s: message %q does not name the bound", output, msg)
		}
		if v := b.get("/settings").find("settings-form").Find(`input[name="auth_timeout"]`).AttrOr("value", ""); v == "2592001" {
			t.Errorf("%s: the refused value was saved", output)
		}
		p = b.submit(b.get("/settings"), `[data-testid="settings-form"]`, url.Values{"output_type": {output}, "auth_timeout": {"2592000"}})
		if p.status != http.StatusSeeOther {
			t.Errorf("%s: 30 days exactly: status %d, want 303", output, p.status)
		}
	}
}
