package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/redis/go-redis/v9"

	"vodboard/metrics"
	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// The harness: a VOD emulator on a loopback port, the real dashboard server
// in front of it, and "browsers" that keep cookies, read CSRF tokens from
// pages and post forms the way a browser would.

// fakeClock is the sessions' clock. It starts at the real time; only the
// dashboard's sessions read it (the emulator checks signatures against the
// real time).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer collects the server's slog output; safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

var keySeq atomic.Int64

// newKey returns an emulator key unique to this test process, so that the
// client-side rate limits (per AccessKey, process-wide) of one test never
// slow down another.
func newKey(t testing.TB, label string) emulator.Key {
	t.Helper()
	n := keySeq.Add(1)
	return emulator.Key{
		AccessKeyID:     "LTAI5t" + label + hex.EncodeToString([]byte{byte(n >> 8), byte(n)}),
		AccessKeySecret: "secret-" + label + "-" + randomHex(t, 12),
	}
}

// newSTSKey returns an STS key (its ID starts with STS.) with a token.
func newSTSKey(t testing.TB) emulator.Key {
	t.Helper()
	k := newKey(t, "Sts")
	k.AccessKeyID = "STS." + k.AccessKeyID
	k.SecurityToken = "CAIS-token-" + randomHex(t, 24)
	return k
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

type harnessOptions struct {
	mode        string // "demo" (default) or "cloud"
	catalog     *emulator.Catalog
	extraKeys   []emulator.Key
	publicURL   string
	maxClients  int
	serverCreds bool
	serverCred  credentials.Credential
	vodTimeout  time.Duration   // Deps.VODTimeout
	synthetic   int             // emulator.Options.Synthetic: generated assets of each kind
	rateLimits  vodclient.Pacer // Deps.Pacer
	// upstream wraps the emulator's handler (to corrupt its answers).
	upstream func(http.Handler) http.Handler
	// requestTimeout and maxInflight are Config.RequestTimeout and
	// Config.MaxInflight; redis is Deps.Redis.
	requestTimeout time.Duration
	maxInflight    int
	redis          *redis.Client
	// trustedProxies is Config.TrustedProxies.
	trustedProxies []*net.IPNet
	// metrics is Deps.Metrics.
	metrics *metrics.Metrics
	// exportMaxRows is Deps.ExportMaxRows.
	exportMaxRows int
	// thumbnails turns light thumbnails on, cached in a directory of the
	// test's (harness.thumbDir) bounded to thumbCacheSize (0: the
	// default); emulatorNow is the emulator's clock (nil: time.Now).
	thumbnails     bool
	thumbCacheSize int64
	emulatorNow    func() time.Time
	// emulatorPictureBytes is emulator.Options.PictureCacheBytes.
	emulatorPictureBytes int64
}

type harness struct {
	emu    *emulator.Emulator
	emuURL string
	key    emulator.Key // the main key: the demo key in demo mode
	srv    *Server
	clock  *fakeClock
	logs   *logBuffer
	cat    *emulator.Catalog
	// thumbDir is the thumbnail cache's directory, when thumbnails are on.
	thumbDir string
}

func newHarness(t testing.TB, o harnessOptions) *harness {
	t.Helper()
	if o.mode == "" {
		o.mode = "demo"
	}
	if o.catalog == nil {
		o.catalog = demoCatalog(t)
	}
	key := newKey(t, "Main")
	emu, err := emulator.New(emulator.Options{Catalog: o.catalog, Keys: append([]emulator.Key{key}, o.extraKeys...), Synthetic: o.synthetic, Now: o.emulatorNow, PictureCacheBytes: o.emulatorPictureBytes})
	if err != nil {
		t.Fatal(err)
	}
	var upstream http.Handler = emu
	if o.upstream != nil {
		upstream = o.upstream(emu)
	}
	ts := httptest.NewServer(upstream)
	t.Cleanup(ts.Close)

	sessionKey := make([]byte, 32)
	if _, err := rand.Read(sessionKey); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Mode: o.mode, Region: "cn-shanghai", SessionKeys: [][]byte{sessionKey}, ServerCredentials: o.serverCreds}
	cfg.RequestTimeout, cfg.MaxInflight = o.requestTimeout, o.maxInflight
	cfg.TrustedProxies = o.trustedProxies
	if o.thumbnails {
		cfg.Thumbnails, cfg.ThumbCacheDir, cfg.ThumbCacheSize = true, t.TempDir(), o.thumbCacheSize
	}
	if o.serverCreds {
		cfg.ServerCredentialsPassword = serverPassword
	}
	if o.publicURL != "" {
		u, err := url.Parse(o.publicURL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.PublicURL = u
	}
	logs := &logBuffer{}
	clock := newFakeClock()
	deps := Deps{
		Config:     cfg,
		Logger:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Endpoint:   ts.URL,
		Now:        clock.Now,
		MaxClients: o.maxClients,
		VODTimeout: o.vodTimeout,
		Pacer:      o.rateLimits,
		Redis:      o.redis,
		Metrics:    o.metrics,

		ExportMaxRows: o.exportMaxRows,
	}
	if o.serverCreds {
		deps.ServerCredential = o.serverCred
	}
	if o.mode == "demo" {
		deps.DemoKey = key
		deps.DemoCatalog = o.catalog
	}
	srv, err := NewServer(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close) // before the thumbnail cache's directory goes
	return &harness{emu: emu, emuURL: ts.URL, key: key, srv: srv, clock: clock, logs: logs, cat: o.catalog, thumbDir: cfg.ThumbCacheDir}
}

var (
	demoOnce sync.Once
	demoCat  *emulator.Catalog
)

// demoCatalog returns the emulator's embedded demo catalog, skipping the
// test when it is still empty (the emulator is being finished elsewhere).
func demoCatalog(t testing.TB) *emulator.Catalog {
	t.Helper()
	demoOnce.Do(func() { demoCat = emulator.DemoCatalog() })
	if len(demoCat.ImageIDs()) == 0 || len(demoCat.MediaIDs()) == 0 {
		t.Skip("the emulator's demo catalog is still empty")
	}
	return demoCat
}

// browser is one user agent: its own cookie jar and client address.
type browser struct {
	t          testing.TB
	h          *harness
	remoteAddr string
	mu         sync.Mutex
	cookies    map[string]*http.Cookie
	csrf       string // the token of the last page that had one
	history    []*page
}

var addrSeq atomic.Int64

func (h *harness) browser(t testing.TB) *browser {
	n := addrSeq.Add(1)
	return &browser{
		t:          t,
		h:          h,
		remoteAddr: fmt.Sprintf("198.51.%d.%d:%d", n/250%250, n%250+1, 40000+n%20000),
		cookies:    map[string]*http.Cookie{},
	}
}

// page is a response as the test sees it.
type page struct {
	status int
	header http.Header
	body   string
	cookie []*http.Cookie
	doc    *goquery.Document
}

// find returns the elements with data-testid id.
func (p *page) find(id string) *goquery.Selection {
	return p.doc.Find(`[data-testid="` + id + `"]`)
}

func (p *page) location() string { return p.header.Get("Location") }

// isFullPage reports whether the body is a whole HTML document.
func (p *page) isFullPage() bool { return strings.Contains(strings.ToLower(p.body), "<html") }

type reqOption func(*http.Request)

func htmx(r *http.Request) { r.Header.Set("HX-Request", "true") }

func withHeader(k, v string) reqOption { return func(r *http.Request) { r.Header.Set(k, v) } }

func withContext(ctx context.Context) reqOption {
	return func(r *http.Request) { *r = *r.WithContext(ctx) }
}

// do sends a request with the browser's cookies and applies the cookies of
// the answer. It never follows redirects.
func (b *browser) do(method, target string, body io.Reader, opts ...reqOption) *page {
	b.t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = b.remoteAddr
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	b.mu.Lock()
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	b.mu.Unlock()
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	b.h.srv.ServeHTTP(rec, req)
	res := rec.Result()
	p := &page{status: res.StatusCode, header: res.Header, body: rec.Body.String(), cookie: res.Cookies()}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if err != nil {
		b.t.Errorf("%s %s: parse body: %v", method, target, err) // Errorf: do runs in goroutines too
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(""))
	}
	p.doc = doc

	b.mu.Lock()
	defer b.mu.Unlock()
	b.history = append(b.history, p)
	for _, c := range p.cookie {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
			continue
		}
		b.cookies[c.Name] = c
	}
	if tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok && tok != "" {
		b.csrf = tok
	} else if tok, ok := doc.Find(`input[name="_csrf"]`).First().Attr("value"); ok && tok != "" {
		b.csrf = tok
	}
	return p
}

