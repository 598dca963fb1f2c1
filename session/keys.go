package session

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// MinKeyBytes is the minimum length of an operator session key (64 hex characters).
const MinKeyBytes = 32

// Subkey purposes. Each operator key yields one independent key per purpose,
// so no key material is ever used for two things.
const (
	purposeCookieHash  = "cookie-hash"
	purposeCookieBlock = "cookie-block"
	purposeSeal        = "material-seal"
)

var errNoKeys = errors.New("session: at least one session key is required")

// ParseKeys parses operator session keys given as hex strings separated by
// commas (spaces around them are ignored; so are empty entries), newest
// first, e.g. the value of -session-key. Each key must be at least
// 2*[MinKeyBytes] hex characters ("openssl rand -hex 32").
//
// Errors name the key by its position and say what is wrong, never echoing
// key material, and carry no package prefix so the caller can prefix the
// flag's name: "key 2 has 40 hex characters, want at least 64 (openssl rand
// -hex 32)", "key 1 is not hex".
func ParseKeys(s string) ([][]byte, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || unicode.IsSpace(r)
	})
	if len(fields) == 0 {
		return nil, errors.New("no key given")
	}
	keys := make([][]byte, 0, len(fields))
	for i, f := range fields {
		// Check the characters first: a base64 or passphrase key is "not
		// hex", whatever its length. hex.DecodeString's own errors quote the
		// offending byte, so they are never passed on.
		if strings.IndexFunc(f, notHexDigit) >= 0 {
			return nil, fmt.Errorf("key %d is not hex", i+1)
		}
		if len(f) < 2*MinKeyBytes {
			return nil, fmt.Errorf("key %d has %d hex characters, want at least %d (openssl rand -hex %d)",
				i+1, len(f), 2*MinKeyBytes, MinKeyBytes)
		}
		if len(f)%2 != 0 {
			return nil, fmt.Errorf("key %d has %d hex characters, want an even number", i+1, len(f))
		}
		k, err := hex.DecodeString(f)
		if err != nil {
			return nil, fmt.Errorf("key %d is not hex", i+1)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func notHexDigit(r rune) bool {
	return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F')
}

func checkKeys(keys [][]byte) error {
	if len(keys) == 0 {
		return errNoKeys
	}
	for i, k := range keys {
		if len(k) < MinKeyBytes {
			return fmt.Errorf("session: key %d is %d bytes, want at least %d (%d hex characters)",
				i+1, len(k), MinKeyBytes, 2*MinKeyBytes)
		}
	}
	return nil
}

// subkey derives the key for one purpose from an operator key (RFC 5869).
func subkey(master []byte, purpose string, n int) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, master, nil, "vodboard/session/"+purpose+"/v1", n)
	if err != nil {
		return nil, fmt.Errorf("session: derive %s key: %w", purpose, err)
	}
	return k, nil
}
