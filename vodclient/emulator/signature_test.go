package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The V3 example published in Alibaba Cloud's signature documentation.
func TestV3PublishedVector(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost,
		"http://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", nil)
	r.Host = "ecs.cn-shanghai.aliyuncs.com"
	empty := sha256.Sum256(nil)
	r.Header.Set("x-acs-action", "RunInstances")
	r.Header.Set("x-acs-version", "2014-05-26")
	r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
	r.Header.Set("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
	r.Header.Set("x-acs-content-sha256", hex.EncodeToString(empty[:]))
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}

	cr := canonicalRequestV3(r.Method, r.URL.EscapedPath(), canonicalQuery(r.URL.Query()),
		canonicalHeaders(r, signed), signed, hex.EncodeToString(empty[:]))
	sts := stringToSignV3(cr)
	if want := "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"; sts != want {
		t.Errorf("string to sign = %q, want %q\ncanonical request:\n%s", sts, want, cr)
	}
	if got, want := signatureV3("YourAccessKeySecret", sts), "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"; got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

func TestRFC3986AndCanonicalQuery(t *testing.T) {
	for in, want := range map[string]string{
		"a b":       "a%20b",
		"a*b":       "a%2Ab",
		"a~b":       "a~b",
		"a+b/c=d&e": "a%2Bb%2Fc%3Dd%26e",
		"中":         "%E4%B8%AD",
		"A-Z_a.z09": "A-Z_a.z09",
	} {
		if got := rfc3986(in); got != want {
			t.Errorf("rfc3986(%q) = %q, want %q", in, got, want)
		}
	}
	q := url.Values{"Tag": {"x"}, "Tag1": {"y"}, "A": {"b c"}, "Empty": {""}}
	if got, want := canonicalQuery(q), "A=b%20c&Empty=&Tag=x&Tag1=y"; got != want {
		t.Errorf("canonicalQuery = %q, want %q", got, want)
	}
}

func TestV3Rejections(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	demo := DemoKey()
	imageID := e.Catalog().ImageIDs()[0]
	q := url.Values{"ImageId": {imageID}}
	tests := []struct {
		name       string
		call       rawCall
		wantStatus int
		wantCode   string
	}{
		{"ok", rawCall{key: demo, action: "GetImageInfo", query: q}, 200, ""},
		{"unknown key", rawCall{key: Key{AccessKeyID: "LTAI5tNobody", AccessKeySecret: "x"}, action: "GetImageInfo", query: q}, 404, "InvalidAccessKeyId.NotFound"},
		{"wrong secret", rawCall{key: demo, secret: "not-the-secret", action: "GetImageInfo", query: q}, 400, "SignatureDoesNotMatch"},
		{"tampered signature", rawCall{key: demo, signature: strings.Repeat("0", 64), action: "GetImageInfo", query: q}, 400, "SignatureDoesNotMatch"},
		{"stale date", rawCall{key: demo, date: clock.Now().Add(-16 * time.Minute), action: "GetImageInfo", query: q}, 400, "InvalidTimeStamp.Expired"},
		{"future date", rawCall{key: demo, date: clock.Now().Add(16 * time.Minute), action: "GetImageInfo", query: q}, 400, "InvalidTimeStamp.Expired"},
		{"date within window", rawCall{key: demo, date: clock.Now().Add(-14 * time.Minute), action: "GetImageInfo", query: q}, 200, ""},
		{"bad date format", rawCall{key: demo, headers: map[string]string{"x-acs-date": "Thu, 26 Oct 2023 10:22:32 GMT"}, action: "GetImageInfo", query: q}, 400, "InvalidTimeStamp.Format"},
		{"unsigned x-acs header", rawCall{key: demo, headers: map[string]string{"x-acs-extra": "1"}, unsigned: []string{"x-acs-extra"}, action: "GetImageInfo", query: q}, 400, "IncompleteSignature"},
		{"unsigned host", rawCall{key: demo, unsigned: []string{"host"}, action: "GetImageInfo", query: q}, 400, "IncompleteSignature"},
		{"signed content-type", rawCall{key: demo, headers: map[string]string{"content-type": "application/x-www-form-urlencoded"}, action: "GetImageInfo", query: q}, 200, ""},
		{"body hash mismatch", rawCall{key: demo, body: "x=1", headers: map[string]string{"x-acs-content-sha256": strings.Repeat("a", 64)}, action: "GetImageInfo", query: q}, 400, "SignatureDoesNotMatch"},
		{"form body params", rawCall{key: demo, body: "ImageId=" + imageID, headers: map[string]string{"content-type": "application/x-www-form-urlencoded"}, action: "GetImageInfo"}, 200, ""},
		{"wrong version", rawCall{key: demo, version: "2020-01-01", action: "GetImageInfo", query: q}, 400, "InvalidVersion"},
		{"unknown action", rawCall{key: demo, action: "DeleteVideo", query: q}, 404, "InvalidAction.NotFound"},
		{"missing param", rawCall{key: demo, action: "GetImageInfo"}, 400, "MissingParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tt.call.do(t, srv)
			if resp.StatusCode != tt.wantStatus || str(body["Code"]) != tt.wantCode {
				t.Fatalf("got %d %q (%v), want %d %q", resp.StatusCode, body["Code"], body["Message"], tt.wantStatus, tt.wantCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if resp.Header.Get("x-acs-request-id") == "" || str(body["RequestId"]) != resp.Header.Get("x-acs-request-id") {
				t.Errorf("RequestId %q, header %q", body["RequestId"], resp.Header.Get("x-acs-request-id"))
			}
			if tt.wantCode != "" {
				for _, f := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
					if str(body[f]) == "" {
						t.Errorf("error body lacks %s: %v", f, body)
					}
				}
				if len(body) != 5 {
					t.Errorf("error body has %d fields, want 5: %v", len(body), body)
				}
			}
		})
	}
}