func (b *browser) get(target string, opts ...reqOption) *page {
	b.t.Helper()
	return b.do(http.MethodGet, target, nil, opts...)
}

// post sends form with the browser's current CSRF token (unless form has
// its own _csrf).
func (b *browser) post(target string, form url.Values, opts ...reqOption) *page {
	b.t.Helper()
	form = cloneValues(form)
	if !form.Has("_csrf") {
		form.Set("_csrf", b.token())
	}
	return b.do(http.MethodPost, target, strings.NewReader(form.Encode()), opts...)
}

// postRaw sends form as is: no token added.
func (b *browser) postRaw(target string, form url.Values, opts ...reqOption) *page {
	b.t.Helper()
	return b.do(http.MethodPost, target, strings.NewReader(form.Encode()), opts...)
}

func (b *browser) token() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.csrf
}

// submit fills the form matched by sel on p with its own fields, overridden
// by values, and posts it to its action, as a browser would.
func (b *browser) submit(p *page, sel string, values url.Values) *page {
	b.t.Helper()
	form := p.doc.Find(sel)
	if form.Length() != 1 {
		b.t.Fatalf("form %s: found %d", sel, form.Length())
	}
	data := url.Values{}
	form.Find("input[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		if typ == "radio" || typ == "checkbox" {
			if _, checked := s.Attr("checked"); !checked {
				return
			}
		}
		if s.Is("textarea") {
			data.Set(name, s.Text())
			return
		}
		v, _ := s.Attr("value")
		data.Set(name, v)
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v, _ := opt.Attr("value")
		data.Set(name, v)
	})
	for k, vs := range values {
		data[k] = vs
	}
	action, _ := form.Attr("action")
	method, _ := form.Attr("method")
	if strings.EqualFold(method, "get") {
		return b.get(action + "?" + data.Encode())
	}
	return b.postRaw(action, data)
}

