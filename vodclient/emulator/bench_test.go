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

// signedRecorderRequest builds a V3-signed request for the handler alone.
func signedRecorderRequest(b *testing.B, k Key, action string, q url.Values, now time.Time) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/?"+q.Encode(), nil)
	sum := sha256.Sum256(nil)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", apiVersion)
	r.Header.Set("x-acs-date", now.UTC().Format("2006-01-02T15:04:05Z"))
	r.Header.Set("x-acs-signature-nonce", randHex(16))
	r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	cr := canonicalRequestV3(r.Method, "/", canonicalQuery(r.URL.Query()), canonicalHeaders(r, signed), signed, hex.EncodeToString(sum[:]))
	r.Header.Set("Authorization", algorithmV3+" Credential="+k.AccessKeyID+",SignedHeaders="+strings.Join(signed, ";")+
		",Signature="+signatureV3(k.AccessKeySecret, stringToSignV3(cr)))
	return r
}

func BenchmarkBatchGetMediaInfos20(b *testing.B) {
	clock := newFakeClock()
	e, err := New(Options{Now: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	ids := e.Catalog().MediaIDs()[:20]
	q := url.Values{"MediaIds": {strings.Join(ids, ",")}}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r := signedRecorderRequest(b, DemoKey(), "BatchGetMediaInfos", q, clock.Now())
		w := httptest.NewRecorder()
		b.StartTimer()
		e.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

func BenchmarkSynthetic6000(b *testing.B) {
	base := DemoCatalog()
	b.ReportAllocs()
	for b.Loop() {
		base.withSynthetic(6000)
	}
}

func BenchmarkSearchMediaSynthetic(b *testing.B) {
	clock := newFakeClock()
	e, err := New(Options{Now: clock.Now, Synthetic: 6000})
	if err != nil {
		b.Fatal(err)
	}
	e.SetRateLimit("SearchMedia", 0)
	q := url.Values{"Match": {"Title = 'harbor' and Status in ('Normal','Checking')"}, "PageSize": {"100"},
		"Fields": {"Title,CoverURL,Duration,Size,Status,CateName,Tags"}}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r := signedRecorderRequest(b, DemoKey(), "SearchMedia", q, clock.Now())
		w := httptest.NewRecorder()
		b.StartTimer()
		e.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