func TestSignatureMismatchHint(t *testing.T) {
	_, srv, _ := newTestServer(t, Options{})
	k := DemoKey()
	resp, body := rawCall{key: k, secret: "wrong", action: "GetImageInfos", query: url.Values{"ImageIds": {"a"}}}.do(t, srv)
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	msg := str(body["Message"])
	if !strings.Contains(msg, "server string to sign is:ACS3-HMAC-SHA256\n") {
		t.Errorf("message lacks the string to sign: %q", msg)
	}
	if strings.Contains(msg, k.AccessKeySecret) {
		t.Errorf("message leaks the secret: %q", msg)
	}
}

func TestNonceReuse(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	q := url.Values{"ImageId": {e.Catalog().ImageIDs()[0]}}
	call := rawCall{key: DemoKey(), action: "GetImageInfo", query: q, nonce: "f00dfeedf00dfeedf00dfeedf00dfeed", date: clock.Now()}
	if resp, body := call.do(t, srv); resp.StatusCode != 200 {
		t.Fatalf("first call: %d %v", resp.StatusCode, body)
	}
	resp, body := call.do(t, srv)
	if resp.StatusCode != 400 || str(body["Code"]) != "SignatureNonceUsed" {
		t.Fatalf("reused nonce: %d %v", resp.StatusCode, body)
	}
	// A failed signature does not burn a nonce.
	fresh := call
	fresh.nonce, fresh.secret = "0123456789abcdef0123456789abcdef", "wrong"
	if resp, _ := fresh.do(t, srv); resp.StatusCode != 400 {
		t.Fatalf("bad signature: %d", resp.StatusCode)
	}
	fresh.secret = ""
	if resp, body := fresh.do(t, srv); resp.StatusCode != 200 {
		t.Fatalf("nonce after failed signature: %d %v", resp.StatusCode, body)
	}
	// Nonces are forgotten once their date can no longer be accepted.
	if n := e.nonces.len(); n != 2 {
		t.Errorf("remembered nonces = %d, want 2", n)
	}
	clock.Advance(16 * time.Minute)
	later := rawCall{key: DemoKey(), action: "GetImageInfo", query: q, date: clock.Now()}
	if resp, _ := later.do(t, srv); resp.StatusCode != 200 {
		t.Fatalf("call after the window: %d", resp.StatusCode)
	}
	if n := e.nonces.len(); n != 1 {
		t.Errorf("remembered nonces after the window = %d, want 1", n)
	}
}

