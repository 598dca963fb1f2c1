package session

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
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
// commas or whitespace, newest first. Each key must decode to at least
// [MinKeyBytes] bytes. Errors name the key's position, never its value.
func ParseKeys(s string) ([][]byte, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return nil, errNoKeys
	}
	keys := make([][]byte, 0, len(fields))
	for i, f := range fields {
		k, err := hex.DecodeString(f)
		if err != nil {
			return nil, fmt.Errorf("session: key %d is not valid hex", i+1)
		}
		keys = append(keys, k)
	}
	if err := checkKeys(keys); err != nil {
		return nil, err
	}
	return keys, nil
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
