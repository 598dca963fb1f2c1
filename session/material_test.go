package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMaterialNeverPrintsSecrets(t *testing.T) {
	m := testMaterial()
	var out []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x"} {
		out = append(out, fmt.Sprintf(f, m), fmt.Sprintf(f, &m))
	}
	out = append(out, fmt.Sprint(m), fmt.Sprintln(m))
	j, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(j))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "m", m)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "m", m)
	out = append(out, buf.String())
	for _, s := range out {
		if strings.Contains(s, testSecret) || strings.Contains(s, testToken) {
			t.Errorf("secret leaked in %q", s)
		}
	}
	if !strings.Contains(buf.String(), `"access_key_id":"`+testKeyID+`"`) {
		t.Errorf("slog output %q lacks the structured key ID", buf.String())
	}
	if !strings.Contains(out[0], testKeyID) || !strings.Contains(out[0], redacted) {
		t.Errorf("formatted material %q should show the key ID and the redaction marker", out[0])
	}
}

func TestSealMaterialRoundTrip(t *testing.T) {
	s := mustSealer(t, testKey("a"))
	m := testMaterial()
	m.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.AddLookup(Lookup{Kind: "images", URL: "?q=cat", Summary: "3 images", At: m.Created})
	sealed, err := sealMaterial(s, "id", m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := openMaterial(s, "id", sealed)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeySecret != testSecret || got.SecurityToken != testToken ||
		!got.Created.Equal(m.Created) || len(got.Lookups) != 1 || got.Lookups[0].URL != "?q=cat" {
		t.Fatalf("round trip lost data: %+v", got.redacted())
	}
}

func TestAddLookupNewestFirstBounded(t *testing.T) {
	var m Material
	for i := range 15 {
		m.AddLookup(Lookup{Kind: "media", URL: fmt.Sprint(i)})
	}
	if len(m.Lookups) != MaxLookups {
		t.Fatalf("len = %d, want %d", len(m.Lookups), MaxLookups)
	}
	if m.Lookups[0].URL != "14" || m.Lookups[MaxLookups-1].URL != "5" {
		t.Fatalf("order = %s..%s, want 14..5", m.Lookups[0].URL, m.Lookups[MaxLookups-1].URL)
	}
}

func TestAddLookupMovesRepeatToTop(t *testing.T) {
	var m Material
	for _, u := range []string{"a", "b", "c"} {
		m.AddLookup(Lookup{Kind: "media", URL: u, Count: 1})
	}
	shared := m // a copy taken before, e.g. by another request
	m.AddLookup(Lookup{Kind: "media", URL: "a", Summary: "again", Count: 3})
	if got := lookupURLs(m); !slices.Equal(got, []string{"a", "c", "b"}) {
		t.Fatalf("after repeating a: %v, want [a c b]", got)
	}
	if m.Lookups[0].Count != 3 || m.Lookups[0].Summary != "again" {
		t.Fatalf("newest entry = %+v, want the repeat's", m.Lookups[0])
	}
	if got := lookupURLs(shared); !slices.Equal(got, []string{"c", "b", "a"}) {
		t.Fatalf("AddLookup changed an earlier copy's lookups: %v", got)
	}
	// A full list stays full when the repeated entry is the oldest one.
	m = Material{}
	for i := range MaxLookups {
		m.AddLookup(Lookup{URL: fmt.Sprint(i)})
	}
	m.AddLookup(Lookup{URL: "0"})
	if len(m.Lookups) != MaxLookups || m.Lookups[0].URL != "0" || m.Lookups[MaxLookups-1].URL != "1" {
		t.Fatalf("repeat of the oldest: %v", lookupURLs(m))
	}
}

func TestLookupCountSealed(t *testing.T) {
	s := mustSealer(t, testKey("a"))
	m := testMaterial()
	m.AddLookup(Lookup{Kind: "media", URL: "/media?ids=1,2,3", Count: 3})
	sealed, err := sealMaterial(s, "id", m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := openMaterial(s, "id", sealed)
	if err != nil || got.Lookups[0].Count != 3 {
		t.Fatalf("Count after round trip = %+v, %v", got.Lookups, err)
	}
}
