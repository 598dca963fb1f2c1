package session

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// ErrOpen reports sealed material that no key can open: tampered, sealed
// for another session ID, or sealed under a key that has been retired.
var ErrOpen = errors.New("session: sealed material cannot be opened")

// sealVersion prefixes every sealed value so the format can change later.
const sealVersion byte = 1

// Sealer encrypts session material with AES-256-GCM under keys derived from
// the operator's session keys. The newest key seals; every key opens, so
// keys can be rotated without signing everyone out.
type Sealer struct {
	aeads []cipher.AEAD
}

// NewSealer returns a Sealer for the operator keys, newest first. Each key
// is at least [MinKeyBytes] long; the sealing keys are derived from them
// with HKDF, so the same operator key can also protect cookies.
func NewSealer(keys ...[]byte) (*Sealer, error) {
	if err := checkKeys(keys); err != nil {
		return nil, err
	}
	s := &Sealer{}
	for _, k := range keys {
		sk, err := subkey(k, purposeSeal, 32)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(sk)
		if err != nil {
			return nil, fmt.Errorf("session: sealing cipher: %w", err)
		}
		// A fresh random 96-bit nonce per Seal, prepended to the ciphertext.
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("session: sealing cipher: %w", err)
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

// additionalData binds a ciphertext to its session ID.
func additionalData(id string) []byte {
	return append([]byte("vodboard session material v1\x00"), id...)
}

// Seal encrypts plaintext for the session id under the newest key.
func (s *Sealer) Seal(id string, plaintext []byte) ([]byte, error) {
	if id == "" {
		return nil, errors.New("session: seal needs a session ID")
	}
	out := make([]byte, 1, 1+len(plaintext)+s.aeads[0].Overhead())
	out[0] = sealVersion
	return s.aeads[0].Seal(out, nil, plaintext, additionalData(id)), nil
}

// Open decrypts a value sealed for the session id, trying every key. It
// returns an error wrapping [ErrOpen] when none succeeds.
func (s *Sealer) Open(id string, sealed []byte) ([]byte, error) {
	if id == "" || len(sealed) < 1 || sealed[0] != sealVersion {
		return nil, ErrOpen
	}
	ad := additionalData(id)
	for _, a := range s.aeads {
		if plain, err := a.Open(nil, nil, sealed[1:], ad); err == nil {
			return plain, nil
		}
	}
	return nil, ErrOpen
}
