package vodclient

import (
	"strings"
	"unicode"
)

// MaxIDsPerCall is the documented limit of GetImageInfos and
// BatchGetMediaInfos (and of ReferenceIds) for one call.
const MaxIDsPerCall = 20

// ValidID reports whether id has the documented shape of a VOD ID: 1 to 64
// letters, digits, '-' or '_'.
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// ParseIDs splits pasted text into IDs: commas, semicolons (ASCII or
// CJK) and any white space (tabs, new lines, no-break and ideographic
// spaces) separate them. Empty entries are dropped; nothing is validated.
func ParseIDs(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case ',', ';', '\u3001', '\uff0c', '\uff1b':
			return true
		}
		return unicode.IsSpace(r)
	})
}

// normalizeIDs trims and de-duplicates ids, keeping the first occurrence's
// position, and reports every ID of the wrong shape.
func normalizeIDs(ids []string) ([]string, error) {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	var bad []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if !ValidID(id) {
			bad = append(bad, id)
			continue
		}
		out = append(out, id)
	}
	if len(bad) > 0 {
		return nil, &InvalidIDsError{IDs: bad}
	}
	return out, nil
}

// chunk splits ids into consecutive groups of at most size.
func chunk(ids []string, size int) [][]string {
	var out [][]string
	for len(ids) > 0 {
		n := min(size, len(ids))
		out = append(out, ids[:n:n])
		ids = ids[n:]
	}
	return out
}
