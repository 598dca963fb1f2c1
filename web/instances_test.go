package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/redis/go-redis/v9"

	"vodboard/internal/redistest"
	"vodboard/session"
	"vodboard/vodclient/emulator"
)

// Several instances: two real servers (NewServer) sharing one Redis and one
// VOD emulator, behind an in-test round-robin reverse proxy, and visitors
// with cookie jars talking to the proxy as browsers would.

const (
	instA, instB = 0, 1
	anyInstance  = -1
	// pinHeader asks the proxy for an instance; servedHeader says which
	// one answered.
	pinHeader    = "X-Test-Pin"
	servedHeader = "X-Test-Served-By"
)

type cluster struct {
	redis      *redistest.Server
	emu        *emulator.Emulator
	key        emulator.Key
	cat        *emulator.Catalog
	sessionKey []byte
	servers    [2]*Server
	logs       [2]*logBuffer
	rdb        *redis.Client // the test's own view of Redis
	proxy      *httptest.Server
	next       atomic.Int64
}

type clusterOptions struct {
	synthetic int // emulator.Options.Synthetic
}

func newCluster(t *testing.T, o clusterOptions) *cluster {
	t.Helper()
	c := &cluster{redis: redistest.Start(t), key: newKey(t, "Multi"), cat: demoCatalog(t)}
	emu, err := emulator.New(emulator.Options{Catalog: c.cat, Keys: []emulator.Key{c.key}, Synthetic: o.synthetic})
	if err != nil {
		t.Fatal(err)
	}
	c.emu = emu
	upstream := httptest.NewServer(emu)
	t.Cleanup(upstream.Close)

	c.sessionKey = make([]byte, 32)
	rand.Read(c.sessionKey)
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	var backends [2]*url.URL
	for i := range c.servers {
		// Each instance has its own client, as separate processes would.
		rdb := testRedisClient(c.redis)
		t.Cleanup(func() { rdb.Close() })
		c.logs[i] = &logBuffer{}
		srv, err := NewServer(Deps{
			Config: Config{
				Mode: "cloud", Region: "cn-shanghai", SessionKeys: [][]byte{c.sessionKey},
				SessionStore: "redis", TrustedProxies: []*net.IPNet{loopback},
			},
			Logger:   slog.New(slog.NewTextHandler(c.logs[i], &slog.HandlerOptions{Level: slog.LevelDebug})),
			Endpoint: upstream.URL,
			Redis:    rdb,
		})
		if err != nil {
			t.Fatal(err)
		}
		c.servers[i] = srv
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		backends[i], _ = url.Parse(ts.URL)
	}
	c.rdb = testRedisClient(c.redis)
	t.Cleanup(func() { c.rdb.Close() })

	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := int(c.next.Add(1) % 2)
			if pin := pr.In.Header.Get(pinHeader); pin != "" {
				i, _ = strconv.Atoi(pin)
			}
			pr.SetURL(backends[i])
			// Clients of this proxy are the test: what it claims in
			// X-Forwarded-For stands for the client's address.
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
			pr.SetXForwarded()
			pr.Out.Host = pr.In.Host
			pr.Out.Header.Del(pinHeader)
			pr.Out.Header.Set(servedHeader, strconv.Itoa(i))
		},
		ModifyResponse: func(r *http.Response) error {
			r.Header.Set(servedHeader, r.Request.Header.Get(servedHeader))
			return nil
		},
	}
	c.proxy = httptest.NewServer(proxy)
	t.Cleanup(c.proxy.Close)
	return c
}

// testRedisClient is a client that gives up quickly while Redis is down,
// as Run's does.
func testRedisClient(s *redistest.Server) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: s.Addr, DialTimeout: 2 * time.Second, DialerRetries: 2, MaxRetries: 1})
}

// material reads a session's material straight from Redis.
func (c *cluster) material(t *testing.T, id string) session.Material {
	t.Helper()
	sealer, err := session.NewSealer(c.sessionKey)
	if err != nil {
		t.Fatal(err)
	}
	mat, ok, err := session.NewRedisStore(c.rdb, sealer, session.RedisOptions{}).Get(context.Background(), id)
	if err != nil || !ok {
		t.Fatalf("session %s in Redis: ok %v, err %v", id, ok, err)
	}
	return mat
}

