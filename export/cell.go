package export

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Cell is one value of a row: text, a list of texts, a number, a yes/no,
// or nothing. Numbers stay numbers in JSON; in CSV every cell is text.
type Cell struct {
	kind cellKind
	text string
	list []string
	// bits is an Int's value, a Float's IEEE 754 bits, or a Bool's 0 or 1.
	bits uint64
}

type cellKind uint8

const (
	emptyCell cellKind = iota
	textCell
	listCell
	intCell
	floatCell
	boolCell
)

// Empty is a cell with no value: an empty CSV cell, null in JSON.
var Empty = Cell{}

// Text is a cell of text.
func Text(s string) Cell { return Cell{kind: textCell, text: s} }

// List is a cell of several texts: joined by ", " in CSV, an array in JSON.
func List(items []string) Cell { return Cell{kind: listCell, list: items} }

// Int is a whole number.
func Int(n int64) Cell { return Cell{kind: intCell, bits: uint64(n)} }

// Float is a number; NaN and infinities are Empty.
func Float(f float64) Cell {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Empty
	}
	return Cell{kind: floatCell, bits: math.Float64bits(f)}
}

// Bool is true or false.
func Bool(b bool) Cell {
	if b {
		return Cell{kind: boolCell, bits: 1}
	}
	return Cell{kind: boolCell}
}

// csvText is the cell as one CSV field: text and lists neutralised against
// formula injection, numbers as Go formats them (never neutralised: they
// are ours, not the API's), invalid UTF-8 replaced.
func (c Cell) csvText() string {
	switch c.kind {
	case textCell:
		return Neutralize(strings.ToValidUTF8(c.text, "\uFFFD"))
	case listCell:
		return Neutralize(strings.ToValidUTF8(strings.Join(c.list, ", "), "\uFFFD"))
	case intCell:
		return strconv.FormatInt(int64(c.bits), 10)
	case floatCell:
		return strconv.FormatFloat(math.Float64frombits(c.bits), 'f', -1, 64)
	case boolCell:
		return strconv.FormatBool(c.bits != 0)
	}
	return ""
}

// appendJSON appends the cell as a JSON value. Strings go through
// encoding/json, which escapes what JSON needs and replaces invalid UTF-8.
func (c Cell) appendJSON(b []byte) []byte {
	switch c.kind {
	case textCell:
		return appendJSONString(b, c.text)
	case listCell:
		b = append(b, '[')
		for i, s := range c.list {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	case intCell:
		return strconv.AppendInt(b, int64(c.bits), 10)
	case floatCell:
		return strconv.AppendFloat(b, math.Float64frombits(c.bits), 'f', -1, 64)
	case boolCell:
		return strconv.AppendBool(b, c.bits != 0)
	}
	return append(b, "null"...)
}

func appendJSONString(b []byte, s string) []byte {
	enc, err := json.Marshal(s)
	if err != nil {
		// A string always marshals; keep the file valid regardless.
		return append(b, `""`...)
	}
	return append(b, enc...)
}

// Neutralize makes a CSV cell safe to open in a spreadsheet (OWASP CSV
// injection): a cell that a spreadsheet would read as a formula, one that
// starts with '=', '+', '-', '@', a tab or a carriage return, or with their
// full-width forms, or with any of them after leading white space, gets a
// single quote in front, so it reads as text.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	rest := strings.TrimLeft(s, " \t\r\n\u00a0\u3000")
	for _, p := range formulaStarts {
		if strings.HasPrefix(rest, p) {
			return "'" + s
		}
	}
	return s
}

// formulaStarts are the characters a spreadsheet may read as the start of
// a formula; some spreadsheets fold full-width forms to ASCII.
var formulaStarts = []string{"=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"}
