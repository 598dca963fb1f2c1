package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"vodboard/views"
	"vodboard/vodclient/emulator"
)

// signInTracked signs b in with key and returns the new session's ID, read
// from the client cache (the only place the tests can see it).
func signInTracked(t *testing.T, h *harness, b *browser, key emulator.Key) string {
	t.Helper()
	before := h.srv.clients.ids()
	b.mustSignIn(key)
	added := diff(h.srv.clients.ids(), before)
	if len(added) != 1 {
		t.Fatalf("sign-in added %d clients to the cache, want 1", len(added))
	}
	return added[0]
}

// TestConcurrentSessionsUseTheirOwnKeys signs in twice with different keys
// and looks up different IDs from both browsers at once; every upstream
// call must be signed with the key of the session that asked.
func TestConcurrentSessionsUseTheirOwnKeys(t *testing.T) {
	t.Parallel()
	keyB := newKey(t, "Bob")
	h := newHarness(t, harnessOptions{extraKeys: []emulator.Key{keyB}})
	images, media := h.cat.ImageIDs(), h.cat.MediaIDs()
	half := func(ids []string, first bool) []string {
		if first {
			return ids[:len(ids)/2]
		}
		return ids[len(ids)/2:]
	}
	type user struct {
		name          string
		key           emulator.Key
		b             *browser
		id            string
		images, media []string
	}
	users := []*user{
		{name: "A", key: h.key, images: half(images, true), media: half(media, true)},
		{name: "B", key: keyB, images: half(images, false), media: half(media, false)},
	}
	for _, u := range users {
		u.b = h.browser(t)
		u.id = signInTracked(t, h, u.b, u.key)
	}
	clientA, clientB := h.srv.clients.peek(users[0].id), h.srv.clients.peek(users[1].id)
	if clientA == nil || clientB == nil || clientA == clientB {
		t.Fatalf("clients A %p B %p: want two distinct clients", clientA, clientB)
	}
	h.emu.ResetCalls()

	const workers, rounds = 6, 4
	var wg sync.WaitGroup
	for _, u := range users {
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					n := w*rounds + r
					var target string
					switch n % 4 {
					case 0:
						target = "/images/" + u.images[n%len(u.images)]
					case 1:
						target = "/media/" + u.media[n%len(u.media)]
					case 2:
						target = "/media?ids=" + strings.Join(u.media[:min(5, len(u.media))], ",")
					case 3:
						if n%8 == 3 { // GetImageInfos is rate limited per key: a few will do
							target = "/images?ids=" + strings.Join(u.images[:min(5, len(u.images))], ",")
						} else {
							target = "/images/" + u.images[(n+1)%len(u.images)] + "/thumb"
						}
					}
					p := u.b.get(target)
					if p.status != http.StatusOK {
						t.Errorf("%s %s: status %d", u.name, target, p.status)
						continue
					}
					if r == 0 && !strings.HasSuffix(target, "/thumb") {
						masked := strings.TrimSpace(p.find("account").Find(".mono").Text())
						if masked != views.MaskAccessKeyID(u.key.AccessKeyID) {
							t.Errorf("%s sees the account %q", u.name, masked)
						}
					}
				}
			})
		}
	}
	wg.Wait()

	calls := h.emu.Calls()
	if len(calls) < workers*rounds {
		t.Fatalf("only %d upstream calls", len(calls))
	}
	owner := map[string]*user{}
	for _, u := range users {
		for _, id := range append(slices.Clone(u.images), u.media...) {
			owner[id] = u
		}
	}
	perKey := map[string]int{}
	for _, c := range calls {
		perKey[c.AccessKeyID]++
		if c.Status != http.StatusOK {
			t.Errorf("call %s by %s: status %d %s", c.Action, c.AccessKeyID, c.Status, c.Code)
		}
		for _, id := range c.IDs {
			u := owner[id]
			if u == nil {
				t.Errorf("call %s carried an ID nobody asked for: %q", c.Action, id)
				continue
			}
			if c.AccessKeyID != u.key.AccessKeyID {
				t.Errorf("%s's ID %s was sent signed with %q", u.name, id, c.AccessKeyID)
			}
		}
	}
	for _, u := range users {
		if perKey[u.key.AccessKeyID] == 0 {
			t.Errorf("no calls signed by %s's key", u.name)
		}
	}
	if len(perKey) != 2 {
		t.Errorf("calls signed by %d keys, want 2: %v", len(perKey), perKey)
	}
	// Each session kept its one client throughout.
	if h.srv.clients.peek(users[0].id) != clientA || h.srv.clients.peek(users[1].id) != clientB {
		t.Error("a session's client was replaced during the run")
	}
	if n := h.srv.clients.len(); n != 2 {
		t.Errorf("%d clients cached, want 2", n)
	}
}

func TestClientCache(t *testing.T) {
	t.Parallel()

	t.Run("one client per session, released at sign-out", func(t *testing.T) {
		h := newHarness(t, harnessOptions{})
		b := h.browser(t)
		id := signInTracked(t, h, b, h.key)
		c := h.srv.clients.peek(id)
		for _, target := range []string{"/library", "/lookup", "/media/" + h.cat.MediaIDs()[0], "/images/" + h.cat.ImageIDs()[0], "/settings"} {
			mustStatus(t, b.get(target), http.StatusOK)
			if got := h.srv.clients.peek(id); got != c {
				t.Fatalf("after %s the session has client %p, want %p", target, got, c)
			}
		}
		b.get("/settings")
		mustStatus(t, b.post("/logout", nil), http.StatusSeeOther)
		if h.srv.clients.peek(id) != nil || h.srv.clients.len() != 0 {
			t.Errorf("sign-out left %d clients", h.srv.clients.len())
		}
	})

	t.Run("bounded, and evicted sessions rebuild their own client", func(t *testing.T) {
		const maxClients, users = 3, 8
		keys := make([]emulator.Key, users)
		for i := range keys {
			keys[i] = newKey(t, fmt.Sprintf("U%d", i))
		}
		h := newHarness(t, harnessOptions{mode: "cloud", maxClients: maxClients, extraKeys: keys})
		browsers := make([]*browser, users)
		for i := range browsers {
			browsers[i] = h.browser(t)
			browsers[i].mustSignIn(keys[i])
			if n := h.srv.clients.len(); n > maxClients {
				t.Fatalf("%d clients cached, bound %d", n, maxClients)
			}
		}
		h.emu.ResetCalls()
		media := h.cat.MediaIDs()
		for round := range 2 {
			for i, b := range browsers {
				id := media[(i+round*users)%len(media)]
				p := b.get("/media/" + id)
				if p.status != http.StatusOK {
					t.Errorf("user %d: status %d", i, p.status)
				}
				if n := h.srv.clients.len(); n > maxClients {
					t.Fatalf("%d clients cached, bound %d", n, maxClients)
				}
				calls := h.emu.Calls()
				if last := calls[len(calls)-1]; last.AccessKeyID != keys[i].AccessKeyID || !slices.Equal(last.IDs, []string{id}) {
					t.Errorf("user %d's lookup of %s was signed by %q (IDs %v)", i, id, last.AccessKeyID, last.IDs)
				}
			}
		}
	})
}
