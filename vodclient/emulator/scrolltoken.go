package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
)

// A ScrollToken is 32 hex digits: a 4-byte big-endian offset into the
// sorted hits (the first record after the page that handed it out) and the
// first 12 bytes of an HMAC-SHA256, keyed by the emulator's URL key, over
// the offset and the search it belongs to (SearchType, Match and SortBy as
// sent, SortBy defaulted). It is stateless: any emulator with the same key
// accepts it, and it cannot be moved to another search or offset.
const (
	scrollOffsetBytes = 4
	scrollMACBytes    = 12
	// scrollReach is how many records past its token a request can reach
	// (PageNo × PageSize).
	scrollReach = 100
)

func (e *Emulator) scrollMAC(kind, match, sortBy string, offset []byte) []byte {
	m := hmac.New(sha256.New, []byte(e.urlKey))
	m.Write([]byte("vodboard SearchMedia ScrollToken\x00"))
	for _, s := range []string{kind, match, sortBy} {
		m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(s))))
		m.Write([]byte(s))
	}
	m.Write(offset)
	return m.Sum(nil)[:scrollMACBytes]
}

// scrollToken returns the token that continues a search at offset.
func (e *Emulator) scrollToken(kind, match, sortBy string, offset int) string {
	off := binary.BigEndian.AppendUint32(nil, uint32(min(offset, math.MaxUint32)))
	return hex.EncodeToString(append(off, e.scrollMAC(kind, match, sortBy, off)...))
}

// openScrollToken returns the offset a token encodes, and false if it is
// malformed, forged or from another search.
func (e *Emulator) openScrollToken(token, kind, match, sortBy string) (int, bool) {
	b, err := hex.DecodeString(token)
	if err != nil || len(b) != scrollOffsetBytes+scrollMACBytes {
		return 0, false
	}
	off, mac := b[:scrollOffsetBytes], b[scrollOffsetBytes:]
	if !hmac.Equal(mac, e.scrollMAC(kind, match, sortBy, off)) {
		return 0, false
	}
	return int(binary.BigEndian.Uint32(off)), true
}
