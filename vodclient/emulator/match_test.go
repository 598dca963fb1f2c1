package emulator

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func cond(field, op string, quoted bool, values ...string) MatchExpr {
	return MatchExpr{Cond: &MatchCond{Field: field, Op: op, Values: values, Quoted: quoted}}
}

func rng(field, low, high string, lowClosed, highClosed, quoted bool) MatchExpr {
	return MatchExpr{Cond: &MatchCond{Field: field, Op: "range", Low: low, High: high,
		LowClosed: lowClosed, HighClosed: highClosed, Quoted: quoted}}
}

func and(xs ...MatchExpr) MatchExpr { return MatchExpr{And: xs} }
func or(xs ...MatchExpr) MatchExpr  { return MatchExpr{Or: xs} }

func TestParseMatch(t *testing.T) {
	tests := []struct {
		in   string
		want MatchExpr
	}{
		{"", MatchExpr{}},
		{"   \t\n", MatchExpr{}},
		{"Title = 'launch'", cond("Title", "=", true, "launch")},
		{"Title='launch'", cond("Title", "=", true, "launch")},
		{"Status = Normal", cond("Status", "=", false, "Normal")},
		{"CateId = 1000201", cond("CateId", "=", false, "1000201")},
		{"VideoId = 'a82a2cd7d4e147ba8e3a7a2d6f9d0001'", cond("VideoId", "=", true, "a82a2cd7d4e147ba8e3a7a2d6f9d0001")},
		{"Title = ''", cond("Title", "=", true, "")},
		{"Status in ('Normal','Blocked')", cond("Status", "in", true, "Normal", "Blocked")},
		{"Status IN ( 'Normal' , Blocked )", cond("Status", "in", false, "Normal", "Blocked")},
		{"CateId in (1,2,3)", cond("CateId", "in", false, "1", "2", "3")},
		{"CreationTime = ('2024-01-01T00:00:00Z',)", rng("CreationTime", "2024-01-01T00:00:00Z", "", false, false, true)},
		{"CreationTime = ['2024-01-01T00:00:00Z','2024-02-01T00:00:00Z')", rng("CreationTime", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", true, false, true)},
		{"CreationTime = (,2024-02-01T00:00:00Z]", rng("CreationTime", "", "2024-02-01T00:00:00Z", false, true, false)},
		{"CreationTime = [ , ]", rng("CreationTime", "", "", true, true, false)},
		{"Title = 'VOD' AND Status = 'Normal'", and(cond("Title", "=", true, "VOD"), cond("Status", "=", true, "Normal"))},
		{"Status in ('Normal','Checking') and CreationTime = ('2018-07-01T08:00:00Z','2018-08-01T08:00:00Z')",
			and(cond("Status", "in", true, "Normal", "Checking"), rng("CreationTime", "2018-07-01T08:00:00Z", "2018-08-01T08:00:00Z", false, false, true))},
		{"(Title = 'a' or VideoId = 'b')", or(cond("Title", "=", true, "a"), cond("VideoId", "=", true, "b"))},
		{"(Title = 'a' OR Title = 'b' Or Title = 'c')", or(cond("Title", "=", true, "a"), cond("Title", "=", true, "b"), cond("Title", "=", true, "c"))},
		// and binds tighter than or; nested lists of one kind are flattened.
		{"(a = 1 or b = 2 and c = 3)", or(cond("a", "=", false, "1"), and(cond("b", "=", false, "2"), cond("c", "=", false, "3")))},
		{"a = 1 and (b = 2 and c = 3) and ((d = 4))", and(cond("a", "=", false, "1"), cond("b", "=", false, "2"), cond("c", "=", false, "3"), cond("d", "=", false, "4"))},
		{"((a = 1 or b = 2) or c = 3)", or(cond("a", "=", false, "1"), cond("b", "=", false, "2"), cond("c", "=", false, "3"))},
		{"Status = 'Normal' and (Tags = 'x' or (Tags = 'y' and CateId = 7))",
			and(cond("Status", "=", true, "Normal"), or(cond("Tags", "=", true, "x"), and(cond("Tags", "=", true, "y"), cond("CateId", "=", false, "7"))))},
		// Inside quotes everything is literal.
		{"Title = 'a) or (Title = b'", cond("Title", "=", true, "a) or (Title = b")},
		{`Title = 'say "hi" \ and ( ] , ='`, cond("Title", "=", true, `say "hi" \ and ( ] , =`)},
		{"Tags in ('a,b', 'or', ')')", cond("Tags", "in", true, "a,b", "or", ")")},
		{"Title = 'x' and Title = 'and'", and(cond("Title", "=", true, "x"), cond("Title", "=", true, "and"))},
		{"Title = '视频 点播'", cond("Title", "=", true, "视频 点播")},
		{"Title = 点播", cond("Title", "=", false, "点播")},
		// Keywords are values where a value is expected.
		{"Tags = or", cond("Tags", "=", false, "or")},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMatch(tt.in)
			if err != nil {
				t.Fatalf("ParseMatch: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %s\nwant %s", dumpMatch(got), dumpMatch(tt.want))
			}
		})
	}
}

