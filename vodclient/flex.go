package vodclient

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// The VOD API is loose about JSON types: the same field arrives as a string
// in one operation or API version and as a number in another ("Width": "568"
// in a stream list, "Width": 360 in a PlayInfo; Mezzanine.FileSize both ways).
// These types decode either form, and treat null, "" and unparsable values as
// zero instead of failing the whole response.

// Int is an integer that decodes from a JSON number or a numeric string.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	s, ok := scalarText(b)
	if !ok {
		*n = 0
		return nil
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(i)
		return nil
	}
	// A decimal ("12.0") is truncated; one out of int64's range, like
	// NaN and infinities, is unparsable.
	if f, ok := parseFloat(s); ok && f >= math.MinInt64 && f < math.MaxInt64 {
		*n = Int(f)
		return nil
	}
	*n = 0
	return nil
}

// Float is a decimal that decodes from a JSON number or a numeric string
// ("771.2280").
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	s, ok := scalarText(b)
	if !ok {
		*f = 0
		return nil
	}
	v, _ := parseFloat(s)
	*f = Float(v)
	return nil
}

// parseFloat parses a finite number; NaN, infinities and values out of
// float64's range ("1e400") are not numbers the API means.
func parseFloat(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// String is text that also accepts a JSON number or boolean, kept as written
// ("NarrowBandType": "1.0" or 1.0).
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
		return nil
	}
	if t, ok := scalarText(b); ok {
		*s = String(t)
		return nil
	}
	if bytes.Equal(b, []byte("true")) || bytes.Equal(b, []byte("false")) {
		*s = String(b)
		return nil
	}
	*s = ""
	return nil
}

// scalarText returns the text of a JSON string or number, trimmed.
// Objects, arrays, null and booleans report false.
func scalarText(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return "", false
	}
	switch b[0] {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return "", false
		}
		v = strings.TrimSpace(v)
		return v, v != ""
	case '{', '[', 't', 'f':
		return "", false
	}
	return string(b), true
}

// Time is a timestamp from the API. Raw keeps the value as sent, so a value
// that does not parse (or parses only after trimming stray whitespace, as in
// the published examples) is never lost.
type Time struct {
	time.Time
	Raw string
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var raw string
	if err := json.Unmarshal(b, &raw); err != nil {
		// A number (epoch seconds or milliseconds) is kept raw; an object,
		// array or boolean is no time at all.
		if n, ok := scalarText(b); ok {
			t.Raw = n
		}
		return nil
	}
	t.Raw = raw
	t.Time = parseTime(raw)
	return nil
}

// MarshalJSON writes the raw value back.
func (t Time) MarshalJSON() ([]byte, error) { return json.Marshal(t.Raw) }

// Valid reports whether the raw value parsed to a time.
func (t Time) Valid() bool { return !t.Time.IsZero() }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z",
	"2006-01-02 15:04:05",
}

func parseTime(raw string) time.Time {
	s := strings.TrimSpace(raw)
	for _, layout := range timeLayouts {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm.UTC()
		}
	}
	return time.Time{}
}

// StringList is a list of strings that tolerates null, a single string, and
// elements that are themselves JSON-encoded arrays (the published
// BatchGetMediaInfos example sends `["[\"id\"]"]`); those are flattened.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*l = nil
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	var items []String
	if b[0] == '[' {
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
	} else {
		var one String
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		items = []String{one}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s := strings.TrimSpace(string(it))
		if s == "" {
			continue
		}
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			var inner []string
			if json.Unmarshal([]byte(s), &inner) == nil {
				for _, v := range inner {
					if v = strings.TrimSpace(v); v != "" {
						out = append(out, v)
					}
				}
				continue
			}
		}
		out = append(out, s)
	}
	*l = out
	return nil
}
