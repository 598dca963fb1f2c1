package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

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

func TestParseIDs(t *testing.T) {
	var many []string
	for i := range MaxLookupIDs + 3 {
		many = append(many, fmt.Sprintf("id%03d", i))
	}
	ids, invalid := parseIDs("a1, b2\nb2  <script> "+strings.Join(many, ","), MaxLookupIDs)
	if len(ids) != MaxLookupIDs {
		t.Errorf("%d IDs kept, want the limit %d", len(ids), MaxLookupIDs)
	}
	if ids[0] != "a1" || ids[1] != "b2" {
		t.Errorf("order or de-duplication lost: %v", ids[:3])
	}
	// "<script>" and the 5 IDs past the limit are named, none dropped.
	if len(invalid) != 6 || invalid[0].Value != "<script>" {
		t.Errorf("invalid = %+v", invalid)
	}
	for _, in := range invalid[1:] {
		if !strings.Contains(in.Reason, "limit") {
			t.Errorf("%s: reason %q does not mention the limit", in.Value, in.Reason)
		}
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
