package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"vodboard/views"
	"vodboard/vodclient"
)

func TestSignedURLExpiry(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want time.Time
	}{
		{"http://cdn.example/image/a.png?auth_key=1700000000-0-0-abcdef", time.Unix(1700000000, 0).UTC()},
		{"https://b.oss-cn-shanghai.aliyuncs.com/a.png?Expires=1590982353&OSSAccessKeyId=x&Signature=y", time.Unix(1590982353, 0).UTC()},
		{"http://cdn.example/image/a.png", time.Time{}},
		{"http://cdn.example/a.png?auth_key=****", time.Time{}},
		{"::not a url", time.Time{}},
	} {
		if got := signedURLExpiry(tc.url); !got.Equal(tc.want) {
			t.Errorf("signedURLExpiry(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestPrettyJSON(t *testing.T) {
	if got := prettyJSON(`{"Extend":{"a":1}}`); got != "{\n  \"Extend\": {\n    \"a\": 1\n  }\n}" {
		t.Errorf("prettyJSON = %q", got)
	}
	if got := prettyJSON("not json {"); got != "not json {" {
		t.Errorf("non-JSON user data changed to %q", got)
	}
}

func TestParseLookup(t *testing.T) {
	var many []string
	for i := range MaxLookupIDs + 3 {
		many = append(many, fmt.Sprintf("id%04d", i))
	}
	in := parseLookup(views.LookupImages, "a1, b2\nb2  <script> "+strings.Join(many, ","), "")
	if in.size() != MaxLookupIDs+5 || in.ids[0] != "a1" || in.ids[1] != "b2" {
		t.Errorf("%d IDs kept, order or de-duplication lost: %v", in.size(), in.ids[:3])
	}
	// Only "<script>" is invalid: valid IDs are never called invalid, and
	// the list over the limit is refused whole, saying how many were given.
	if len(in.invalid) != 1 || in.invalid[0].Value != "<script>" {
		t.Errorf("invalid = %+v", in.invalid)
	}
	if !in.refused() {
		t.Error("a lookup over the limit is not refused")
	}
	if p := in.problems(); p.TooMany != MaxLookupIDs+5 || p.Max != MaxLookupIDs || refusedStatus(p) != http.StatusBadRequest {
		t.Errorf("problems = TooMany %d, Max %d", p.TooMany, p.Max)
	}

	// Media IDs and references share the limit; references alone are a
	// reference lookup.
	media := parseLookup(views.LookupMedia, strings.Join(many[:600], " "), strings.Join(many[600:1001], " "))
	if media.size() != 1001 || !media.refused() || media.kind != views.LookupMedia {
		t.Errorf("600 IDs and 401 references: size %d, refused %v, kind %s", media.size(), media.refused(), media.kind)
	}
	if refs := parseLookup(views.LookupMedia, "", "ref-1"); refs.kind != views.LookupReferences || refs.refused() {
		t.Errorf("references alone: kind %s, refused %v", refs.kind, refs.refused())
	}
	if exact := parseLookup(views.LookupImages, strings.Join(many[:MaxLookupIDs], ","), ""); exact.refused() || exact.calls() != 50 {
		t.Errorf("exactly %d IDs: refused %v, %d calls", MaxLookupIDs, exact.refused(), exact.calls())
	}
}

func TestChunkErrorsGroupByCall(t *testing.T) {
	first := &vodclient.Error{Code: "InternalError", HTTPStatus: 500, RequestID: "req-1"}
	second := &vodclient.Error{Code: "Throttling.User", HTTPStatus: 503, RequestID: "req-2"}
	got := chunkErrors([]string{"a", "b", "c"}, []error{first, first, second})
	if len(got) != 2 || len(got[0].IDs) != 2 || got[1].IDs[0] != "c" {
		t.Fatalf("chunkErrors = %+v", got)
	}
	if got[0].RequestID != "req-1" || !strings.Contains(got[1].Message, "throttling") {
		t.Errorf("chunk errors lost their request ID or message: %+v", got)
	}
	for _, c := range got {
		if strings.Contains(c.Message, "InternalError (HTTP") {
			t.Errorf("raw error text leaked into %q", c.Message)
		}
	}
}