// visitor is a browser: a cookie jar, the CSRF token of the last page.
type visitor struct {
	t  *testing.T
	c  *cluster
	hc *http.Client

	mu   sync.Mutex
	csrf string
}

func (c *cluster) visitor(t *testing.T) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, c: c, hc: &http.Client{
		Jar:           jar,
		Timeout:       time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type reply struct {
	status   int
	header   http.Header
	body     string
	doc      *goquery.Document
	instance int
}

func (r *reply) location() string { return r.header.Get("Location") }

// do sends a request through the proxy, on instance on (or the next in
// turn), with form as its body when not nil, and the CSRF token added.
func (v *visitor) do(method, path string, form url.Values, on int, header ...string) *reply {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		form = cloneValues(form)
		if !form.Has("_csrf") {
			v.mu.Lock()
			form.Set("_csrf", v.csrf)
			v.mu.Unlock()
		}
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, v.c.proxy.URL+path, body)
	if err != nil {
		v.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if on != anyInstance {
		req.Header.Set(pinHeader, strconv.Itoa(on))
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := v.hc.Do(req)
	if err != nil {
		v.t.Errorf("%s %s: %v", method, path, err)
		return &reply{status: -1, header: http.Header{}, doc: &goquery.Document{Selection: &goquery.Selection{}}}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &reply{status: res.StatusCode, header: res.Header, body: string(b)}
	r.instance, _ = strconv.Atoi(res.Header.Get(servedHeader))
	r.doc, _ = goquery.NewDocumentFromReader(strings.NewReader(r.body))
	tok, ok := r.doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if !ok || tok == "" {
		tok, ok = r.doc.Find(`input[name="_csrf"]`).First().Attr("value")
	}
	if ok && tok != "" {
		v.mu.Lock()
		v.csrf = tok
		v.mu.Unlock()
	}
	return r
}

func (v *visitor) get(path string, on int) *reply {
	v.t.Helper()
	return v.do(http.MethodGet, path, nil, on)
}

// signIn signs in through the form, both requests on instance on, and
// returns the new session's ID, read from that instance's client cache.
func (v *visitor) signIn(on int) string {
	v.t.Helper()
	srv := v.c.servers[on]
	before := srv.clients.sessionIDs()
	if r := v.get("/login", on); r.status != http.StatusOK {
		v.t.Fatalf("GET /login: %d", r.status)
	}
	r := v.do(http.MethodPost, "/login", url.Values{
		"region": {"cn-shanghai"}, "access_key_id": {v.c.key.AccessKeyID}, "access_key_secret": {v.c.key.AccessKeySecret},
	}, on)
	if r.status != http.StatusSeeOther || r.instance != on {
		v.t.Fatalf("sign-in on %d: status %d on %d, want 303; body %s", on, r.status, r.instance, excerpt(r.body))
	}
	added := diff(srv.clients.sessionIDs(), before)
	if len(added) != 1 {
		v.t.Fatalf("sign-in added %d clients to the cache, want 1", len(added))
	}
	return added[0]
}

// cookies returns the visitor's cookies for the site, to replay later.
func (v *visitor) cookies() []*http.Cookie {
	u, _ := url.Parse(v.c.proxy.URL)
	return v.hc.Jar.Cookies(u)
}

func (v *visitor) setCookies(cs []*http.Cookie) {
	u, _ := url.Parse(v.c.proxy.URL)
	v.hc.Jar.SetCookies(u, cs)
}

func cached(s *Server, id string) bool { return slices.Contains(s.clients.sessionIDs(), id) }

func TestInstancesSignInOnOneBrowseOnOther(t *testing.T) {
	t.Parallel()
	c := newCluster(t, clusterOptions{})
	v := c.visitor(t)
	id := v.signIn(instA)

	r := v.get("/library", instB)
	mustStatusReply(t, r, http.StatusOK)
	if n := r.doc.Find(`[data-testid="library-item"]`).Length(); n == 0 {
		t.Fatalf("library on B shows no item: %s", excerpt(r.body))
	}
	if !cached(c.servers[instB], id) {
		t.Fatal("B built no client for the session")
	}
	if c.servers[instA].clients.peek(id) == c.servers[instB].clients.peek(id) {
		t.Fatal("the instances share a client object")
	}
	// Round robin from here: every page answers on both, and no answer
	// rewrites the cookie.
	served := map[int]int{}
	for _, path := range []string{"/settings", "/lookup", "/library", "/settings", "/media?ids=" + c.cat.MediaIDs()[0], "/images/" + c.cat.ImageIDs()[0]} {
		r := v.get(path, anyInstance)
		mustStatusReply(t, r, http.StatusOK)
		served[r.instance]++
		if sc := r.header.Values("Set-Cookie"); len(sc) != 0 {
			t.Errorf("%s on %d sets cookies %q", path, r.instance, sc)
		}
	}
	if served[instA] == 0 || served[instB] == 0 {
		t.Fatalf("round robin served %v", served)
	}
}

func TestInstancesSignOutOnOneEndsOnBoth(t *testing.T) {
	t.Parallel()
	c := newCluster(t, clusterOptions{})
	v := c.visitor(t)
	id := v.signIn(instA)
	mustStatusReply(t, v.get("/library", instB), http.StatusOK)
	stolen := v.cookies()

	r := v.do(http.MethodPost, "/logout", url.Values{}, instB)
	if r.status != http.StatusSeeOther || r.location() != "/login" || r.header.Get("Clear-Site-Data") == "" {
		t.Fatalf("sign-out on B: %d to %q, Clear-Site-Data %q", r.status, r.location(), r.header.Get("Clear-Site-Data"))
	}
	if cached(c.servers[instB], id) {
		t.Fatal("B kept the client of the session it ended")
	}
	if !cached(c.servers[instA], id) {
		t.Fatal("test setup: A should still hold the client until it notices")
	}
	// The old cookie, replayed on A: refused at once, and A drops its client.
	thief := c.visitor(t)
	thief.setCookies(stolen)
	for _, on := range []int{instA, instB} {
		r := thief.get("/library", on)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
			t.Fatalf("old cookie on %d after sign-out on B: %d to %q, want a redirect to /login", on, r.status, r.location())
		}
	}
	if cached(c.servers[instA], id) {
		t.Fatal("A still holds the client of a session ended on B")
	}

	// A session ended on B that A never sees again: A's sweeper releases it.
	v2 := c.visitor(t)
	id2 := v2.signIn(instA)
	mustStatusReply(t, v2.get("/settings", instB), http.StatusOK)
	if r := v2.do(http.MethodPost, "/logout", url.Values{}, instB); r.status != http.StatusSeeOther {
		t.Fatalf("second sign-out: %d", r.status)
	}
	c.servers[instA].sweep(context.Background())
	if cached(c.servers[instA], id2) {
		t.Fatal("A's sweeper kept the client of a session ended on B")
	}
}

func mustStatusReply(t *testing.T, r *reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d on instance %d, want %d; body: %s", r.status, r.instance, want, excerpt(r.body))
	}
}

func TestInstancesConcurrentUpdatesLoseNothing(t *testing.T) {
	t.Parallel()
	c := newCluster(t, clusterOptions{})
	v := c.visitor(t)
	id := v.signIn(instA)
	mustStatusReply(t, v.get("/settings", instB), http.StatusOK)

	media := c.cat.MediaIDs()
	const lookups, saves, loaders = 10, 12, 6
	var wg sync.WaitGroup
	start := make(chan struct{})
	// Settings saved one after another, alternating instances, while
	// lookups (each recorded by a read-modify-write of the session) start
	// together on both, and page loads (each a read-modify-write too: it
	// renews the session) keep going on both.
	wg.Go(func() {
		<-start
		for i := range saves {
			r := v.do(http.MethodPost, "/settings", url.Values{"output_type": {"cdn"}, "auth_timeout": {strconv.Itoa(1001 + i)}}, i%2)
			if r.status != http.StatusSeeOther {
				t.Errorf("save %d: %d %s", i, r.status, excerpt(r.body))
			}
		}
	})
	for n := range lookups {
		wg.Go(func() {
			<-start
			if r := v.get("/media?ids="+media[n%len(media)]+"&n="+strconv.Itoa(n), n%2); r.status != http.StatusOK {
				t.Errorf("lookup %d: %d", n, r.status)
			}
		})
	}
	for range loaders {
		wg.Go(func() {
			<-start
			for range 8 {
				if r := v.get("/settings", anyInstance); r.status != http.StatusOK {
					t.Errorf("settings page: %d", r.status)
				}
			}
		})
	}
	close(start)
	wg.Wait()

	mat := c.material(t, id)
	if mat.Settings.AuthTimeout != 1000+saves {
		t.Errorf("AuthTimeout = %d, want %d, the last one saved", mat.Settings.AuthTimeout, 1000+saves)
	}
	var got []string
	for _, l := range mat.Lookups {
		got = append(got, l.URL)
	}
	for n := range lookups {
		want := "/media?ids=" + media[n%len(media)] + "&n=" + strconv.Itoa(n)
		if !slices.Contains(got, want) {
			t.Errorf("lookup %s lost; recorded %v", want, got)
		}
	}
	if r := v.get("/settings", anyInstance); !strings.Contains(r.body, `value="`+strconv.Itoa(1000+saves)+`"`) {
		t.Errorf("settings page does not show the last save")
	}
}

func TestInstancesRedisOutage(t *testing.T) {
	t.Parallel()
	c := newCluster(t, clusterOptions{})
	v := c.visitor(t)
	v.signIn(instA)
	mustStatusReply(t, v.get("/library", instB), http.StatusOK)
	for _, on := range []int{instA, instB} {
		mustStatusReply(t, v.get("/readyz", on), http.StatusOK)
	}

	c.redis.Stop()
	c.emu.ResetCalls()
	for _, on := range []int{instA, instB} {
		for _, path := range []string{"/library", "/settings", "/login", "/media?ids=" + c.cat.MediaIDs()[0]} {
			r := v.get(path, on)
			if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
				t.Fatalf("%s on %d with Redis down: %d (Retry-After %q), want 503", path, on, r.status, r.header.Get("Retry-After"))
			}
			if msg := r.doc.Find(`[data-testid="error"]`).Text(); !strings.Contains(msg, "Sessions are unavailable") {
				t.Fatalf("%s on %d: the 503 says %q", path, on, strings.Join(strings.Fields(msg), " "))
			}
			if sc := r.header.Values("Set-Cookie"); len(sc) != 0 {
				t.Fatalf("%s on %d with Redis down sets cookies %q", path, on, sc)
			}
		}
		// htmx gets the alert fragment, with the same status.
		if r := v.do(http.MethodGet, "/library", nil, on, "HX-Request", "true"); r.status != http.StatusServiceUnavailable {
			t.Fatalf("htmx request on %d: %d", on, r.status)
		}
		// Nor does anyone get a sign-in form that could not work.
		mustStatusReply(t, c.visitor(t).get("/login", on), http.StatusServiceUnavailable)
		mustStatusReply(t, v.get("/healthz", on), http.StatusOK)
		mustStatusReply(t, v.get("/readyz", on), http.StatusServiceUnavailable)
		// Neither sign-out nor sign-in pretends to work.
		if r := v.do(http.MethodPost, "/logout", url.Values{}, on); r.status != http.StatusServiceUnavailable {
			t.Fatalf("sign-out on %d with Redis down: %d", on, r.status)
		}
		if r := v.do(http.MethodPost, "/login", url.Values{"region": {"cn-shanghai"}, "access_key_id": {c.key.AccessKeyID}, "access_key_secret": {c.key.AccessKeySecret}}, on); r.status != http.StatusServiceUnavailable {
			t.Fatalf("sign-in on %d with Redis down: %d", on, r.status)
		}
	}
	if calls := c.emu.Calls(); len(calls) != 0 {
		t.Fatalf("%d VOD calls while Redis was down, want none (first %s)", len(calls), calls[0].Action)
	}

	c.redis.Restart() // empty, as after a crash without persistence
	for _, on := range []int{instA, instB} {
		waitFor(t, time.Minute, func() bool { return v.get("/readyz", on).status == http.StatusOK }, fmt.Sprintf("instance %d ready again", on))
	}
	// The session died with Redis's data: signed out, cleanly, on both.
	r := v.get("/library", instB)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
		t.Fatalf("after the restart: %d to %q, want a redirect to /login", r.status, r.location())
	}
	v.signIn(instB)
	mustStatusReply(t, v.get("/library", instA), http.StatusOK)
}

