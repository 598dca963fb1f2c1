package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
)

// Cookie names. Browsers accept a __Host- cookie only if it is Secure, has
// Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it.
const (
	CookieName       = "vodboard"
	SecureCookieName = "__Host-vodboard"
)

// Default timeouts (OWASP: short idle, bounded absolute).
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
)

// ErrNoSession reports that the request has no live session for the given ID.
var ErrNoSession = errors.New("session: no such session")

var errCommitted = errors.New("session: response already committed, cannot set cookie")

// Keys inside the cookie and in the echo context, and secret sizes.
const (
	valueID        = "sid"
	valueCSRF      = "csrf"
	stateKey       = "vodboard.session.state"
	managerKey     = "vodboard.session.manager"
	idBytes        = 32
	csrfSecretSize = 32
	// lockStripes is how many mutexes serialise read-modify-write of
	// session material; IDs hash onto them.
	lockStripes = 64
)

// Config configures a Manager.
type Config struct {
	// Keys are the operator's session keys, newest first, each at least
	// MinKeyBytes long. Cookie and material keys are derived from them.
	Keys [][]byte
	// Secure means the site is served over HTTPS: the cookie gets the
	// Secure flag and the __Host- prefix.
	Secure bool
	// IdleTimeout and AbsoluteTimeout default to 30m and 12h.
	IdleTimeout, AbsoluteTimeout time.Duration
	// Store keeps the sealed material; nil means a MemoryStore with
	// MaxSessions entries.
	Store MaterialStore
	// MaxSessions bounds the default MemoryStore (DefaultMaxEntries if 0).
	MaxSessions int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings; nil means slog.Default().
	Logger *slog.Logger
}

// Manager issues, loads, updates and ends sessions. Its cookie is handled
// through gorilla's sessions.Store and carries only the session ID and CSRF
// secret.
//
// Every change to stored material after sign-in is a read-modify-write of
// the fresh material ([Manager.Load]'s touch, [Manager.Update]) done under a
// per-session lock, and sign-out deletes under the same lock, so within one
// process concurrent requests of one session never undo each other's
// changes. The lock is in-process only: a store shared by several
// processes (Redis) would need its own compare-and-set (WATCH/MULTI, a
// version field) for the same guarantee, which MaterialStore does not
// offer; across processes the last writer wins.
type Manager struct {
	cookies  sessions.Store
	options  sessions.Options
	name     string
	store    MaterialStore
	idle     time.Duration
	absolute time.Duration
	now      func() time.Time
	log      *slog.Logger
	// notified: the store reports its own evictions through OnEvict.
	notified bool

	seed  maphash.Seed
	locks [lockStripes]sync.Mutex // by maphash of the session ID

	mu    sync.Mutex
	onEnd []func(id string)
}

// cookieState is what the request's cookie said, plus what this request
// changed; one per request, kept in the echo context.
type cookieState struct {
	id     string
	secret []byte // CSRF secret; nil when the request brought none
	ended  bool   // End ran: the cookie stays expired for this response
}

