package session

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultRedisPrefix starts every key vodboard writes to Redis.
const DefaultRedisPrefix = "vodboard:"

// RedisStore is a MaterialStore in Redis, shared by every vodboard instance
// using the same Redis and the same session keys. It holds only sealed
// material (as [MemoryStore] does, bound to the session ID) under a key
// derived from a hash of the session ID, so reading Redis yields neither a
// secret nor a usable session ID.
//
// Each session is one hash, {v: version, m: sealed material}, expiring at
// the material's Expires (the idle timeout, capped by the absolute one).
// Every write is one Lua script: Update and Swap write only while the entry
// exists, Swap only while its version is the one read, so instances racing
// on one session lose nothing and never bring a signed-out session back.
// Errors reaching Redis wrap [ErrStoreUnavailable].
type RedisStore struct {
	rdb    redis.Cmdable
	sealer *Sealer
	prefix string
	now    func() time.Time
}

// RedisOptions configures a RedisStore.
type RedisOptions struct {
	// Prefix starts every key; DefaultRedisPrefix if empty.
	Prefix string
	// Now is the clock Expires is measured against; nil means time.Now.
	// Give it the Manager's clock.
	Now func() time.Time
}

// NewRedisStore returns a RedisStore on rdb sealing with sealer.
func NewRedisStore(rdb redis.Cmdable, sealer *Sealer, o RedisOptions) *RedisStore {
	if rdb == nil || sealer == nil {
		panic("session: NewRedisStore needs a Redis client and a Sealer")
	}
	if o.Prefix == "" {
		o.Prefix = DefaultRedisPrefix
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &RedisStore{rdb: rdb, sealer: sealer, prefix: o.Prefix, now: o.Now}
}

var (
	_ VersionedStore = (*RedisStore)(nil)
	_ Updater        = (*RedisStore)(nil)
	_ Pinger         = (*RedisStore)(nil)
	_ ExistChecker   = (*RedisStore)(nil)
)

// key is where id's material lives: a hash of the ID, so that whoever can
// list Redis keys learns no session ID.
func (s *RedisStore) key(id string) string {
	h := sha256.Sum256([]byte("vodboard session key v1\x00" + id))
	return s.prefix + "session:" + hex.EncodeToString(h[:])
}

// unavailable wraps a Redis error for op.
func unavailable(op string, err error) error {
	return fmt.Errorf("redis session store %s: %w: %w", op, ErrStoreUnavailable, err)
}

// Get opens the material stored for id.
func (s *RedisStore) Get(ctx context.Context, id string) (Material, bool, error) {
	m, _, ok, err := s.GetVersion(ctx, id)
	return m, ok, err
}

// GetVersion opens the material stored for id and reports its version.
func (s *RedisStore) GetVersion(ctx context.Context, id string) (Material, int64, bool, error) {
	vals, err := s.rdb.HMGet(ctx, s.key(id), "v", "m").Result()
	if err != nil {
		return Material{}, 0, false, unavailable("get", err)
	}
	ver, okV := vals[0].(string)
	sealed, okM := vals[1].(string)
	if !okV || !okM {
		return Material{}, 0, false, nil
	}
	version, err := strconv.ParseInt(ver, 10, 64)
	if err != nil {
		return Material{}, 0, true, fmt.Errorf("redis session store get: version %w", ErrOpen)
	}
	m, err := openMaterial(s.sealer, id, []byte(sealed))
	if err != nil {
		return Material{}, 0, true, fmt.Errorf("redis session store get: %w", err)
	}
	return m, version, true, nil
}

// putScript stores a new version of KEYS[1] whether or not it exists.
// ARGV: sealed material, TTL in ms (0: none).
var putScript = redis.NewScript(`
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'm', ARGV[1])
if tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('PERSIST', KEYS[1])
end
return 1
`)

// updateScript stores a new version of KEYS[1] only if it exists and, when
// ARGV[3] is not empty, only if its version is ARGV[3]. It returns 1 when
// stored, 0 on a version conflict, -1 when the entry is gone.
var updateScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if ARGV[3] ~= '' and v ~= ARGV[3] then return 0 end
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'm', ARGV[1])
if tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('PERSIST', KEYS[1])
end
return 1
`)

// ttl is how long m should live: until its Expires, or forever when it has
// none. expired reports an Expires already past.
func (s *RedisStore) ttl(m Material) (ms int64, expired bool) {
	if m.Expires.IsZero() {
		return 0, false
	}
	d := m.Expires.Sub(s.now())
	if d <= 0 {
		return 0, true
	}
	return max(d.Milliseconds(), 1), false
}

// Put seals m and stores it under id.
func (s *RedisStore) Put(ctx context.Context, id string, m Material) error {
	ttl, expired := s.ttl(m)
	if expired {
		return s.Delete(ctx, id)
	}
	sealed, err := sealMaterial(s.sealer, id, m)
	if err != nil {
		return fmt.Errorf("redis session store put: %w", err)
	}
	if err := putScript.Run(ctx, s.rdb, []string{s.key(id)}, sealed, ttl).Err(); err != nil {
		return unavailable("put", err)
	}
	return nil
}

// Update replaces the material stored for id only if id is still stored,
// and reports whether it was; it implements [Updater].
func (s *RedisStore) Update(ctx context.Context, id string, m Material) (bool, error) {
	return s.update(ctx, id, "", m)
}

// Swap replaces the material stored for id only if id is still stored at
// version; it returns an error wrapping [ErrConflict] when the version
// changed. It implements [VersionedStore].
func (s *RedisStore) Swap(ctx context.Context, id string, version int64, m Material) (bool, error) {
	return s.update(ctx, id, strconv.FormatInt(version, 10), m)
}

func (s *RedisStore) update(ctx context.Context, id, version string, m Material) (bool, error) {
	ttl, expired := s.ttl(m)
	if expired {
		return false, s.Delete(ctx, id)
	}
	sealed, err := sealMaterial(s.sealer, id, m)
	if err != nil {
		return false, fmt.Errorf("redis session store update: %w", err)
	}
	res, err := updateScript.Run(ctx, s.rdb, []string{s.key(id)}, sealed, ttl, version).Int64()
	if err != nil {
		return false, unavailable("update", err)
	}
	switch res {
	case 1:
		return true, nil
	case 0:
		return false, fmt.Errorf("redis session store update: %w", ErrConflict)
	}
	return false, nil
}

// Delete removes id everywhere at once.
func (s *RedisStore) Delete(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.key(id)).Err(); err != nil {
		return unavailable("delete", err)
	}
	return nil
}

// Exists reports which of ids are still stored; it implements
// [ExistChecker].
func (s *RedisStore) Exists(ctx context.Context, ids []string) ([]bool, error) {
	cmds := make([]*redis.IntCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.Exists(ctx, s.key(id))
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("exists", err)
	}
	out := make([]bool, len(ids))
	for i, c := range cmds {
		out[i] = c.Val() == 1
	}
	return out, nil
}

// Ping checks that Redis answers; it implements [Pinger].
func (s *RedisStore) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}
