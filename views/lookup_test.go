package views

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestShownValue(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"short":                     "short",
		strings.Repeat("a", 80):     strings.Repeat("a", 80),
		strings.Repeat("a", 81):     strings.Repeat("a", 80) + "…",
		strings.Repeat("视", 200):    strings.Repeat("视", 80) + "…",
		strings.Repeat("\xff", 100): strings.Repeat("\xff", 80) + "…",
	} {
		if got := shownValue(in); got != want {
			t.Errorf("shownValue(%d bytes) = %q, want %q", len(in), got, want)
		}
	}
}

// TestLookupProblemsAreBounded: a Lookup with thousands of invalid values
// renders the first MaxListedInvalid and counts the rest.
func TestLookupProblemsAreBounded(t *testing.T) {
	var l Lookup
	for i := range 5000 {
		l.Invalid = append(l.Invalid, InvalidID{Value: fmt.Sprintf("bad.%d%s", i, strings.Repeat("x", 200)), Reason: "longer than 64 characters"})
	}
	var b strings.Builder
	if err := lookupProblems(l, "image ID").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(html, "data-invalid-id="); n != MaxListedInvalid {
		t.Errorf("%d values listed, want %d", n, MaxListedInvalid)
	}
	if !strings.Contains(html, "5000 values are not valid") || !strings.Contains(html, "and 4950 more") {
		t.Errorf("the total and the rest are not counted: %.300s", html)
	}
	if len(html) > 32<<10 {
		t.Errorf("%d KB rendered", len(html)>>10)
	}
}
