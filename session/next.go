package session

import (
	"net/url"
	"strings"
)

// maxNextLen bounds a redirect target; anything longer is not one of ours.
const maxNextLen = 2048

// SafeNext returns next if it is a path on this site ("/media/x?ids=1"),
// otherwise "/". It refuses absolute and scheme-relative URLs
// ("https://evil.example", "//evil.example"), backslashes (browsers read
// "/\evil.example" as "//evil.example"), whitespace and control characters
// (browsers drop tabs and newlines inside URLs), non-ASCII, and encoded
// forms that decode to any of these.
func SafeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

func localPath(next string) bool {
	if len(next) > maxNextLen || !localShape(next) {
		return false
	}
	// Some hop may decode the target again before a browser sees it, so
	// none of its decoded forms may lead off-site either, however many
	// times it is decoded: each decoding that changes s shortens it, so
	// this ends.
	for s := next; ; {
		d, err := url.PathUnescape(s)
		if err != nil {
			return false
		}
		if d == s {
			break
		}
		if !sameOrigin(d) {
			return false
		}
		s = d
	}
	u, err := url.Parse(next)
	if err != nil {
		return false
	}
	return u.Scheme == "" && u.Host == "" && u.User == nil && u.Opaque == "" &&
		strings.HasPrefix(u.Path, "/")
}

// localShape checks the raw characters: an ASCII path starting with exactly
// one slash, with no backslash, whitespace or control character anywhere.
func localShape(s string) bool {
	if !sameOrigin(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b == '\\' || b >= 0x7f {
			return false
		}
	}
	return true
}

// sameOrigin reports whether a browser would resolve s against this site:
// after dropping the tabs and newlines browsers ignore, it starts with one
// slash not followed by another slash or a backslash.
func sameOrigin(s string) bool {
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	if len(s) == 0 || s[0] != '/' {
		return false
	}
	return len(s) == 1 || (s[1] != '/' && s[1] != '\\')
}
