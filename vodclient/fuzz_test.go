package vodclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"vodboard/vodclient/emulator"
)

// The fuzz targets of the client. Their seed corpora live in
// testdata/fuzz/<target>; .ci/run runs each for a few seconds.

// FuzzParseIDs: pasted text splits into IDs that never contain a
// separator (any white space, commas or semicolons, ASCII or CJK), the
// split is stable, a valid ID round-trips alone, and normalizeIDs keeps
// exactly the valid, distinct IDs or names every invalid one.
func FuzzParseIDs(f *testing.F) {
	f.Add("3e34733b40b94a96ccf5c1ff6f69a1c0, b7a1e2c3d4f5061728394a5b6c7d8e9f")
	f.Fuzz(func(t *testing.T, text string) {
		ids := ParseIDs(text)
		for _, id := range ids {
			if id == "" {
				t.Fatalf("ParseIDs(%q) has an empty ID", text)
			}
			if i := strings.IndexFunc(id, isSeparator); i >= 0 {
				r, _ := utf8.DecodeRuneInString(id[i:])
				t.Fatalf("ParseIDs(%q): ID %q contains the separator %U", text, id, r)
			}
			if ValidID(id) {
				if got := ParseIDs(id); !slices.Equal(got, []string{id}) {
					t.Fatalf("valid ID %q parses as %q", id, got)
				}
				if len(id) > 64 || strings.TrimFunc(id, idByte) != "" {
					t.Fatalf("ValidID accepted %q", id)
				}
			}
		}
		if again := ParseIDs(strings.Join(ids, "\n")); !slices.Equal(again, ids) {
			t.Fatalf("ParseIDs(%q) = %q, but its IDs joined parse as %q", text, ids, again)
		}

		out, err := normalizeIDs(ids)
		var distinct, invalid []string
		for _, id := range ids {
			if slices.Contains(distinct, id) || slices.Contains(invalid, id) {
				continue
			}
			if ValidID(id) {
				distinct = append(distinct, id)
			} else {
				invalid = append(invalid, id)
			}
		}
		var bad *InvalidIDsError
		switch {
		case len(invalid) == 0 && err != nil:
			t.Fatalf("normalizeIDs(%q): %v", ids, err)
		case len(invalid) == 0 && !slices.Equal(out, distinct) && len(out)+len(distinct) > 0:
			t.Fatalf("normalizeIDs(%q) = %q, want %q", ids, out, distinct)
		case len(invalid) > 0 && !errors.As(err, &bad):
			t.Fatalf("normalizeIDs(%q): err %v, want *InvalidIDsError", ids, err)
		case len(invalid) > 0 && !slices.Equal(bad.IDs, invalid):
			t.Fatalf("normalizeIDs(%q) names %q, want %q", ids, bad.IDs, invalid)
		}
	})
}

func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(",;\u3001\uff0c\uff1b", r)
}

