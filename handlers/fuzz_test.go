package handlers

import (
	"fmt"
	"net/http"
	"testing"

	"vodboard/views"
	"vodboard/vodclient"
)

// FuzzParseLookupIDs: every distinct pasted value ends up exactly once,
// in the order pasted, either among the IDs to send (valid) or among the
// invalid ones with a reason; a valid ID is never called invalid. A lookup
// is refused (400) when anything is invalid or when it has more than
// MaxLookupIDs IDs, and then says how many it had. The seed corpus is in
// testdata/fuzz/FuzzParseLookupIDs; .ci/run runs it.
func FuzzParseLookupIDs(f *testing.F) {
	f.Add("3e34733b40b94a96ccf5c1ff6f69a1c0, bad id!", uint8(200))
	f.Fuzz(func(t *testing.T, raw string, repeat uint8) {
		// 5*repeat more IDs make lists long enough to cross the limit.
		text := raw
		for i := range 5 * int(repeat) {
			text += fmt.Sprintf(" x%d", i)
		}
		in := parseLookup(views.LookupImages, text, "")
		var distinct []string
		seen := map[string]bool{}
		for _, v := range vodclient.ParseIDs(text) {
			if !seen[v] {
				seen[v] = true
				distinct = append(distinct, v)
			}
		}
		i, j := 0, 0
		for _, v := range distinct {
			switch {
			case i < len(in.ids) && in.ids[i] == v:
				if !vodclient.ValidID(v) {
					t.Fatalf("invalid ID %q kept", v)
				}
				i++
			case j < len(in.invalid) && in.invalid[j].Value == v:
				if vodclient.ValidID(v) {
					t.Fatalf("valid %q called invalid", v)
				}
				if in.invalid[j].Reason != invalidReason(v) {
					t.Fatalf("%q refused as %q", v, in.invalid[j].Reason)
				}
				j++
			default:
				t.Fatalf("%q is neither kept nor refused in order", v)
			}
		}
		if i != len(in.ids) || j != len(in.invalid) {
			t.Fatalf("%d kept and %d refused of %d distinct values", len(in.ids), len(in.invalid), len(distinct))
		}
		p := in.problems()
		wantTooMany := 0
		if len(in.ids) > MaxLookupIDs {
			wantTooMany = len(in.ids)
		}
		if p.TooMany != wantTooMany {
			t.Fatalf("%d IDs: TooMany %d, want %d", len(in.ids), p.TooMany, wantTooMany)
		}
		want := http.StatusOK
		if len(in.invalid) > 0 || len(in.ids) > MaxLookupIDs {
			want = http.StatusBadRequest
		}
		if got := refusedStatus(p); got != want {
			t.Fatalf("status %d, want %d", got, want)
		}
	})
}
