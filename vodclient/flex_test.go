package vodclient

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestLenientScalarEdges pins what FuzzDecode found: values no API means
// (out of range, NaN, infinities) are zero rather than garbage, a boolean
// String is kept as written, a Time is never an object's text, and
// flattened StringList items are trimmed like the others.
func TestLenientScalarEdges(t *testing.T) {
	ints := map[string]Int{
		`10000000000000000000`:  0,
		`"9223372036854775807"`: 9223372036854775807,
		`-9223372036854775808`:  -9223372036854775808,
		`9.3e18`:                0,
		`"NaN"`:                 0,
		`"-Infinity"`:           0,
		`"12.9"`:                12,
		`-0.5`:                  0,
		`1e400`:                 0,
	}
	for in, want := range ints {
		var got Int
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("Int %s = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]Float{`"NaN"`: 0, `"Inf"`: 0, `1e400`: 0, `"771.2280"`: 771.228} {
		var got Float
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("Float %s = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]String{`true`: "true", ` false `: "false", `null`: "", `{}`: "", `1.0`: "1.0"} {
		var got String
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("String %s = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{`{"a":1}`: "", `[1]`: "", `true`: "", `1704706200`: "1704706200"} {
		var got Time
		if err := json.Unmarshal([]byte(in), &got); err != nil || got.Raw != want {
			t.Errorf("Time %s: Raw %q, %v; want %q", in, got.Raw, err, want)
		}
	}
	var l StringList
	if err := json.Unmarshal([]byte(`["[\"\", \" id1 \"]", " id2 "]`), &l); err != nil || !reflect.DeepEqual([]string(l), []string{"id1", "id2"}) {
		t.Errorf("StringList = %q, %v", l, err)
	}
}