func idByte(r rune) bool {
	return r < utf8.RuneSelf && (r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
}

// FuzzDecode: no response body panics the decoders; any JSON value in a
// lenient field (Int, Float, String, Time, StringList) decodes without
// failing the response; and each scalar decodes consistently: a number and
// the same number as a string decode equal, Floats are finite, an Int is 0
// or the Float's value truncated, StringLists hold no blank or padded
// items, and a Time's raw text survives a round trip.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"MediaInfos":[{"MediaInfo":{"CateId":"42"}}]}`))
	f.Add([]byte(`"12.5"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, resp := range []any{&getImageInfoResponse{}, &getImageInfosResponse{}, &batchGetMediaInfosResponse{}, &searchMediaResponse{}, &getCategoriesResponse{}} {
			_ = json.Unmarshal(data, resp)
		}
		if !json.Valid(data) {
			return
		}
		// One odd field never fails the whole response.
		embedded := []struct {
			body string
			resp any
		}{
			{`{"ImageInfo":{"CateId":@,"CreationTime":@,"Mezzanine":{"Width":@,"FileSize":@}}}`, &getImageInfoResponse{}},
			{`{"ImageInfo":[{"CateId":@}],"NonExistImageIds":@}`, &getImageInfosResponse{}},
			{`{"MediaInfos":[{"MediaInfo":{"Snapshots":@,"ReferenceId":@,"RestoreExpiration":@},"MezzanineInfo":{"Duration":@,"VideoStreamList":[{"Level":@,"Fps":@}]},"PlayInfoList":[{"NarrowBandType":@,"Encrypt":@}]}],"NonExistMediaIds":@,"ForbiddenMediaIds":@}`, &batchGetMediaInfosResponse{}},
			{`{"Total":@,"MediaList":[{"CreationTime":@,"Video":{"Duration":@,"Size":@,"Snapshots":@,"ReferenceId":@}},{"Image":{"CateId":@}}]}`, &searchMediaResponse{}},
			{`{"SubTotal":@,"SubCategories":{"Category":[{"CateId":@,"Level":@,"ParentId":@}]}}`, &getCategoriesResponse{}},
		}
		for _, e := range embedded {
			body := strings.ReplaceAll(e.body, "@", string(data))
			if err := json.Unmarshal([]byte(body), e.resp); err != nil {
				t.Fatalf("%s with %s: %v", reflect.TypeOf(e.resp).Elem().Name(), data, err)
			}
		}

		s := decodeScalars(t, data)
		s.check(t, data)
		// The same number, sent as a string, decodes the same.
		if num := bytes.TrimSpace(data); len(num) > 0 && (num[0] == '-' || num[0] >= '0' && num[0] <= '9') {
			quoted := append(append([]byte(`"`), num...), '"')
			if q := decodeScalars(t, quoted); !reflect.DeepEqual(q, s) {
				t.Fatalf("%s decodes as %+v, as a string %+v", num, s, q)
			}
		}
	})
}

// scalars is one JSON value decoded as each lenient type.
type scalars struct {
	Int     Int
	Float   Float
	String  String
	TimeRaw string
	Time    time.Time
	List    StringList
}

func decodeScalars(t *testing.T, data []byte) scalars {
	t.Helper()
	var s scalars
	var tm Time
	for _, dst := range []any{&s.Int, &s.Float, &s.String, &tm, &s.List} {
		if err := json.Unmarshal(data, dst); err != nil {
			t.Fatalf("%s as %T: %v", data, dst, err)
		}
	}
	s.TimeRaw, s.Time = tm.Raw, tm.Time
	return s
}

func (s scalars) check(t *testing.T, data []byte) {
	t.Helper()
	f := float64(s.Float)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		t.Fatalf("%s: Float %v", data, f)
	}
	if n := float64(s.Int); s.Int != 0 && (math.Abs(n-f) > math.Max(1, math.Abs(f)*1e-12) || math.Signbit(n) != math.Signbit(f)) {
		t.Fatalf("%s: Int %d, Float %v", data, s.Int, f)
	}
	for _, item := range s.List {
		if item == "" || strings.TrimSpace(item) != item {
			t.Fatalf("%s: StringList item %q", data, item)
		}
	}
	var v any
	if err := json.Unmarshal(data, &v); err == nil {
		switch v := v.(type) {
		case string:
			if string(s.String) != v || s.TimeRaw != v {
				t.Fatalf("%s: String %q, Time.Raw %q", data, s.String, s.TimeRaw)
			}
		case bool:
			if string(s.String) != string(bytes.TrimSpace(data)) {
				t.Fatalf("%s: String %q, want the boolean as written", data, s.String)
			}
		}
	}
	back, err := json.Marshal(Time{Raw: s.TimeRaw})
	if err != nil {
		t.Fatal(err)
	}
	var again Time
	if err := json.Unmarshal(back, &again); err != nil || again.Raw != s.TimeRaw || !again.Time.Equal(s.Time) {
		t.Fatalf("%s: Time %q does not round-trip: %q, %v", data, s.TimeRaw, again.Raw, err)
	}
}

