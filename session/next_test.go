package session

import "testing"

func TestSafeNext(t *testing.T) {
	local := []string{
		"/",
		"/media/x?ids=1",
		"/media/x?ids=1,2,3&output=cdn",
		"/images?q=cat#results",
		"/media/abc%20def",
		"/a/b/../c",
		"/search?next=/media",
		"/@user",
	}
	for _, next := range local {
		if got := SafeNext(next); got != next {
			t.Errorf("SafeNext(%q) = %q, want it kept", next, got)
		}
	}
	hostile := []string{
		"",
		"media/x",
		"evil.example",
		"//evil.example",
		"///evil.example",
		"////evil.example/x",
		"/\\evil.example",
		"\\\\evil.example",
		"\\/evil.example",
		"/\\/evil.example",
		"https://evil.example",
		"http://evil.example/media",
		"HTTPS://evil.example",
		"http:evil.example",
		"https:/evil.example",
		"javascript:alert(1)",
		"JaVaScRiPt:alert(document.cookie)",
		"data:text/html,<script>alert(1)</script>",
		" /evil",
		" //evil.example",
		"/\t/evil.example",
		"/\n/evil.example",
		"/\r\n/evil.example",
		"\t//evil.example",
		"/media\x00",
		"/media\x7f",
		"/media x",
		"%2F%2Fevil.example",
		"/%2Fevil.example",
		"/%2F/evil.example",
		"/%5Cevil.example",
		"/%5C%5Cevil.example",
		"/%09/evil.example",
		"/%0a/evil.example",
		"/%252F/evil.example",
		"/%25252F/evil.example",
		"/%2525252F/evil.example", // decoded four times
		"/%25252525252525252F%2525252525252525255Cevil.example",
		"/%zz",
		"/\u3002evil.example",
		"/\uff0fevil.example",
		"/\u2028",
		"/media/\u00e9",
	}
	for _, next := range hostile {
		if got := SafeNext(next); got != "/" {
			t.Errorf("SafeNext(%q) = %q, want /", next, got)
		}
	}
	long := "/" + string(make([]byte, 0))
	for len(long) <= maxNextLen {
		long += "aaaaaaaaaa"
	}
	if SafeNext(long) != "/" {
		t.Error("overlong target kept")
	}
}
