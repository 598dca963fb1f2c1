package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"
)

// MaxLookups is how many recent lookups a session keeps.
const MaxLookups = 10

// Material is what a signed-in session holds on the server side.
//
// Material formats, logs and marshals to JSON with AccessKeySecret and
// SecurityToken redacted, so printing or serialising it by mistake leaks
// nothing; stores seal the full value.
type Material struct {
	Region          string
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	// ServerCredentials marks a session signed in with the operator's
	// credentials-go default chain: no keys are stored at all.
	ServerCredentials bool
	Settings          Settings
	// Created and LastSeen drive the absolute and idle timeouts.
	Created, LastSeen time.Time
	// Expires is when the session ends unless used again: the earlier of
	// LastSeen+IdleTimeout and Created+AbsoluteTimeout. The Manager sets it;
	// stores may drop the entry once it has passed.
	Expires time.Time
	// Lookups are the recent lookups, newest first, at most MaxLookups.
	Lookups []Lookup
}

// Settings are per-session settings.
type Settings struct {
	OutputType  string // "cdn" or "oss"
	AuthTimeout int    // seconds
}

// Lookup is one recent lookup.
type Lookup struct {
	Kind    string // "images", "media" or "references"
	URL     string // the query string or URL looked up; identifies the lookup
	Summary string
	Count   int // how many IDs the lookup had
	At      time.Time

	// Token names the short link (/l/{Token}) of a lookup too big to share
	// by its URL; IDs and Refs are then the IDs it looked up, never its
	// results or any URL. Empty for lookups whose URL says it all.
	Token string   `json:",omitempty"`
	IDs   []string `json:",omitempty"`
	Refs  []string `json:",omitempty"`
}

// MaxShortLinks is how many short links a session keeps: each holds up to
// a thousand IDs, and the session's material is read at every request.
// Older big lookups leave the recent list.
const MaxShortLinks = 5

// ShortLink returns the recent lookup whose short link is token.
func (m Material) ShortLink(token string) (Lookup, bool) {
	for _, l := range m.Lookups {
		if l.Token != "" && l.Token == token {
			return l, true
		}
	}
	return Lookup{}, false
}

// SameLookup returns the token of a recent short link of kind over exactly
// ids and refs, so that repeating a big lookup reuses its link.
func (m Material) SameLookup(kind string, ids, refs []string) (token string, ok bool) {
	for _, l := range m.Lookups {
		if l.Token != "" && l.Kind == kind && slices.Equal(l.IDs, ids) && slices.Equal(l.Refs, refs) {
			return l.Token, true
		}
	}
	return "", false
}

// MaterialStore keeps Material per session ID. Implementations encrypt at
// rest (see [Sealer]). Get reports ok=false for an unknown or expired ID.
type MaterialStore interface {
	Get(ctx context.Context, id string) (Material, bool, error)
	Put(ctx context.Context, id string, m Material) error
	Delete(ctx context.Context, id string) error
}

// Updater is implemented by stores that can replace an entry only while it
// still exists (for Redis: SET ... XX). The Manager uses it for every write
// after sign-in, so a request racing a sign-out, an expiry or an eviction
// cannot bring the deleted session back. Within one process the Manager's
// per-session locks already order its own writes and deletes; with a store
// shared between processes and without Updater, a sign-out on one process
// racing a request on another can resurrect material.
type Updater interface {
	Update(ctx context.Context, id string, m Material) (ok bool, err error)
}

// VersionedStore is implemented by stores shared between processes (Redis),
// where the Manager's in-process locks cannot order writes. The Manager
// then changes material by compare-and-set: GetVersion reads it with a
// version that changes at every write, Swap stores new material only while
// the version is unchanged (else [ErrConflict], and the Manager reads and
// applies its change again) and only while the entry exists (else ok is
// false: the session ended).
//
// A VersionedStore is taken to be shared: material in it that this process
// cannot open (sealed under a key this instance does not have yet) is left
// for the instances that can, never deleted.
type VersionedStore interface {
	MaterialStore
	GetVersion(ctx context.Context, id string) (m Material, version int64, ok bool, err error)
	Swap(ctx context.Context, id string, version int64, m Material) (ok bool, err error)
}