func dumpMatch(m MatchExpr) string {
	switch {
	case m.Cond != nil:
		return fmt.Sprintf("%+v", *m.Cond)
	case m.And != nil, m.Or != nil:
		op, xs := "and", m.And
		if m.Or != nil {
			op, xs = "or", m.Or
		}
		var parts []string
		for _, x := range xs {
			parts = append(parts, dumpMatch(x))
		}
		return op + "(" + strings.Join(parts, ", ") + ")"
	}
	return "{}"
}

func TestParseMatchErrors(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"Title = 'a' or Status = 'Normal'", `at character 13: "or" must be inside parentheses`},
		{"Title = 'a' and (Status = 'x') OR Tags = 'y'", `"or" must be inside parentheses`},
		{"Title = 'abc", "at character 9: the quoted value is not closed"},
		{"Title = 'it''s'", "unexpected 's'"},
		{"Title =", "expected a value, found end of text"},
		{"Title = )", `expected a value, found ")"`},
		{"Title", `expected "=" or "in" after the field "Title", found end of text`},
		{"Title 'a'", `expected "=" or "in"`},
		{"Title != 'a'", `unexpected character '!'`},
		{"Title ~ 'a'", `unexpected character '~'`},
		{`Title = "a"`, "values are quoted with single quotes"},
		{"(Title = 'a'", `expected ")", found end of text`},
		{"Title = 'a')", `unexpected ")"`},
		{"()", `expected a field name or "("`},
		{"and Title = 'a'", `expected a field name or "(", found "and"`},
		{"Title = 'a' and", `expected a field name or "(", found end of text`},
		{"Title = 'a' Title = 'b'", `unexpected "Title"`},
		{"'Title' = 'a'", "expected a field name"},
		{"1abc = 2", "is not a field name"},
		{"Cre-ation = 2", "is not a field name"},
		{"Status in ()", `expected a value, found ")"`},
		{"Status in 'a'", `expected "(" after "in"`},
		{"Status in ('a' 'b')", `expected "," or ")" in the list`},
		{"Status in ('a',", "expected a value, found end of text"},
		{"CreationTime = ('2024-01-01T00:00:00Z')", `expected "," in the range`},
		{"CreationTime = (a,b,c)", `expected ")" or "]" to close the range`},
		{"CreationTime = [a,b", `expected ")" or "]" to close the range, found end of text`},
		{"Title = 'a'; drop", "unexpected character ';'"},
		{"Title = 'a' \x00", "unexpected character"},
		{"Title = '\xff'", "not valid UTF-8"},
		{strings.Repeat("(", 40) + "a = 1" + strings.Repeat(")", 40), "nested more than 32 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMatch(tt.in)
			if err == nil {
				t.Fatalf("no error; parsed %s", dumpMatch(m))
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(matchErrorMessage(err), "Syntax error at character ") {
				t.Errorf("API message %q", matchErrorMessage(err))
			}
		})
	}
}