// NewManager validates cfg and returns a Manager.
func NewManager(cfg Config) (*Manager, error) {
	if err := checkKeys(cfg.Keys); err != nil {
		return nil, err
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteTimeout == 0 {
		cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if cfg.IdleTimeout < 0 || cfg.AbsoluteTimeout < time.Second {
		return nil, errors.New("session: timeouts must be positive")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}

	pairs := make([][]byte, 0, 2*len(cfg.Keys))
	for _, k := range cfg.Keys {
		hashKey, err := subkey(k, purposeCookieHash, 64)
		if err != nil {
			return nil, err
		}
		blockKey, err := subkey(k, purposeCookieBlock, 32)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, hashKey, blockKey)
	}
	cs := sessions.NewCookieStore(pairs...)
	// gorilla's defaults (no HttpOnly, SameSite=None, 30 days) are unsafe:
	// replace every option, then set MaxAge through the store so the
	// securecookie codecs reject cookies older than the absolute timeout.
	cs.Options = &sessions.Options{
		Path:     "/",
		HttpOnly: true,
		Secure:   cfg.Secure,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(int(cfg.AbsoluteTimeout / time.Second))

	m := &Manager{
		cookies:  cs,
		options:  *cs.Options,
		name:     CookieName,
		store:    cfg.Store,
		idle:     cfg.IdleTimeout,
		absolute: cfg.AbsoluteTimeout,
		now:      cfg.Now,
		log:      cfg.Logger,
		seed:     maphash.MakeSeed(),
	}
	if cfg.Secure {
		m.name = SecureCookieName
	}
	if m.store == nil {
		sealer, err := NewSealer(cfg.Keys...)
		if err != nil {
			return nil, err
		}
		ms := NewMemoryStore(sealer, cfg.MaxSessions)
		ms.now = cfg.Now
		m.store = ms
	}
	if n, ok := m.store.(EvictNotifier); ok {
		n.OnEvict(m.ended)
		m.notified = true
	}
	return m, nil
}

// CookieName reports the session cookie's name.
func (m *Manager) CookieName() string { return m.name }

// OnEnd registers fn to run when a session ends: sign-out, replacement by a
// new sign-in, idle or absolute timeout (noticed by a request or by
// [Manager.Sweep]), or eviction by the store. fn may run more than once for
// one ID in rare races, so it must be idempotent. It may run while the
// Manager holds a session's lock (a store reporting an expiry during a
// read), so it must not call back into the Manager.
func (m *Manager) OnEnd(fn func(id string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onEnd = append(m.onEnd, fn)
}

func (m *Manager) ended(id string) {
	m.mu.Lock()
	fns := m.onEnd
	m.mu.Unlock()
	for _, fn := range fns {
		fn(id)
	}
}

// Start signs a session in with mat. It always issues a new random session
// ID, deletes the material of any session the request already had (running
// OnEnd for it), rotates the CSRF secret and writes the cookie, so call it
// before writing the response. mat's timestamps are set here.
func (m *Manager) Start(c echo.Context, mat Material) (string, error) {
	if err := validate(mat); err != nil {
		return "", err
	}
	if c.Response().Committed {
		return "", errCommitted
	}
	ctx := c.Request().Context()
	st := m.state(c)
	if old := st.id; old != "" {
		st.id = ""
		if err := m.delete(ctx, old); err != nil {
			return "", fmt.Errorf("start session: delete previous: %w", err)
		}
		m.ended(old)
	}

	id := newID()
	now := m.now()
	mat.Created, mat.LastSeen = now, now
	mat.Expires = m.expiry(mat)
	mat.Lookups = trimLookups(mat.Lookups)
	if err := m.store.Put(ctx, id, mat); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	st.id, st.ended = id, false
	st.secret = randomBytes(csrfSecretSize)
	if err := m.writeCookie(c, st); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	c.Set(csrfContextKey, maskToken(st.secret))
	return id, nil
}

// Load returns the request's session. ok is false when there is none: no
// cookie, an ID the store does not know (never adopted), or a session past
// its idle or absolute timeout, which is ended here. A stale ID is removed
// from the cookie; the CSRF secret stays so open forms keep working.
//
// A live session is touched: LastSeen and Expires are refreshed by a
// read-modify-write of the stored material that changes nothing else, so it
// cannot undo an [Manager.Update] made meanwhile by another request.
func (m *Manager) Load(c echo.Context) (id string, mat Material, ok bool, err error) {
	st := m.state(c)
	if st.id == "" {
		return "", Material{}, false, nil
	}
	id = st.id
	mat, ok, err = m.modify(c, st, nil)
	if err != nil || !ok {
		return "", Material{}, false, err
	}
	return id, mat, true, nil
}

// Update changes the request's session id: it reads the session's current
// material, calls fn on a copy, stores the result and returns the stored
// material. Use it for every change after sign-in, for example
//
//	m.Update(c, id, func(mat *Material) { mat.Settings = s })
//	m.Update(c, id, func(mat *Material) { mat.AddLookup(l) })
//
// fn sees the fresh material, not the copy Load returned at the start of
// the request, so a slow request cannot undo a change another request saved
// meanwhile. Only fn's changes to Settings and Lookups are kept: credentials,
// region and Created change only through [Manager.Start], under a new ID,
// and the Manager sets LastSeen and Expires. fn runs under the session's
// lock, so it must be quick and must not call the Manager.
//
// Update returns ErrNoSession when id is not the request's live session,
// including when it timed out or was signed out meanwhile; it never brings
// an ended session back.
func (m *Manager) Update(c echo.Context, id string, fn func(*Material)) (Material, error) {
	st := m.state(c)
	if id == "" || st.id != id {
		return Material{}, ErrNoSession
	}
	mat, ok, err := m.modify(c, st, fn)
	if err != nil {
		return Material{}, fmt.Errorf("update session: %w", err)
	}
	if !ok {
		return Material{}, ErrNoSession
	}
	return mat, nil
}

// modify is the read-modify-write behind Load and Update, done under the
// session's lock. When the session is unknown, unreadable, timed out or was
// ended meanwhile it ends it (OnEnd runs after the lock is released),
// removes the ID from the cookie and reports ok=false.
func (m *Manager) modify(c echo.Context, st *cookieState, fn func(*Material)) (Material, bool, error) {
	id := st.id
	unlock := m.lock(id)
	mat, live, notify, err := m.modifyLocked(c.Request().Context(), id, fn)
	unlock()
	if err != nil {
		return Material{}, false, err
	}
	if live {
		return mat, true, nil
	}
	st.id = ""
	if notify {
		m.ended(id)
	}
	if err := m.writeCookie(c, st); err != nil {
		return Material{}, false, fmt.Errorf("end stale session: %w", err)
	}
	return Material{}, false, nil
}

// modifyLocked reads, changes and writes back id's material; the caller
// holds id's lock. live is false when the session is gone (deleted here if
// it was still stored); notify then says whether OnEnd must run: not when
// the store never knew the ID or already reported its eviction.
func (m *Manager) modifyLocked(ctx context.Context, id string, fn func(*Material)) (mat Material, live, notify bool, err error) {
	now := m.now()
	cur, found, err := m.store.Get(ctx, id)
	usable := found
	switch {
	case errors.Is(err, ErrOpen):
		// Retired key or tampered entry: unusable, but still there to delete.
		m.log.WarnContext(ctx, "session material cannot be opened; ending session")
		found, usable = true, false
	case err != nil:
		return Material{}, false, false, fmt.Errorf("get session material: %w", err)
	case found && m.timedOut(cur, now):
		usable = false
	}
	if !usable {
		if found {
			if err := m.store.Delete(ctx, id); err != nil {
				return Material{}, false, false, fmt.Errorf("end stale session: %w", err)
			}
		}
		return Material{}, false, found || !m.notified, nil
	}

	next := cur
	if fn != nil {
		edit := cur
		fn(&edit)
		next.Settings = edit.Settings
		next.Lookups = trimLookups(edit.Lookups)
	}
	next.LastSeen = now
	next.Expires = m.expiry(next)

	var ok bool
	if u, isUpdater := m.store.(Updater); isUpdater {
		ok, err = u.Update(ctx, id, next)
	} else {
		ok, err = true, m.store.Put(ctx, id, next)
	}
	if err != nil {
		return Material{}, false, false, fmt.Errorf("store session material: %w", err)
	}
	if !ok {
		// Ended between our read and write (by a store of its own or another
		// process): it stays ended.
		return Material{}, false, !m.notified, nil
	}
	return next, true, false, nil
}

// delete removes id's material under its lock, so it cannot interleave with
// a read-modify-write of the same session.
func (m *Manager) delete(ctx context.Context, id string) error {
	unlock := m.lock(id)
	defer unlock()
	return m.store.Delete(ctx, id)
}

// lock locks the stripe of id and returns its unlock.
func (m *Manager) lock(id string) func() {
	mu := &m.locks[maphash.String(m.seed, id)%lockStripes]
	mu.Lock()
	return mu.Unlock
}

// Sweep ends every session past its idle or absolute timeout now, even if
// its browser never comes back, so OnEnd callbacks release its resources
// (each once). It does so when the store implements [Sweeper] (the default
// MemoryStore does); otherwise it does nothing and timed-out sessions end
// when next seen. [Manager.RunSweeper] calls it periodically.
func (m *Manager) Sweep() {
	if s, ok := m.store.(Sweeper); ok {
		s.Sweep()
	}
}

// RunSweeper calls [Manager.Sweep] every interval until ctx is done, then
// returns; run it in its own goroutine. every <= 0 means one minute.
func (m *Manager) RunSweeper(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.Sweep()
		}
	}
}

// End signs the request's session out: it deletes the material, runs OnEnd,
// expires the cookie and sends Clear-Site-Data. It is safe to call without a
// session. Respond with a redirect: the next page gets a fresh CSRF secret.
func (m *Manager) End(c echo.Context) error {
	st := m.state(c)
	id := st.id
	st.id, st.secret, st.ended = "", nil, true
	c.Set(csrfContextKey, "")
	// Only "storage": "cookies" would clear every cookie of the registrable
	// domain (other apps on the same site), "cache" is slow in Chromium, and
	// the session cookie is expired explicitly below.
	c.Response().Header().Set("Clear-Site-Data", `"storage"`)
	cookieErr := m.expireCookie(c)
	if id != "" {
		if err := m.delete(c.Request().Context(), id); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		m.ended(id)
	}
	if cookieErr != nil {
		return fmt.Errorf("end session: %w", cookieErr)
	}
	return nil
}

func (m *Manager) timedOut(mat Material, now time.Time) bool {
	return now.Sub(mat.LastSeen) >= m.idle || now.Sub(mat.Created) >= m.absolute
}

func (m *Manager) expiry(mat Material) time.Time {
	idle, absolute := mat.LastSeen.Add(m.idle), mat.Created.Add(m.absolute)
	if idle.Before(absolute) {
		return idle
	}
	return absolute
}

// state decodes the request's cookie once per request. A cookie that fails
// to decode (forged, expired, signed with a retired key) counts as absent.
func (m *Manager) state(c echo.Context) *cookieState {
	if st, ok := c.Get(stateKey).(*cookieState); ok {
		return st
	}
	st := &cookieState{}
	c.Set(stateKey, st)
	if _, err := c.Request().Cookie(m.name); err != nil {
		return st
	}
	sess, err := m.cookies.New(c.Request(), m.name)
	if err != nil || sess.IsNew {
		m.log.DebugContext(c.Request().Context(), "session cookie rejected")
		return st
	}
	if id, ok := sess.Values[valueID].(string); ok && validID(id) {
		st.id = id
	}
	if s, ok := sess.Values[valueCSRF].(string); ok {
		if b, err := base64.RawURLEncoding.DecodeString(s); err == nil && len(b) == csrfSecretSize {
			st.secret = b
		}
	}
	if st.secret == nil {
		st.id = "" // every cookie we write has a secret; this one is not ours
	}
	return st
}

// writeCookie sets the session cookie to st, replacing one set earlier in
// this request so the browser sees a single value.
func (m *Manager) writeCookie(c echo.Context, st *cookieState) error {
	sess := sessions.NewSession(m.cookies, m.name)
	opts := m.options
	sess.Options = &opts
	if st.secret == nil {
		st.secret = randomBytes(csrfSecretSize)
	}
	if st.id != "" {
		sess.Values[valueID] = st.id
	}
	sess.Values[valueCSRF] = base64.RawURLEncoding.EncodeToString(st.secret)
	return m.saveCookie(c, sess)
}

func (m *Manager) expireCookie(c echo.Context) error {
	sess := sessions.NewSession(m.cookies, m.name)
	opts := m.options
	opts.MaxAge = -1
	sess.Options = &opts
	return m.saveCookie(c, sess)
}

func (m *Manager) saveCookie(c echo.Context, sess *sessions.Session) error {
	if c.Response().Committed {
		return errCommitted
	}
	h := c.Response().Header()
	prefix := m.name + "="
	var kept []string
	for _, v := range h.Values("Set-Cookie") {
		if !strings.HasPrefix(v, prefix) {
			kept = append(kept, v)
		}
	}
	h.Del("Set-Cookie")
	for _, v := range kept {
		h.Add("Set-Cookie", v)
	}
	if err := m.cookies.Save(c.Request(), c.Response(), sess); err != nil {
		return fmt.Errorf("write session cookie: %w", err)
	}
	// A response that sets the session cookie must never be cached.
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Add(echo.HeaderVary, "Cookie")
	return nil
}

// validate refuses material that would store credentials it must not, or
// lacks the ones it needs; credentials-go would otherwise fill blanks from
// the server's environment.
func validate(mat Material) error {
	if mat.ServerCredentials {
		if mat.AccessKeyID != "" || mat.AccessKeySecret != "" || mat.SecurityToken != "" {
			return errors.New("session: server-credential sessions must not store keys")
		}
		return nil
	}
	if strings.TrimSpace(mat.AccessKeyID) == "" || strings.TrimSpace(mat.AccessKeySecret) == "" {
		return errors.New("session: AccessKey ID and secret are required")
	}
	return nil
}

func newID() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(idBytes))
}

func validID(id string) bool {
	if len(id) != base64.RawURLEncoding.EncodedLen(idBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil
}

// randomBytes reads from crypto/rand, which never fails (it crashes the
// program rather than return predictable bytes).
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