// TestInstancesShareSignInLimits: sign-in attempts for one AccessKey ID are
// counted across both instances, whatever address they come from, and
// using up one key's attempts locks out neither other keys nor the
// addresses it came from.
func TestInstancesShareSignInLimits(t *testing.T) {
	t.Parallel()
	c := newCluster(t, clusterOptions{})
	v := c.visitor(t)
	mustStatusReply(t, v.get("/login", anyInstance), http.StatusOK)
	attempt := func(keyID, secret, clientIP string, on int) *reply {
		return v.do(http.MethodPost, "/login", url.Values{
			"region": {"cn-shanghai"}, "access_key_id": {keyID}, "access_key_secret": {secret},
		}, on, "X-Forwarded-For", clientIP)
	}
	for i := range signInsPerMinute {
		r := attempt(c.key.AccessKeyID, "a wrong guess", fmt.Sprintf("203.0.113.%d", i+1), i%2)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("guess %d on %d: %d, want 401 from VOD", i+1, r.instance, r.status)
		}
	}
	for _, on := range []int{instA, instB} {
		r := attempt(c.key.AccessKeyID, "a wrong guess", "198.51.100.77", on)
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("guess past the key's limit on %d from a fresh address: %d, Retry-After %q; want 429", on, r.status, r.header.Get("Retry-After"))
		}
	}
	// Another key from an address the guesses came from still signs in.
	other := newKey(t, "Other")
	c.emu.AddKey(other)
	if r := attempt(other.AccessKeyID, other.AccessKeySecret, "203.0.113.1", instB); r.status != http.StatusSeeOther {
		t.Fatalf("another key from a guessing address: %d, want 303", r.status)
	}
}

