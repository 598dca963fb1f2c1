package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
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
// changes. Across processes sharing a store (Redis) the lock cannot help:
// there a [VersionedStore] makes every write a compare-and-set, retried on
// a conflict, so instances updating one session lose nothing either.
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

	warnedCookie, warnedMaterial atomic.Bool
}

// cookieState is what the request's cookie said, plus what this request
// changed; one per request, kept in the echo context.
type cookieState struct {
	id     string
	secret []byte // CSRF secret; nil when the request brought none
	ended  bool   // End ran: the cookie stays expired for this response
	// foreign: the request brought a session cookie this instance cannot
	// read; it is never rewritten or expired, except by a sign-in here.
	foreign bool
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
	if st.foreign {
		// The sign-in replaced the cookie this instance could not read.
		st.foreign = false
		if err := m.expireCookie(c, m.preName()); err != nil {
			return "", fmt.Errorf("start session: %w", err)
		}
	}
	c.Set(csrfContextKey, maskToken(st.secret))
	return id, nil
}

// Load returns the request's session. ok is false when there is none: no
// cookie, an ID the store does not know (never adopted), or a session past
// its idle or absolute timeout, which is ended here. A stale ID is removed
// from the cookie; the CSRF secret stays so open forms keep working. A
// cookie, or shared material, that this instance cannot read also means
// ok=false, and is left alone for the instances that can.
//
// A store that cannot be reached is an error wrapping [ErrStoreUnavailable]:
// neither signed in nor signed out.
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
// session's lock. When the session is unknown, timed out or was ended
// meanwhile it ends it (OnEnd runs after the lock is released), removes the
// ID from the cookie and reports ok=false. Material of a shared store that
// this instance cannot open also reports ok=false, but is not this
// instance's to end: the session and the cookie are left alone.
func (m *Manager) modify(c echo.Context, st *cookieState, fn func(*Material)) (Material, bool, error) {
	id := st.id
	unlock := m.lock(id)
	mat, res, err := m.modifyLocked(c.Request().Context(), id, fn)
	unlock()
	if err != nil {
		return Material{}, false, err
	}
	switch res {
	case live:
		return mat, true, nil
	case unreadable:
		return Material{}, false, nil
	}
	st.id = ""
	if res == goneNotify {
		m.ended(id)
	}
	if err := m.writeCookie(c, st); err != nil {
		return Material{}, false, fmt.Errorf("end stale session: %w", err)
	}
	return Material{}, false, nil
}

// outcome is what modifyLocked found.
type outcome int

const (
	live       outcome = iota
	gone               // ended, and OnEnd already ran or the store never knew the ID
	goneNotify         // ended, and OnEnd must run
	unreadable         // in a shared store, sealed under a key this instance lacks
)

// maxSwaps bounds the compare-and-set retries of one change. Within one
// process the session's lock orders writers, so a conflict means another
// instance wrote in between. Each retry waits a random moment, growing
// with the attempt, so that two instances writing in lockstep fall out of
// it; fifty conflicts in a row means something is wrong.
const maxSwaps = 50

