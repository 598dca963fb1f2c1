package session

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func mustSealer(t *testing.T, keys ...[]byte) *Sealer {
	t.Helper()
	s, err := NewSealer(keys...)
	if err != nil {
		t.Fatalf("NewSealer: %v", err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := mustSealer(t, testKey("a"))
	plain := []byte(`{"AccessKeySecret":"` + testSecret + `"}`)
	sealed, err := s.Seal("session-1", plain)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if bytes.Contains(sealed, []byte(testSecret)) {
		t.Fatal("sealed value contains the plaintext secret")
	}
	got, err := s.Open("session-1", sealed)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, want %q", got, plain)
	}
	again, _ := s.Seal("session-1", plain)
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals of the same plaintext are identical: nonce not random")
	}
}

func TestSealBoundToSessionID(t *testing.T) {
	s := mustSealer(t, testKey("a"))
	sealed, err := s.Seal("session-1", []byte("secret material"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"session-2", "session-1 ", "Session-1", ""} {
		if _, err := s.Open(id, sealed); !errors.Is(err, ErrOpen) {
			t.Errorf("Open under ID %q: err = %v, want ErrOpen", id, err)
		}
	}
}

func TestSealTamperedFails(t *testing.T) {
	s := mustSealer(t, testKey("a"))
	sealed, err := s.Seal("id", []byte("secret material"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := s.Open("id", bad); !errors.Is(err, ErrOpen) {
			t.Fatalf("byte %d flipped: err = %v, want ErrOpen", i, err)
		}
	}
	for _, bad := range [][]byte{nil, {}, sealed[:1], sealed[:len(sealed)-1], append(bytes.Clone(sealed), 0)} {
		if _, err := s.Open("id", bad); !errors.Is(err, ErrOpen) {
			t.Errorf("Open(len %d): err = %v, want ErrOpen", len(bad), err)
		}
	}
}

func TestSealKeyRotation(t *testing.T) {
	oldKey, newKey := testKey("old"), testKey("new")
	before := mustSealer(t, oldKey)
	sealedOld, _ := before.Seal("id", []byte("from before rotation"))

	rotated := mustSealer(t, newKey, oldKey)
	if got, err := rotated.Open("id", sealedOld); err != nil || string(got) != "from before rotation" {
		t.Fatalf("rotated sealer opening old value = %q, %v", got, err)
	}
	sealedNew, _ := rotated.Seal("id", []byte("after rotation"))
	if _, err := before.Open("id", sealedNew); !errors.Is(err, ErrOpen) {
		t.Fatalf("old-key sealer opened a new value (err %v): rotation did not seal with the newest key", err)
	}
	if _, err := mustSealer(t, newKey).Open("id", sealedNew); err != nil {
		t.Fatalf("new-key sealer cannot open new value: %v", err)
	}
	if _, err := mustSealer(t, newKey).Open("id", sealedOld); !errors.Is(err, ErrOpen) {
		t.Fatal("retired key still opens after being dropped")
	}
}

func TestSealerUsesDerivedKey(t *testing.T) {
	master := testKey("a")
	if _, err := NewSealer(master[:31]); err == nil {
		t.Fatal("NewSealer accepted a 31-byte key")
	}
	if _, err := NewSealer(); err == nil {
		t.Fatal("NewSealer accepted no keys")
	}
	// Subkeys are per purpose, deterministic, and not the master key.
	seen := map[string]string{hex.EncodeToString(master): "master"}
	for _, p := range []string{purposeCookieHash, purposeCookieBlock, purposeSeal} {
		k, err := subkey(master, p, 32)
		if err != nil {
			t.Fatal(err)
		}
		k2, _ := subkey(master, p, 32)
		if !bytes.Equal(k, k2) {
			t.Fatalf("subkey %s not deterministic", p)
		}
		h := hex.EncodeToString(k)
		if other, dup := seen[h]; dup {
			t.Fatalf("subkey %s equals %s", p, other)
		}
		seen[h] = p
	}
}

func TestParseKeys(t *testing.T) {
	k1, k2 := hex.EncodeToString(testKey("1")), hex.EncodeToString(testKey("2"))
	for _, in := range []string{
		k1 + "," + k2,
		k1 + ", " + k2,
		"  " + k1 + " ,\t" + strings.ToUpper(k2) + " ,\n",
	} {
		keys, err := ParseKeys(in)
		if err != nil || len(keys) != 2 || !bytes.Equal(keys[0], testKey("1")) || !bytes.Equal(keys[1], testKey("2")) {
			t.Fatalf("ParseKeys(%q) = %x, %v", in, keys, err)
		}
	}
	if keys, err := ParseKeys(k1 + k2); err != nil || len(keys) != 1 || len(keys[0]) != 64 {
		t.Fatalf("ParseKeys of a 128-character key = %x, %v", keys, err)
	}

	short := k1[:40]
	for _, tc := range []struct{ in, want string }{
		{"", "no key given"},
		{" , ", "no key given"},
		{short, "key 1 has 40 hex characters, want at least 64 (openssl rand -hex 32)"},
		{k1 + ", " + short, "key 2 has 40 hex characters, want at least 64 (openssl rand -hex 32)"},
		{"zz" + k1[2:], "key 1 is not hex"},
		{k2 + "," + k1[:30] + "g" + k1[31:], "key 2 is not hex"},
		{"0x" + k1, "key 1 is not hex"},
		{"c2VjcmV0LXNlc3Npb24ta2V5LWluLWJhc2U2NC1mb3JtCg==", "key 1 is not hex"},
		{k1 + "a", "key 1 has 65 hex characters, want an even number"},
	} {
		_, err := ParseKeys(tc.in)
		if err == nil {
			t.Errorf("ParseKeys(%q) succeeded", tc.in)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("ParseKeys(%q) error %q, want %q", tc.in, err, tc.want)
		}
		for _, secret := range []string{k1[:16], k1[30:40], k2[:16], "g"} {
			if strings.Contains(err.Error(), secret) && !strings.Contains(tc.want, secret) {
				t.Errorf("ParseKeys error %q reveals key material", err)
			}
		}
	}
}