// FuzzMatch: whatever a user types into a search, the Match text parses
// (with the emulator's parser), has exactly the conditions the query asks
// for, and each piece of user text is one quoted value holding the cleaned
// text: no quote, backslash or control character, never syntax.
func FuzzMatch(f *testing.F) {
	f.Add("launch keynote", "abc123", "tag", "other tag", "Normal", int64(7), int64(1704067200), int64(1706745600), false, uint8(0))
	f.Fuzz(func(t *testing.T, title, id, tag1, tag2, status string, cate, from, before int64, titleOrID bool, kind uint8) {
		q := SearchQuery{
			Type:      []MediaType{Video, Audio, Image}[kind%3],
			Title:     title,
			ID:        id,
			TitleOrID: titleOrID,
			Tags:      []string{tag1, tag2},
			Statuses:  []string{status},
		}
		if kind&4 != 0 {
			q.CategoryIDs = []int64{cate}
		}
		if kind&8 != 0 {
			q.CreatedFrom = time.Unix(from%(1<<40), 0)
		}
		if kind&16 != 0 {
			q.CreatedBefore = time.Unix(before%(1<<40), 0)
		}
		text := q.match()
		m, err := emulator.ParseMatch(text)
		if err != nil {
			t.Fatalf("Match %q does not parse: %v", text, err)
		}

		type want struct{ field, op string }
		var wants []want
		if cleanText(title, maxFuzzyRunes) != "" {
			wants = append(wants, want{"Title", "="})
		}
		if id != "" {
			wants = append(wants, want{q.Type.idField(), "="})
		}
		var tags []string
		for _, tag := range q.Tags {
			if c := cleanText(tag, 0); c != "" {
				tags = append(tags, c)
			}
		}
		switch len(tags) {
		case 1:
			wants = append(wants, want{"Tags", "="})
		case 2:
			wants = append(wants, want{"Tags", "in"})
		}
		if cleanText(status, 0) != "" {
			wants = append(wants, want{"Status", "="})
		}
		if q.CategoryIDs != nil {
			wants = append(wants, want{"CateId", "="})
		}
		if !q.CreatedFrom.IsZero() || !q.CreatedBefore.IsZero() {
			wants = append(wants, want{"CreationTime", "range"})
		}
		conds := m.Conds()
		if len(conds) != len(wants) {
			t.Fatalf("Match %q has %d conditions, want %d", text, len(conds), len(wants))
		}
		for i, c := range conds {
			if c.Field != wants[i].field || c.Op != wants[i].op {
				t.Fatalf("Match %q: condition %d is %s %s, want %s %s", text, i, c.Field, c.Op, wants[i].field, wants[i].op)
			}
			if c.Field != "CateId" && !c.Quoted {
				t.Fatalf("Match %q: %s has an unquoted value", text, c.Field)
			}
			for _, v := range append(c.Values, c.Low, c.High) {
				if strings.ContainsFunc(v, func(r rune) bool { return r == '\'' || r == '"' || r == '\\' || unicode.IsControl(r) }) {
					t.Fatalf("Match %q: value %q", text, v)
				}
			}
			switch c.Field {
			case "Title":
				if v := cleanText(title, maxFuzzyRunes); !slices.Equal(c.Values, []string{v}) || utf8.RuneCountInString(v) > maxFuzzyRunes {
					t.Fatalf("Match %q: Title %q, want %q", text, c.Values, v)
				}
			case q.Type.idField():
				if ValidID(id) && !slices.Equal(c.Values, []string{id}) {
					t.Fatalf("Match %q: ID %q, want %q", text, c.Values, id)
				}
			case "Tags":
				if !slices.Equal(c.Values, tags) {
					t.Fatalf("Match %q: Tags %q, want %q", text, c.Values, tags)
				}
			}
		}
		if wantOr := titleOrID && cleanText(title, maxFuzzyRunes) != "" && id != ""; hasOr(m) != wantOr {
			t.Fatalf("Match %q: has an or: %t, want %t", text, hasOr(m), wantOr)
		}
	})
}

func hasOr(m emulator.MatchExpr) bool {
	return len(m.Or) > 0 || slices.ContainsFunc(m.And, hasOr)
}
