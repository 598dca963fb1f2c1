package handlers

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"vodboard/vodclient"
)

// FuzzParseLookupIDs: every distinct pasted value ends up exactly once,
// in the order pasted, either among the IDs to send (valid, at most limit)
// or among the invalid ones with a reason; values over the limit are
// refused only once the limit is full, and any refusal is a 400. The seed
// corpus is in testdata/fuzz/FuzzParseLookupIDs; .ci/run runs it.
func FuzzParseLookupIDs(f *testing.F) {
	f.Add("3e34733b40b94a96ccf5c1ff6f69a1c0, bad id!", uint8(200))
	f.Fuzz(func(t *testing.T, raw string, limit uint8) {
		ids, invalid := parseIDs(raw, int(limit))
		if len(ids) > int(limit) {
			t.Fatalf("%d IDs kept, limit %d", len(ids), limit)
		}
		var distinct []string
		for _, v := range vodclient.ParseIDs(raw) {
			if !slices.Contains(distinct, v) {
				distinct = append(distinct, v)
			}
		}
		i, j := 0, 0
		for _, v := range distinct {
			switch {
			case i < len(ids) && ids[i] == v:
				if !vodclient.ValidID(v) {
					t.Fatalf("invalid ID %q kept", v)
				}
				i++
			case j < len(invalid) && invalid[j].Value == v:
				want := invalidReason(v)
				if vodclient.ValidID(v) {
					if len(ids) < int(limit) {
						t.Fatalf("valid %q refused with room left (%d of %d)", v, len(ids), limit)
					}
					want = fmt.Sprintf("over the limit of %d IDs per lookup", MaxLookupIDs)
				}
				if invalid[j].Reason != want {
					t.Fatalf("%q refused as %q, want %q", v, invalid[j].Reason, want)
				}
				j++
			default:
				t.Fatalf("%q is neither kept nor refused in order (kept %q)", v, ids)
			}
		}
		if i != len(ids) || j != len(invalid) {
			t.Fatalf("%d kept and %d refused of %d distinct values", len(ids), len(invalid), len(distinct))
		}
		want := http.StatusOK
		if len(invalid) > 0 {
			want = http.StatusBadRequest
		}
		if got := refusedStatus(invalid); got != want {
			t.Fatalf("%d refused: status %d, want %d", len(invalid), got, want)
		}
	})
}