func TestMatchConds(t *testing.T) {
	m, err := ParseMatch("Title = 'a' and (Status = 'x' or (Tags in ('p','q') and CreationTime = (,'2024-01-01T00:00:00Z'])) and CateId = 3")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range m.Conds() {
		got = append(got, c.Field+" "+c.Op)
	}
	want := []string{"Title =", "Status =", "Tags in", "CreationTime range", "CateId ="}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Conds = %v, want %v", got, want)
	}
	if conds := m.Conds(); !conds[3].HighClosed || conds[3].High != "2024-01-01T00:00:00Z" || conds[3].Low != "" {
		t.Errorf("range %+v", conds[3])
	}
	if n := len((MatchExpr{}).Conds()); n != 0 {
		t.Errorf("empty filter has %d conditions", n)
	}
}

// ParseMatch never panics, and what it accepts is well formed and
// round-trips: written back out as Match text, it parses to the same
// conditions. The seed corpus is in testdata/fuzz/FuzzParseMatch.
func FuzzParseMatch(f *testing.F) {
	for _, s := range []string{"Title = 'a' and (Status in ('x','y') or CateId = 3)", "CreationTime = [,'x')", "'", "(((", "a = 'b' or c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMatch(s)
		if err != nil {
			return
		}
		for _, c := range m.Conds() {
			if c.Field == "" || (c.Op != "=" && c.Op != "in" && c.Op != "range") {
				t.Fatalf("%q: condition %+v", s, c)
			}
		}
		text := formatMatch(m, true)
		again, err := ParseMatch(text)
		if err != nil {
			t.Fatalf("%q parses as %s, written back as %q, which does not parse: %v", s, dumpMatch(m), text, err)
		}
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("%q parses as %s, written back as %q, which parses as %s", s, dumpMatch(m), text, dumpMatch(again))
		}
	})
}

// formatMatch writes m as Match text: an or in parentheses, quoted values
// quoted, bare ones bare (a list is Quoted only when every value was).
func formatMatch(m MatchExpr, top bool) string {
	switch {
	case m.Cond != nil:
		return formatCond(*m.Cond)
	case m.And != nil:
		parts := make([]string, len(m.And))
		for i, x := range m.And {
			parts[i] = formatMatch(x, false)
		}
		return strings.Join(parts, " and ")
	case m.Or != nil:
		parts := make([]string, len(m.Or))
		for i, x := range m.Or {
			parts[i] = formatMatch(x, false)
		}
		return "(" + strings.Join(parts, " or ") + ")"
	}
	return ""
}

func formatCond(c MatchCond) string {
	value := func(v string) string {
		if c.Quoted || v == "" || strings.IndexFunc(v, func(r rune) bool { return !bareRune(r) }) >= 0 {
			return "'" + v + "'"
		}
		return v
	}
	switch c.Op {
	case "in":
		vs := make([]string, len(c.Values))
		for i, v := range c.Values {
			vs[i] = value(v)
		}
		return c.Field + " in (" + strings.Join(vs, ",") + ")"
	case "range":
		lo, hi := "(", ")"
		if c.LowClosed {
			lo = "["
		}
		if c.HighClosed {
			hi = "]"
		}
		low, high := c.Low, c.High
		switch {
		case low == "" && high == "" && c.Quoted:
			low, high = "''", "''"
		default:
			if low != "" {
				low = value(low)
			}
			if high != "" {
				high = value(high)
			}
		}
		return c.Field + " = " + lo + low + "," + high + hi
	}
	return c.Field + " = " + value(c.Values[0])
}
