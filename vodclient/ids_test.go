package vodclient

import (
	"slices"
	"testing"
)

func TestParseIDsSeparators(t *testing.T) {
	for in, want := range map[string][]string{
		"a1, b2;c3\td4\r\ne5":                {"a1", "b2", "c3", "d4", "e5"},
		"a1，b2、c3；d4":                        {"a1", "b2", "c3", "d4"},
		"a1\u3000b2\u00a0c3\u2003d4\u2028e5": {"a1", "b2", "c3", "d4", "e5"},
		"a1\vb2\fc3\u0085d4":                 {"a1", "b2", "c3", "d4"},
		"a1\u200bb2":                         {"a1\u200bb2"}, // not a space: an invalid ID
		" ,;\n":                              nil,
	} {
		if got := ParseIDs(in); !slices.Equal(got, want) {
			t.Errorf("ParseIDs(%q) = %q, want %q", in, got, want)
		}
	}
}
