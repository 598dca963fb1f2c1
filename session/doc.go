// Package session is vodboard's session and request-security layer.
//
// A browser holds one cookie carrying an opaque random session ID and a CSRF
// secret, signed and encrypted by gorilla/securecookie. Everything else a
// signed-in session needs (region, AccessKey, settings, recent lookups) stays
// on the server as [Material] in a [MaterialStore], sealed with AES-256-GCM
// and bound to the session ID: a [MemoryStore] for one instance, or a
// [RedisStore] shared by several, whose updates are compare-and-set. All
// keys are derived with HKDF from the operator's session keys, one subkey
// per purpose.
//
// The package also provides the CSRF middleware ([Manager.CSRF],
// [CSRFToken]), security headers ([SecurityHeaders], [NoStore]), a sign-in
// rate limiter per client IP and AccessKey ID ([LoginLimiter], in memory or
// Redis) and a redirect-target check ([SafeNext]).
package session
