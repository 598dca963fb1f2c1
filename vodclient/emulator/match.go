package emulator

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchExpr is a parsed SearchMedia Match filter. Exactly one of And, Or
// and Cond is set, except in the zero MatchExpr, the empty filter, which
// matches everything. Nested lists of the same kind are flattened and a
// list of one is replaced by its element, so "a and (b and c)" is one And
// of three conditions and "(a)" is just a.
type MatchExpr struct {
	And  []MatchExpr
	Or   []MatchExpr
	Cond *MatchCond
}

// MatchCond is one condition of a Match filter.
type MatchCond struct {
	Field string
	// Op is "=" (field = value), "in" (field in ('a','b')) or "range"
	// (field = (low,high), with [ ] for closed ends).
	Op string
	// Values are the value of "=" or the values of "in", quotes removed.
	Values []string
	// Quoted reports whether every value (or every range end given) was
	// written in single quotes.
	Quoted bool
	// Low and High are the ends of a range; "" is an open end.
	Low, High string
	// LowClosed and HighClosed report [ and ] (the end itself included).
	LowClosed, HighClosed bool
}

// Conds lists every condition of m in the order written.
func (m MatchExpr) Conds() []MatchCond {
	var out []MatchCond
	var walk func(MatchExpr)
	walk = func(m MatchExpr) {
		if m.Cond != nil {
			out = append(out, *m.Cond)
		}
		for _, x := range m.And {
			walk(x)
		}
		for _, x := range m.Or {
			walk(x)
		}
	}
	walk(m)
	return out
}

// maxMatchDepth bounds parenthesis nesting, so hostile input cannot recurse
// without limit.
const maxMatchDepth = 32

// ParseMatch parses a SearchMedia Match filter:
//
//	filter := [ and ]
//	and    := term { ("and" | "AND") term }
//	term   := "(" or ")" | cond
//	or     := and { ("or" | "OR") and }
//	cond   := field "=" value | field "=" range | field "in" "(" value { "," value } ")"
//	range  := ("(" | "[") [ value ] "," [ value ] (")" | "]")
//	value  := 'text' | bare
//
// Keywords are case-insensitive. A quoted value runs to the next single
// quote and is literal: parentheses, commas, "or", double quotes and
// backslashes inside it are text (there is no escape for a quote). A bare
// value or field is a run of letters, digits and - _ . : + / @. An "or"
// outside parentheses is an error, as the protocol requires. Whether the
// fields exist and allow the operator is for the search to decide.
func ParseMatch(s string) (MatchExpr, error) {
	toks, err := lexMatch(s)
	if err != nil {
		return MatchExpr{}, err
	}
	p := &matchParser{toks: toks}
	if p.peek().kind == tokEOF {
		return MatchExpr{}, nil
	}
	m, err := p.parseAnd(0, true)
	if err != nil {
		return MatchExpr{}, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return MatchExpr{}, p.errorf(t, "unexpected %s", t)
	}
	return m, nil
}

// matchError is a syntax error at a byte offset of the Match text.
type matchError struct {
	pos int
	msg string
}

func (e *matchError) Error() string {
	return fmt.Sprintf("match: at character %d: %s", e.pos+1, e.msg)
}

// matchErrorMessage is the API's message for a ParseMatch error.
func matchErrorMessage(err error) string {
	if me, ok := errors.AsType[*matchError](err); ok {
		return fmt.Sprintf("Syntax error at character %d: %s.", me.pos+1, me.msg)
	}
	return err.Error()
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokString
	tokLParen
	tokRParen
	tokLBrack
	tokRBrack
	tokComma
	tokEq
)

type matchToken struct {
	kind tokKind
	text string
	pos  int
}

func (t matchToken) String() string {
	switch t.kind {
	case tokEOF:
		return "end of text"
	case tokWord:
		return fmt.Sprintf("%q", t.text)
	case tokString:
		return fmt.Sprintf("'%s'", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// is reports whether t is the keyword kw, in any case.
func (t matchToken) is(kw string) bool { return t.kind == tokWord && strings.EqualFold(t.text, kw) }

func bareRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.:+/@", r)
}

func lexMatch(s string) ([]matchToken, error) {
	if !utf8.ValidString(s) {
		bad := 0
		for bad < len(s) {
			r, size := utf8.DecodeRuneInString(s[bad:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			bad += size
		}
		return nil, &matchError{bad, "the text is not valid UTF-8"}
	}
	var toks []matchToken
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, &matchError{i, "the quoted value is not closed with '"}
			}
			toks = append(toks, matchToken{tokString, s[i+1 : i+1+end], i})
			i += end + 2
		case strings.ContainsRune("()[],=", r):
			kind := map[rune]tokKind{'(': tokLParen, ')': tokRParen, '[': tokLBrack, ']': tokRBrack, ',': tokComma, '=': tokEq}[r]
			toks = append(toks, matchToken{kind, string(r), i})
			i += size
		case bareRune(r):
			start := i
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !bareRune(r) {
					break
				}
				i += size
			}
			toks = append(toks, matchToken{tokWord, s[start:i], start})
		case r == '"':
			return nil, &matchError{i, `unexpected '"': values are quoted with single quotes`}
		default:
			return nil, &matchError{i, fmt.Sprintf("unexpected character %q", r)}
		}
	}
	return append(toks, matchToken{kind: tokEOF, pos: len(s)}), nil
}

type matchParser struct {
	toks []matchToken
	i    int
}

func (p *matchParser) peek() matchToken { return p.toks[p.i] }