// ErrConflict reports that a [VersionedStore] entry changed between its
// read and a Swap.
var ErrConflict = errors.New("session: material changed concurrently")

// ErrStoreUnavailable is wrapped by every error of a store that cannot be
// reached (Redis down). Nobody counts as signed in or out while it lasts:
// the web layer answers 503.
var ErrStoreUnavailable = errors.New("session: session store unavailable")

// Pinger is implemented by stores that can be unreachable; [Manager.Ready]
// uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// ExistChecker is implemented by stores that can tell cheaply which
// sessions still exist; [Manager.EndGone] uses it.
type ExistChecker interface {
	Exists(ctx context.Context, ids []string) ([]bool, error)
}

// Sweeper is implemented by stores that can drop every expired entry at
// once; [Manager.Sweep] calls it. A Sweeper should also be an
// [EvictNotifier], or OnEnd callbacks cannot run for the swept sessions.
type Sweeper interface {
	Sweep()
}

// EvictNotifier is implemented by stores that drop entries on their own
// (expiry, capacity). The Manager registers itself so that [Manager.OnEnd]
// callbacks run for those sessions too.
type EvictNotifier interface {
	OnEvict(fn func(id string))
}

// AddLookup records l as the newest lookup, keeping at most MaxLookups, of
// which at most MaxShortLinks short links. An older entry with the same URL
// is dropped, so repeating a lookup moves it to the top instead of listing
// it twice. It never writes into the previous Lookups slice, which a copy
// of m may share.
func (m *Material) AddLookup(l Lookup) {
	out := make([]Lookup, 0, min(len(m.Lookups)+1, MaxLookups))
	out = append(out, l)
	links := 0
	if l.Token != "" {
		links++
	}
	for _, old := range m.Lookups {
		if len(out) == MaxLookups {
			break
		}
		if old.URL == l.URL {
			continue
		}
		if old.Token != "" {
			if links == MaxShortLinks {
				continue
			}
			links++
		}
		out = append(out, old)
	}
	m.Lookups = out
}

func trimLookups(l []Lookup) []Lookup {
	if len(l) > MaxLookups {
		return l[:MaxLookups:MaxLookups]
	}
	return l
}

const redacted = "[REDACTED]"

// plainMaterial has Material's fields without its redacting methods; only
// the sealing code uses it.
type plainMaterial Material

func (m Material) redacted() plainMaterial {
	p := plainMaterial(m)
	if p.AccessKeySecret != "" {
		p.AccessKeySecret = redacted
	}
	if p.SecurityToken != "" {
		p.SecurityToken = redacted
	}
	return p
}

// Format implements fmt.Formatter for every verb, printing the redacted value.
func (m Material) Format(f fmt.State, verb rune) {
	p := m.redacted()
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "session.Material%+v", p)
		return
	}
	fmt.Fprintf(f, "%+v", p)
}

// LogValue implements slog.LogValuer with the secrets redacted.
func (m Material) LogValue() slog.Value {
	p := m.redacted()
	return slog.GroupValue(
		slog.String("region", p.Region),
		slog.String("access_key_id", p.AccessKeyID),
		slog.String("access_key_secret", p.AccessKeySecret),
		slog.String("security_token", p.SecurityToken),
		slog.Bool("server_credentials", p.ServerCredentials),
		slog.Time("created", p.Created),
		slog.Time("last_seen", p.LastSeen),
	)
}

// MarshalJSON implements json.Marshaler with the secrets redacted.
func (m Material) MarshalJSON() ([]byte, error) {
	return json.Marshal(m.redacted())
}

// sealMaterial encodes and seals m for id, wiping the plaintext afterwards.
func sealMaterial(s *Sealer, id string, m Material) ([]byte, error) {
	plain, err := json.Marshal(plainMaterial(m))
	if err != nil {
		return nil, fmt.Errorf("encode session material: %w", err)
	}
	defer clear(plain)
	return s.Seal(id, plain)
}

func openMaterial(s *Sealer, id string, sealed []byte) (Material, error) {
	plain, err := s.Open(id, sealed)
	if err != nil {
		return Material{}, err
	}
	defer clear(plain)
	var p plainMaterial
	if err := json.Unmarshal(plain, &p); err != nil {
		return Material{}, fmt.Errorf("decode session material: %w", err)
	}
	return Material(p), nil
}