// swapBackoff is the wait before retrying a change after its attempt-th
// conflict: random, up to attempt milliseconds.
func swapBackoff(ctx context.Context, attempt int) error {
	t := time.NewTimer(mrand.N(time.Duration(attempt)*time.Millisecond) + 1)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// modifyLocked reads, changes and writes back id's material; the caller
// holds id's lock. With a [VersionedStore] the write is a compare-and-set,
// and fn runs again on the fresh material after a conflict. A gone session
// is deleted here if it was still stored; OnEnd must then run unless the
// store never knew the ID or already reported its eviction.
func (m *Manager) modifyLocked(ctx context.Context, id string, fn func(*Material)) (Material, outcome, error) {
	vs, versioned := m.store.(VersionedStore)
	for attempt := 1; ; attempt++ {
		now := m.now()
		var (
			cur     Material
			version int64
			found   bool
			err     error
		)
		if versioned {
			cur, version, found, err = vs.GetVersion(ctx, id)
		} else {
			cur, found, err = m.store.Get(ctx, id)
		}
		usable := found
		switch {
		case errors.Is(err, ErrOpen) && versioned:
			// Another instance may hold a newer key and open it: deleting
			// it here would sign the user out everywhere.
			m.warnOnce(ctx, &m.warnedMaterial, "session material cannot be opened with this instance's session keys: the request counts as signed out and the session is left alone (do all instances have the same -session-key?)")
			return Material{}, unreadable, nil
		case errors.Is(err, ErrOpen):
			// Retired key or tampered entry: unusable, but still there to delete.
			m.log.WarnContext(ctx, "session material cannot be opened; ending session")
			found, usable = true, false
		case err != nil:
			return Material{}, 0, fmt.Errorf("get session material: %w", err)
		case found && m.timedOut(cur, now):
			usable = false
		}
		if !usable {
			if found {
				if err := m.store.Delete(ctx, id); err != nil {
					return Material{}, 0, fmt.Errorf("end stale session: %w", err)
				}
			}
			if found || !m.notified {
				return Material{}, goneNotify, nil
			}
			return Material{}, gone, nil
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
		switch u, isUpdater := m.store.(Updater); {
		case versioned:
			ok, err = vs.Swap(ctx, id, version, next)
			if errors.Is(err, ErrConflict) && attempt < maxSwaps {
				if err := swapBackoff(ctx, attempt); err != nil {
					return Material{}, 0, fmt.Errorf("store session material: %w", err)
				}
				continue
			}
		case isUpdater:
			ok, err = u.Update(ctx, id, next)
		default:
			ok, err = true, m.store.Put(ctx, id, next)
		}
		if err != nil {
			return Material{}, 0, fmt.Errorf("store session material: %w", err)
		}
		if !ok {
			// Ended between our read and write (by a store of its own or
			// another process): it stays ended.
			if m.notified {
				return Material{}, gone, nil
			}
			return Material{}, goneNotify, nil
		}
		return next, live, nil
	}
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

// End signs the request's session out: it deletes the material (in a
// shared store: everywhere at once), runs OnEnd, expires the cookie and
// sends Clear-Site-Data. It is safe to call without a session. When the
// store cannot be reached nothing changes and the error wraps
// [ErrStoreUnavailable]: the user can try again, and is never told they
// are out while the session lives on. A cookie this instance cannot read
// is left alone. Respond with a redirect: the next page gets a fresh CSRF
// secret.
func (m *Manager) End(c echo.Context) error {
	st := m.state(c)
	if id := st.id; id != "" {
		if err := m.delete(c.Request().Context(), id); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		st.id = ""
		m.ended(id)
	}
	st.secret, st.ended = nil, true
	c.Set(csrfContextKey, "")
	// Only "storage": "cookies" would clear every cookie of the registrable
	// domain (other apps on the same site), "cache" is slow in Chromium, and
	// the session cookie is expired explicitly below.
	c.Response().Header().Set("Clear-Site-Data", `"storage"`)
	name := m.name
	if st.foreign {
		name = m.preName()
	}
	if err := m.expireCookie(c, name); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// Ready reports whether the store answers: an error wrapping
// [ErrStoreUnavailable] when a [Pinger] store does not, nil otherwise.
// Active returns how many sessions the store holds, when it can tell
// cheaply (the memory store can; a shared store cannot).
func (m *Manager) Active() (int, bool) {
	if l, ok := m.store.(interface{ Len() int }); ok {
		return l.Len(), true
	}
	return 0, false
}

func (m *Manager) Ready(ctx context.Context) error {
	if p, ok := m.store.(Pinger); ok {
		if err := p.Ping(ctx); err != nil {
			if !errors.Is(err, ErrStoreUnavailable) {
				err = fmt.Errorf("%w: %w", ErrStoreUnavailable, err)
			}
			return err
		}
	}
	return nil
}

// EndGone runs OnEnd for every one of ids that is no longer stored: ended
// by another instance sharing the store, or expired there. Call it now and
// then with the sessions this process holds resources for (their VOD
// clients), so that a session ended elsewhere and never seen here again
// releases them too. Stores that report their own evictions need no such
// check. On a store error nothing is ended.
func (m *Manager) EndGone(ctx context.Context, ids []string) error {
	if m.notified || len(ids) == 0 {
		return nil
	}
	exists := make([]bool, len(ids))
	if ec, ok := m.store.(ExistChecker); ok {
		var err error
		if exists, err = ec.Exists(ctx, ids); err != nil {
			return fmt.Errorf("check sessions: %w", err)
		}
	} else {
		for i, id := range ids {
			_, found, err := m.store.Get(ctx, id)
			if err != nil && !errors.Is(err, ErrOpen) {
				return fmt.Errorf("check sessions: %w", err)
			}
			exists[i] = found || errors.Is(err, ErrOpen)
		}
	}
	for i, id := range ids {
		if !exists[i] {
			m.ended(id)
		}
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
// to decode (forged, expired, signed with a key this instance does not
// have) means no session, and is foreign: this instance never rewrites or
// expires it, since another instance may read it. The CSRF secret of a
// browser with a foreign cookie lives in a second cookie (preName) until
// it signs in here.
func (m *Manager) state(c echo.Context) *cookieState {
	if st, ok := c.Get(stateKey).(*cookieState); ok {
		return st
	}
	st := &cookieState{}
	c.Set(stateKey, st)
	if _, err := c.Request().Cookie(m.name); err != nil {
		return st
	}
	st.id, st.secret = m.decode(c.Request(), m.name)
	if st.secret != nil {
		return st
	}
	// Every cookie we write has a secret: this one is not ours to read.
	st.id, st.foreign = "", true
	m.warnOnce(c.Request().Context(), &m.warnedCookie, "a session cookie cannot be read (signed with a session key this instance does not have, or not made by vodboard): the request counts as signed out and the cookie is left alone; check that every instance has the same -session-key")
	if _, err := c.Request().Cookie(m.preName()); err == nil {
		_, st.secret = m.decode(c.Request(), m.preName())
	}
	return st
}

// decode reads the session ID and CSRF secret from the named cookie; both
// are empty when it does not decode.
func (m *Manager) decode(r *http.Request, name string) (id string, secret []byte) {
	sess, err := m.cookies.New(r, name)
	if err != nil || sess.IsNew {
		return "", nil
	}
	if s, ok := sess.Values[valueCSRF].(string); ok {
		if b, err := base64.RawURLEncoding.DecodeString(s); err == nil && len(b) == csrfSecretSize {
			secret = b
		}
	}
	if v, ok := sess.Values[valueID].(string); ok && validID(v) {
		id = v
	}
	return id, secret
}

// preName is the cookie holding the CSRF secret of a browser whose session
// cookie this instance cannot read.
func (m *Manager) preName() string { return m.name + "-csrf" }

// warnOnce logs msg as a warning the first time, then at debug level.
func (m *Manager) warnOnce(ctx context.Context, done *atomic.Bool, msg string) {
	if done.CompareAndSwap(false, true) {
		m.log.WarnContext(ctx, msg)
		return
	}
	m.log.DebugContext(ctx, msg)
}

// writeCookie sets the session cookie to st, replacing one set earlier in
// this request so the browser sees a single value. With a foreign session
// cookie it writes the CSRF secret to the preName cookie instead, unless
// st has a session (a sign-in here replaces the foreign cookie).
func (m *Manager) writeCookie(c echo.Context, st *cookieState) error {
	name := m.name
	if st.foreign && st.id == "" {
		name = m.preName()
	}
	sess := sessions.NewSession(m.cookies, name)
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

func (m *Manager) expireCookie(c echo.Context, name string) error {
	sess := sessions.NewSession(m.cookies, name)
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
	prefix := sess.Name() + "="
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