func (p *matchParser) next() matchToken {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *matchParser) errorf(t matchToken, format string, args ...any) error {
	return &matchError{t.pos, fmt.Sprintf(format, args...)}
}

// parseAnd reads terms joined by "and". At the top level an "or" is an
// error; inside parentheses it ends the and-list for parseOr.
func (p *matchParser) parseAnd(depth int, top bool) (MatchExpr, error) {
	var list []MatchExpr
	for {
		m, err := p.parseTerm(depth)
		if err != nil {
			return MatchExpr{}, err
		}
		list = appendFlat(list, m, true)
		t := p.peek()
		if t.is("or") && top {
			return MatchExpr{}, p.errorf(t, `"or" must be inside parentheses, e.g. (a = 1 or b = 2)`)
		}
		if !t.is("and") {
			break
		}
		p.next()
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return MatchExpr{And: list}, nil
}

func (p *matchParser) parseOr(depth int) (MatchExpr, error) {
	var list []MatchExpr
	for {
		m, err := p.parseAnd(depth, false)
		if err != nil {
			return MatchExpr{}, err
		}
		list = appendFlat(list, m, false)
		if !p.peek().is("or") {
			break
		}
		p.next()
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return MatchExpr{Or: list}, nil
}

// appendFlat appends m to an And (and true) or Or list, splicing in m's own
// elements when m is a list of the same kind.
func appendFlat(list []MatchExpr, m MatchExpr, and bool) []MatchExpr {
	switch {
	case and && m.And != nil:
		return append(list, m.And...)
	case !and && m.Or != nil:
		return append(list, m.Or...)
	}
	return append(list, m)
}

func (p *matchParser) parseTerm(depth int) (MatchExpr, error) {
	t := p.next()
	switch {
	case t.kind == tokLParen:
		if depth >= maxMatchDepth {
			return MatchExpr{}, p.errorf(t, "parentheses nested more than %d deep", maxMatchDepth)
		}
		m, err := p.parseOr(depth + 1)
		if err != nil {
			return MatchExpr{}, err
		}
		if c := p.next(); c.kind != tokRParen {
			return MatchExpr{}, p.errorf(c, `expected ")", found %s`, c)
		}
		return m, nil
	case t.kind != tokWord || t.is("and") || t.is("or") || t.is("in"):
		return MatchExpr{}, p.errorf(t, `expected a field name or "(", found %s`, t)
	}
	if r, _ := utf8.DecodeRuneInString(t.text); !unicode.IsLetter(r) || strings.ContainsAny(t.text, "-.:+/@") {
		return MatchExpr{}, p.errorf(t, "%s is not a field name", t)
	}
	c := &MatchCond{Field: t.text}
	op := p.next()
	switch {
	case op.kind == tokEq && (p.peek().kind == tokLParen || p.peek().kind == tokLBrack):
		if err := p.parseRange(c); err != nil {
			return MatchExpr{}, err
		}
	case op.kind == tokEq:
		v, quoted, err := p.parseValue()
		if err != nil {
			return MatchExpr{}, err
		}
		c.Op, c.Values, c.Quoted = "=", []string{v}, quoted
	case op.is("in"):
		if err := p.parseList(c); err != nil {
			return MatchExpr{}, err
		}
	default:
		return MatchExpr{}, p.errorf(op, `expected "=" or "in" after the field %s, found %s`, t, op)
	}
	return MatchExpr{Cond: c}, nil
}

func (p *matchParser) parseValue() (string, bool, error) {
	t := p.next()
	switch {
	case t.kind == tokString:
		return t.text, true, nil
	case t.kind == tokWord:
		return t.text, false, nil
	}
	return "", false, p.errorf(t, "expected a value, found %s", t)
}

// parseRange reads (low,high) with ( ) open and [ ] closed ends; either
// end may be left out.
func (p *matchParser) parseRange(c *MatchCond) error {
	open := p.next()
	c.Op, c.LowClosed, c.Quoted = "range", open.kind == tokLBrack, true
	ends := 0
	end := func(dst *string) error {
		if k := p.peek().kind; k != tokString && k != tokWord {
			return nil
		}
		v, quoted, err := p.parseValue()
		*dst, c.Quoted, ends = v, c.Quoted && quoted, ends+1
		return err
	}
	if err := end(&c.Low); err != nil {
		return err
	}
	if t := p.next(); t.kind != tokComma {
		return p.errorf(t, `expected "," in the range, found %s: a range is (low,high)`, t)
	}
	if err := end(&c.High); err != nil {
		return err
	}
	switch t := p.next(); t.kind {
	case tokRParen:
	case tokRBrack:
		c.HighClosed = true
	default:
		return p.errorf(t, `expected ")" or "]" to close the range, found %s`, t)
	}
	c.Quoted = c.Quoted && ends > 0
	return nil
}

// parseList reads ('a','b',...) after "in".
func (p *matchParser) parseList(c *MatchCond) error {
	if t := p.next(); t.kind != tokLParen {
		return p.errorf(t, `expected "(" after "in", found %s`, t)
	}
	c.Op, c.Quoted = "in", true
	for {
		v, quoted, err := p.parseValue()
		if err != nil {
			return err
		}
		c.Values, c.Quoted = append(c.Values, v), c.Quoted && quoted
		t := p.next()
		if t.kind == tokRParen {
			return nil
		}
		if t.kind != tokComma {
			return p.errorf(t, `expected "," or ")" in the list, found %s`, t)
		}
	}
}