func TestNonceStoreBounded(t *testing.T) {
	s := newNonceStore()
	now := time.Unix(1_700_000_000, 0)
	for i := range 1000 {
		at := now.Add(time.Duration(i) * time.Second)
		if !s.use(randHex(8), at, at.Add(maxClockSkew)) {
			t.Fatal("fresh nonce refused")
		}
	}
	// 1000 s of traffic, 900 s window: only the last 900 remain.
	if n := s.len(); n > 901 {
		t.Errorf("remembered %d nonces, want at most 901", n)
	}
}

func TestV1Signature(t *testing.T) {
	e, srv, clock := newTestServer(t, Options{})
	sts := Key{AccessKeyID: "STS.NV1", AccessKeySecret: "sts-secret", SecurityToken: "CAIS-v1-token"}
	e.AddKey(sts)
	imageID := e.Catalog().ImageIDs()[0]
	params := url.Values{"ImageId": {imageID}, "OutputType": {"oss"}}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			resp, body := v1Call(t, srv, method, DemoKey(), "GetImageInfo", params, clock.Now(), randHex(16))
			if resp.StatusCode != 200 {
				t.Fatalf("%d %v", resp.StatusCode, body)
			}
			if got := str(obj(body["ImageInfo"])["ImageId"]); got != imageID {
				t.Errorf("ImageId = %q", got)
			}
		})
	}
	t.Run("sts", func(t *testing.T) {
		resp, body := v1Call(t, srv, http.MethodGet, sts, "GetImageInfo", params, clock.Now(), randHex(16))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("sts wrong secret hides token", func(t *testing.T) {
		bad := sts
		bad.AccessKeySecret = "nope"
		resp, body := v1Call(t, srv, http.MethodGet, bad, "GetImageInfo", params, clock.Now(), randHex(16))
		if resp.StatusCode != 400 || str(body["Code"]) != "SignatureDoesNotMatch" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
		msg := str(body["Message"])
		if !strings.Contains(msg, "GET&%2F&") || strings.Contains(msg, sts.SecurityToken) || strings.Contains(msg, sts.AccessKeySecret) {
			t.Errorf("hint %q", msg)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		k := DemoKey()
		k.AccessKeySecret = "nope"
		resp, body := v1Call(t, srv, http.MethodGet, k, "GetImageInfo", params, clock.Now(), randHex(16))
		if resp.StatusCode != 400 || str(body["Code"]) != "SignatureDoesNotMatch" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("nonce reuse and stale timestamp", func(t *testing.T) {
		nonce := randHex(16)
		if resp, _ := v1Call(t, srv, http.MethodGet, DemoKey(), "GetImageInfo", params, clock.Now(), nonce); resp.StatusCode != 200 {
			t.Fatalf("first: %d", resp.StatusCode)
		}
		if resp, body := v1Call(t, srv, http.MethodGet, DemoKey(), "GetImageInfo", params, clock.Now(), nonce); str(body["Code"]) != "SignatureNonceUsed" {
			t.Fatalf("reuse: %d %v", resp.StatusCode, body)
		}
		if resp, body := v1Call(t, srv, http.MethodGet, DemoKey(), "GetImageInfo", params, clock.Now().Add(-time.Hour), randHex(16)); str(body["Code"]) != "InvalidTimeStamp.Expired" {
			t.Fatalf("stale: %d %v", resp.StatusCode, body)
		}
	})
	t.Run("wrong version", func(t *testing.T) {
		p := url.Values{"ImageId": {imageID}, "Version": {"2014-05-26"}}
		if resp, body := v1Call(t, srv, http.MethodGet, DemoKey(), "GetImageInfo", p, clock.Now(), randHex(16)); resp.StatusCode != 400 || str(body["Code"]) != "InvalidVersion" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	calls := e.Calls()
	if len(calls) == 0 || calls[0].SignatureVersion != "v1" {
		t.Errorf("calls not recorded as v1: %+v", calls)
	}
}

func TestUnsignedRequest(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	resp, body := send(t, mustRequest(t, http.MethodGet, srv.URL+"/?Action=GetImageInfo&ImageId=x"))
	if resp.StatusCode != 400 || str(body["Code"]) != "MissingParameter" {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	calls := e.Calls()
	if len(calls) != 1 || calls[0].Action != "GetImageInfo" || calls[0].SignatureVersion != "" || calls[0].Code != "MissingParameter" {
		t.Errorf("record: %+v", calls)
	}
}

func mustRequest(t testing.TB, method, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
