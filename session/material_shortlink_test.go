package session

import (
	"fmt"
	"testing"
)

// A session keeps at most MaxShortLinks short links (each holds up to a
// thousand IDs) among its MaxLookups recent lookups; repeating a lookup
// moves it to the top.
func TestAddLookupBoundsShortLinks(t *testing.T) {
	var m Material
	for i := range 8 {
		tok := fmt.Sprint("tok", i)
		m.AddLookup(Lookup{Kind: "images", URL: "/l/" + tok, Token: tok, IDs: []string{fmt.Sprint("id", i)}})
		m.AddLookup(Lookup{Kind: "images", URL: fmt.Sprint("/images?ids=small", i)})
	}
	links := 0
	for _, l := range m.Lookups {
		if l.Token != "" {
			links++
		}
	}
	if len(m.Lookups) != MaxLookups || links > MaxShortLinks {
		t.Fatalf("%d lookups with %d short links", len(m.Lookups), links)
	}
	if _, ok := m.ShortLink("tok7"); !ok {
		t.Error("the newest short link is gone")
	}
	if _, ok := m.ShortLink("tok0"); ok {
		t.Error("the oldest short link is still there")
	}
	if tok, ok := m.SameLookup("images", []string{"id7"}, nil); !ok || tok != "tok7" {
		t.Errorf("SameLookup = %q, %v", tok, ok)
	}
	if _, ok := m.SameLookup("media", []string{"id7"}, nil); ok {
		t.Error("SameLookup matched another kind")
	}
	if _, ok := m.ShortLink(""); ok {
		t.Error("an empty token found a lookup")
	}
}

func TestAddLookupKeepsAtMostMaxShortLinks(t *testing.T) {
	var m Material
	for i := range 9 {
		tok := fmt.Sprint("tok", i)
		m.AddLookup(Lookup{Kind: "images", URL: "/l/" + tok, Token: tok})
	}
	if len(m.Lookups) != MaxShortLinks {
		t.Fatalf("%d lookups kept, want %d", len(m.Lookups), MaxShortLinks)
	}
	if m.Lookups[0].Token != "tok8" || m.Lookups[MaxShortLinks-1].Token != "tok4" {
		t.Errorf("kept %s..%s", m.Lookups[0].Token, m.Lookups[MaxShortLinks-1].Token)
	}
}