// TestInstancesShareVODRateLimits looks up 300 images, half on each
// instance at once, for one account whose GetImageInfos the emulator
// limits to 10 calls a second. Each instance alone would pace itself at 9
// a second, 18 together; sharing the limit in Redis keeps them at 9
// together, so VOD never throttles a call.
func TestInstancesShareVODRateLimits(t *testing.T) {
	t.Parallel()
	c := newCluster(t, clusterOptions{synthetic: 200})
	ids := c.emu.Catalog().ImageIDs()
	if len(ids) < 300 {
		t.Fatalf("the catalog has %d images, want 300", len(ids))
	}
	ids = ids[:300]
	v := c.visitor(t)
	v.signIn(instA)
	c.emu.ResetCalls()

	halves := [2][]string{ids[:150], ids[150:]}
	var wg sync.WaitGroup
	for on, half := range halves {
		wg.Go(func() {
			r := v.get("/images?ids="+strings.Join(half, ","), on)
			if r.status == http.StatusSeeOther {
				// Over 100 IDs: the lookup's short link.
				r = v.get(r.location(), on)
			}
			if live := r.doc.Find(`[data-testid="lookup-live"]`); live.Length() == 1 {
				// The page listens to the lookup's stream, which ends with
				// the results.
				r = v.do(http.MethodGet, live.AttrOr("sse-connect", ""), nil, on, "Accept", "text/event-stream")
				if events := parseEvents(t, r.body); len(events) > 0 {
					r.doc = events[len(events)-1].doc
				}
			}
			if r.status != http.StatusOK || r.instance != on {
				t.Errorf("lookup on %d: status %d on %d; %s", on, r.status, r.instance, excerpt(r.body))
				return
			}
			if n := r.doc.Find(`[data-testid="image-card"]`).Length(); n != len(half) {
				t.Errorf("lookup on %d: %d image cards, want %d", on, n, len(half))
			}
			if n := r.doc.Find(`[data-testid="chunk-error"], [data-flag]`).Length(); n != 0 {
				t.Errorf("lookup on %d: %d errors or flags", on, n)
			}
		})
	}
	wg.Wait()

	var batches, seen int
	for _, call := range c.emu.Calls() {
		if call.Action != "GetImageInfos" {
			continue
		}
		if call.Status != http.StatusOK || call.Code != "" {
			t.Errorf("GetImageInfos answered %d %s: the instances together went over the limit", call.Status, call.Code)
			continue
		}
		batches++
		seen += len(call.IDs)
	}
	if want := 2 * 8; batches != want || seen != 300 {
		t.Errorf("%d GetImageInfos calls for %d IDs, want %d calls for 300", batches, seen, want)
	}
}
