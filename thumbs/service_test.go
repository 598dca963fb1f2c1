package thumbs

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// origin serves originals at /<name>, counting requests; /stale answers
// 403 as an expired signed URL does.
type origin struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	files    map[string][]byte
	gate     chan struct{} // when set, answers wait for it
	entered  chan struct{} // when set, told of every request
}

func newOrigin(t *testing.T) *origin {
	o := &origin{files: map[string][]byte{}}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.requests.Add(1)
		o.mu.Lock()
		b, ok := o.files[r.URL.Path]
		gate, entered := o.gate, o.entered
		o.mu.Unlock()
		if entered != nil {
			entered <- struct{}{}
		}
		if gate != nil {
			<-gate
		}
		if !ok {
			http.Error(w, "expired", http.StatusForbidden)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(o.Close)
	return o
}

func (o *origin) put(path string, b []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.files[path] = b
}

func newService(t *testing.T, cfg Config) *Service {
	t.Helper()
	if cfg.Cache == nil {
		c, err := OpenCache(t.TempDir(), 1<<20, time.Hour, "test")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Cache = c
	}
	cfg.Secret = []byte("0123456789abcdef0123456789abcdef")
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// handedOut is an Original that hands out url, or fresh when asked again,
// and counts how often it was asked.
type handedOut struct {
	url, fresh string
	asked      atomic.Int32
}

func (h *handedOut) original(_ context.Context, fresh bool) (string, error) {
	h.asked.Add(1)
	if fresh && h.fresh != "" {
		return h.fresh, nil
	}
	if h.url == "" {
		return "", ErrNotFound
	}
	return h.url, nil
}

func TestThumbnailIsMadeOnceAndServedFromTheCache(t *testing.T) {
	o := newOrigin(t)
	o.put("/a.jpg", photo(t, 1600, 900))
	s := newService(t, Config{})
	key := Key{Owner: "LTAI5tAlice@cn-shanghai", Kind: Image, ID: "a"}
	src := &handedOut{url: o.URL + "/a.jpg"}

	var wg sync.WaitGroup
	got := make([]Thumbnail, 6)
	for i := range got {
		wg.Go(func() {
			th, err := s.Thumbnail(context.Background(), key, src.original)
			if err != nil {
				t.Error(err)
			}
			got[i] = th
		})
	}
	wg.Wait()
	if n := o.requests.Load(); n != 1 {
		t.Errorf("%d fetches of the original for 6 requests, want 1", n)
	}
	for _, th := range got[1:] {
		if th.ETag == "" || th.ETag != got[0].ETag {
			t.Errorf("ETags %q and %q differ", th.ETag, got[0].ETag)
		}
	}
	if b := decode(t, got[0].JPEG).Bounds(); b.Dx() != 400 || b.Dy() != 225 {
		t.Errorf("thumbnail %v", b)
	}
}

// Thumbnails of one owner are never another's, even for the same ID and
// with the first one cached: the second owner's session is asked, and
// without its say-so nothing is fetched.
func TestThumbnailsOfOwnersNeverMeet(t *testing.T) {
	o := newOrigin(t)
	o.put("/a.jpg", photo(t, 800, 450))
	s := newService(t, Config{})
	alice := &handedOut{url: o.URL + "/a.jpg"}
	if _, err := s.Thumbnail(context.Background(), Key{Owner: "LTAI5tAlice@cn-shanghai", Kind: Image, ID: "a"}, alice.original); err != nil {
		t.Fatal(err)
	}
	bob := &handedOut{} // Bob's VOD does not hand out "a"
	_, err := s.Thumbnail(context.Background(), Key{Owner: "LTAI5tBob@cn-shanghai", Kind: Image, ID: "a"}, bob.original)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Bob's request: %v, want ErrNotFound", err)
	}
	if bob.asked.Load() != 1 || o.requests.Load() != 1 {
		t.Errorf("Bob's VOD asked %d times, %d fetches; want 1 and only Alice's fetch", bob.asked.Load(), o.requests.Load())
	}
	// Nor does a kind stand for another.
	if _, err := s.Thumbnail(context.Background(), Key{Owner: "LTAI5tAlice@cn-shanghai", Kind: Cover, ID: "a"}, bob.original); !errors.Is(err, ErrNotFound) {
		t.Errorf("a cover of the same ID: %v, want ErrNotFound", err)
	}
}

func TestThumbnailAsksForAFreshURLWhenTheOldOneExpired(t *testing.T) {
	o := newOrigin(t)
	o.put("/fresh.jpg", photo(t, 800, 450))
	s := newService(t, Config{})
	src := &handedOut{url: o.URL + "/expired.jpg", fresh: o.URL + "/fresh.jpg"}
	if _, err := s.Thumbnail(context.Background(), Key{Owner: "o", Kind: Image, ID: "a"}, src.original); err != nil {
		t.Fatal(err)
	}
	if src.asked.Load() != 2 || o.requests.Load() != 2 {
		t.Errorf("asked %d times, %d fetches; want 2 of each", src.asked.Load(), o.requests.Load())
	}
	// A fresh URL refused too is the original's fault, not the session's.
	src = &handedOut{url: o.URL + "/expired.jpg", fresh: o.URL + "/gone.jpg"}
	if _, err := s.Thumbnail(context.Background(), Key{Owner: "o", Kind: Image, ID: "b"}, src.original); !errors.Is(err, ErrOriginal) {
		t.Errorf("refused twice: %v, want ErrOriginal", err)
	}
}

func TestThumbnailRefusesWhatItShouldNotFetch(t *testing.T) {
	o := newOrigin(t)
	o.put("/big.jpg", make([]byte, 2000))
	s := newService(t, Config{MaxOriginalBytes: 1000})
	for name, url := range map[string]string{
		"not http":   "file:///etc/passwd",
		"no host":    "http:///a.jpg",
		"too large":  o.URL + "/big.jpg",
		"javascript": "javascript:alert(1)",
	} {
		src := &handedOut{url: url}
		if _, err := s.Thumbnail(context.Background(), Key{Owner: "o", Kind: Image, ID: name}, src.original); !errors.Is(err, ErrOriginal) {
			t.Errorf("%s: %v, want ErrOriginal", name, err)
		}
	}
	if n := o.requests.Load(); n != 1 {
		t.Errorf("%d fetches, want only the one of the large original", n)
	}
}

// Past its bounds the service says it is busy at once: with one making at
// a time and one request waiting for its turn, a third is refused rather
// than queued (it would otherwise wait for an hour).
func TestThumbnailIsBusyPastItsBounds(t *testing.T) {
	o := newOrigin(t)
	for _, p := range []string{"/a.jpg", "/b.jpg", "/c.jpg"} {
		o.put(p, photo(t, 400, 300))
	}
	gate, entered := make(chan struct{}), make(chan struct{}, 3)
	o.mu.Lock()
	o.gate, o.entered = gate, entered
	o.mu.Unlock()
	s := newService(t, Config{Fetches: 1, Resizes: 1, MaxWaiting: 1, MaxWait: time.Hour})
	thumbnail := func(id string) error {
		_, err := s.Thumbnail(context.Background(), Key{Owner: "o", Kind: Image, ID: id}, (&handedOut{url: o.URL + "/" + id + ".jpg"}).original)
		return err
	}

	done := make(chan error, 2)
	go func() { done <- thumbnail("a") }()
	<-entered // a holds the only fetch
	go func() { done <- thumbnail("b") }()
	for s.waiting.Load() == 0 { // b waits for its turn
		runtime.Gosched()
	}
	if err := thumbnail("c"); !errors.Is(err, ErrBusy) {
		t.Errorf("c: %v, want ErrBusy", err)
	}
	close(gate)
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("a or b: %v", err)
		}
	}
}

// Close ends the makings in progress: once it returns nothing is written
// to the cache any more, and no thumbnail is made.
func TestCloseEndsTheMakings(t *testing.T) {
	o := newOrigin(t)
	o.put("/a.jpg", photo(t, 400, 300))
	gate, entered := make(chan struct{}), make(chan struct{}, 1)
	o.mu.Lock()
	o.gate, o.entered = gate, entered
	o.mu.Unlock()
	defer close(gate)
	s := newService(t, Config{})

	done := make(chan error, 1)
	go func() {
		_, err := s.Thumbnail(context.Background(), Key{Owner: "o", Kind: Image, ID: "a"}, (&handedOut{url: o.URL + "/a.jpg"}).original)
		done <- err
	}()
	<-entered // the original is being fetched
	s.Close()
	if err := <-done; err == nil {
		t.Error("a making cut short by Close returned a thumbnail")
	}
	if n := s.cfg.Cache.Len(); n != 0 {
		t.Errorf("%d thumbnails cached after Close", n)
	}
	if _, err := s.Thumbnail(context.Background(), Key{Owner: "o", Kind: Image, ID: "b"}, (&handedOut{url: o.URL + "/a.jpg"}).original); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}
