package vodclient

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// matchBuilder writes SearchMedia's Match filter. It is the only place Match
// text is produced: every value goes through quote, so user text can only
// ever be one single-quoted value, never syntax.
//
// Conditions join with "and"; an "or" is always wrapped in parentheses, as
// the protocol requires.
type matchBuilder struct {
	conds []string
}

// maxFuzzyRunes is the longest fuzzy text the service accepts.
const maxFuzzyRunes = 60

// matchTimeLayout is how Match writes times: ISO 8601 in UTC.
const matchTimeLayout = "2006-01-02T15:04:05Z"

// cleanText makes user text safe as a Match value: quotes, backslashes and
// control characters become spaces (the protocol has no escape for them),
// runs of white space fold into one, and the result is at most limit runes
// (0: no limit), cut at a word boundary where there is one.
func cleanText(s string, limit int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == '\'' || r == '"' || r == '\\' || r == '`' || unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if limit > 0 {
		if r := []rune(out); len(r) > limit {
			cut := string(r[:limit])
			if i := strings.LastIndexByte(cut, ' '); i > limit/2 {
				cut = cut[:i]
			}
			out = strings.TrimSpace(cut)
		}
	}
	return out
}

// quote returns v as one single-quoted Match value.
func quote(v string) string { return "'" + cleanText(v, 0) + "'" }

// fuzzy adds field = 'text' for the words of text; nothing when no word is
// left after cleaning.
func (b *matchBuilder) fuzzy(field, text string) {
	if t := cleanText(text, maxFuzzyRunes); t != "" {
		b.conds = append(b.conds, field+" = '"+t+"'")
	}
}

// exact adds field = 'value'.
func (b *matchBuilder) exact(field, value string) {
	b.conds = append(b.conds, field+" = "+quote(value))
}

// in adds field in ('a','b') for the non-empty values; one value is written
// as an exact condition, none adds nothing.
func (b *matchBuilder) in(field string, values []string) {
	var quoted []string
	for _, v := range values {
		if cleanText(v, 0) != "" {
			quoted = append(quoted, quote(v))
		}
	}
	switch len(quoted) {
	case 0:
	case 1:
		b.conds = append(b.conds, field+" = "+quoted[0])
	default:
		b.conds = append(b.conds, field+" in ("+strings.Join(quoted, ",")+")")
	}
}

// inNumbers adds field in (1,2) for numeric values, written bare.
func (b *matchBuilder) inNumbers(field string, values []int64) {
	nums := make([]string, len(values))
	for i, v := range values {
		nums[i] = strconv.FormatInt(v, 10)
	}
	switch len(nums) {
	case 0:
	case 1:
		b.conds = append(b.conds, field+" = "+nums[0])
	default:
		b.conds = append(b.conds, field+" in ("+strings.Join(nums, ",")+")")
	}
}

// timeRange adds field = ['from','before'): from inclusive, before
// exclusive, a zero time leaving that end open.
func (b *matchBuilder) timeRange(field string, from, before time.Time) {
	if from.IsZero() && before.IsZero() {
		return
	}
	lo, hi := "(", ")"
	var low, high string
	if !from.IsZero() {
		lo, low = "[", "'"+from.UTC().Format(matchTimeLayout)+"'"
	}
	if !before.IsZero() {
		high = "'" + before.UTC().Format(matchTimeLayout) + "'"
	}
	b.conds = append(b.conds, field+" = "+lo+low+","+high+hi)
}

// anyOf adds the conditions that build adds to its own builder, joined
// with "or" inside parentheses.
func (b *matchBuilder) anyOf(build func(*matchBuilder)) {
	var inner matchBuilder
	build(&inner)
	switch len(inner.conds) {
	case 0:
	case 1:
		b.conds = append(b.conds, inner.conds[0])
	default:
		b.conds = append(b.conds, "("+strings.Join(inner.conds, " or ")+")")
	}
}

// String returns the Match text: the conditions joined with "and".
func (b *matchBuilder) String() string { return strings.Join(b.conds, " and ") }