// cookieValues returns the browser's cookies as name=value strings.
func (b *browser) cookieValues() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]string{}
	for n, c := range b.cookies {
		out[n] = c.Value
	}
	return out
}

// setCookies replaces the browser's cookies (to replay old ones).
func (b *browser) setCookies(vals map[string]string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cookies = map[string]*http.Cookie{}
	for n, v := range vals {
		b.cookies[n] = &http.Cookie{Name: n, Value: v}
	}
}

// signIn signs in through the sign-in form with key and returns the answer
// to the form's POST.
func (b *browser) signIn(key emulator.Key, next string) *page {
	b.t.Helper()
	target := "/login"
	if next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	form := b.get(target)
	if form.status != http.StatusOK {
		b.t.Fatalf("GET %s: status %d", target, form.status)
	}
	return b.submit(form, `[data-testid="login-form"]`, url.Values{
		"region":            {"cn-shanghai"},
		"access_key_id":     {key.AccessKeyID},
		"access_key_secret": {key.AccessKeySecret},
		"security_token":    {key.SecurityToken},
	})
}

// mustSignIn signs in and checks that it worked.
func (b *browser) mustSignIn(key emulator.Key) {
	b.t.Helper()
	p := b.signIn(key, "")
	if p.status != http.StatusSeeOther || p.location() != "/" {
		b.t.Fatalf("sign-in: status %d, Location %q, want 303 to /; body: %s", p.status, p.location(), excerpt(p.body))
	}
}

func excerpt(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// calls returns the emulator's record of calls to action ("" = all).
func (h *harness) calls(action string) []emulator.Call {
	var out []emulator.Call
	for _, c := range h.emu.Calls() {
		if action == "" || c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// lookupCalls are the calls other than the sign-in key check.
func (h *harness) lookupCalls() []emulator.Call {
	var out []emulator.Call
	for _, c := range h.emu.Calls() {
		if len(c.IDs) == 1 && c.IDs[0] == "vodboard-credentials-check" {
			continue
		}
		out = append(out, c)
	}
	return out
}

// mediaEntry decodes the catalog's entry of a media asset.
type mediaEntry struct {
	MediaID   string `json:"MediaId"`
	MediaInfo struct {
		Status      string
		ReferenceID string `json:"ReferenceId"`
		Title       string
		CoverURL    string
		Tags        string
	}
	MezzanineInfo struct {
		VideoStreamList []json.RawMessage
		AudioStreamList []json.RawMessage
	}
	PlayInfoList []struct {
		Status     string
		Definition string
	}
}

func (h *harness) media(t testing.TB, id string) mediaEntry {
	t.Helper()
	raw, ok := h.cat.MediaEntry(id)
	if !ok {
		t.Fatalf("catalog has no media %s", id)
	}
	var m mediaEntry
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("media %s: %v", id, err)
	}
	return m
}

// findMedia returns the first catalog media matching pred, or skips.
func (h *harness) findMedia(t testing.TB, what string, pred func(mediaEntry) bool) mediaEntry {
	t.Helper()
	for _, id := range h.cat.MediaIDs() {
		if m := h.media(t, id); pred(m) {
			return m
		}
	}
	t.Skipf("the catalog has no %s", what)
	return mediaEntry{}
}

// imageEntry decodes the catalog's entry of an image.
type imageEntry struct {
	ImageID   string `json:"ImageId"`
	URL       string
	Status    string
	Mezzanine struct {
		Width  json.Number
		Height json.Number
	}
}

// images returns the catalog's images for which pred holds (nil: all).
func (h *harness) images(t testing.TB, pred func(imageEntry) bool) []imageEntry {
	t.Helper()
	var out []imageEntry
	for _, id := range h.cat.ImageIDs() {
		raw, _ := h.cat.ImageEntry(id)
		var img imageEntry
		if err := json.Unmarshal(raw, &img); err != nil {
			t.Fatalf("image %s: %v", id, err)
		}
		if pred == nil || pred(img) {
			out = append(out, img)
		}
	}
	return out
}

// texts returns the whitespace-normalised text of every element of s, or
// its attribute attr when attr is not "".
func texts(s *goquery.Selection, attr string) []string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) {
		if attr != "" {
			v, _ := e.Attr(attr)
			out = append(out, v)
			return
		}
		out = append(out, strings.Join(strings.Fields(e.Text()), " "))
	})
	return out
}

func mustStatus(t testing.TB, p *page, want int) {
	t.Helper()
	if p.status != want {
		t.Fatalf("status = %d, want %d; body: %s", p.status, want, excerpt(p.body))
	}
}

func mustOne(t testing.TB, p *page, testID string) *goquery.Selection {
	t.Helper()
	s := p.find(testID)
	if s.Length() != 1 {
		t.Fatalf(`[data-testid=%q]: found %d, want 1; body: %s`, testID, s.Length(), excerpt(p.body))
	}
	return s
}

// ids lists the sessions the cache holds a client for.
func (c *clientCache) ids() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.byID))
	for id := range c.byID {
		out = append(out, id)
	}
	return out
}

// peek returns the session's cached client without touching the order.
func (c *clientCache) peek(id string) *vodclient.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		return el.Value.(*clientEntry).client.Client
	}
	return nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// serverPassword unlocks the server credentials in harnesses that offer them.
const serverPassword = "correct horse battery staple"
