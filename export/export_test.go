package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Launch keynote", "Launch keynote"},
		{"=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\rx", "'\rx"},
		{"  =1+1", "'  =1+1"},
		{"\n@x", "'\n@x"},
		{"\u3000=1", "'\u3000=1"},
		{"＝1+1", "'＝1+1"},
		{"＋1", "'＋1"},
		{"a=b", "a=b"},
		{"发布会 2025", "发布会 2025"},
		{"'quoted", "'quoted"},
		{"100%", "100%"},
	}
	for _, tc := range tests {
		if got := Neutralize(tc.in); got != tc.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var columns = []string{"id", "outcome", "title", "tags", "size", "duration", "encrypted", "error"}

// row is one row of columns with every kind of cell.
func row(id, title string) []Cell {
	return []Cell{Text(id), Text("found"), Text(title), List([]string{"a", "=b"}), Int(1234), Float(12.5), Bool(true), Empty}
}

func write(t *testing.T, f Format, notice *Notice, rows ...[]Cell) string {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, f, columns)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if w.Rows() != len(rows) {
		t.Errorf("Rows() = %d, want %d", w.Rows(), len(rows))
	}
	if notice != nil {
		err = w.CloseWith(*notice)
	} else {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, BOM) {
		t.Fatalf("CSV does not start with the UTF-8 BOM: %q", body[:min(len(body), 8)])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, BOM)))
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180 CSV: %v\n%s", err, body)
	}
	return records
}

func TestCSV(t *testing.T) {
	body := write(t, CSV, nil,
		row("a1", "Launch, \"day one\"\nsecond line"),
		row("b2", "=HYPERLINK(\"http://evil\")"),
		row("c3", "发布会"),
		[]Cell{Text("d4"), Text("nonexistent"), Empty, List(nil), Empty, Float(0), Bool(false), Text("-gone")},
	)
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\r\n") != strings.Count(body, "\n") {
		t.Errorf("line ends are not CRLF:\n%q", body)
	}
	got := readCSV(t, body)
	want := [][]string{
		columns,
		{"a1", "found", "Launch, \"day one\"\nsecond line", "a, =b", "1234", "12.5", "true", ""},
		{"b2", "found", "'=HYPERLINK(\"http://evil\")", "a, =b", "1234", "12.5", "true", ""},
		{"c3", "found", "发布会", "a, =b", "1234", "12.5", "true", ""},
		{"d4", "nonexistent", "", "", "", "0", "false", "'-gone"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("CSV records\n got %q\nwant %q", got, want)
	}
}

func TestCSVNotice(t *testing.T) {
	for _, tc := range []struct {
		columns []string
		want    []string
	}{
		{columns, []string{"", "truncated", "", "", "", "", "", "'-stopped at 2 rows"}},
		{[]string{"a", "b", "c"}, []string{"truncated", "", "'-stopped at 2 rows"}},
	} {
		var b bytes.Buffer
		w, err := NewWriter(&b, CSV, tc.columns)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.CloseWith(Notice{Truncated, "-stopped at 2 rows"}); err != nil {
			t.Fatal(err)
		}
		got := readCSV(t, b.String())
		if len(got) != 2 || !slices.Equal(got[1], tc.want) {
			t.Errorf("columns %q: notice row %q, want %q", tc.columns, got[1:], tc.want)
		}
	}
}

// document is a JSON export as a reader sees it.
type document struct {
	Columns   []string         `json:"columns"`
	Rows      []map[string]any `json:"rows"`
	Complete  *bool            `json:"complete"`
	Truncated *struct {
		Message string `json:"message"`
	} `json:"truncated"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func readJSON(t *testing.T, body string) document {
	t.Helper()
	var d document
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("not a JSON export: %v\n%s", err, body)
	}
	return d
}

func TestJSON(t *testing.T) {
	body := write(t, JSON, nil, row("a1", "<b>\"发布会\"</b>\n"), []Cell{Text("d4"), Text("nonexistent"), Empty, List(nil), Empty, Float(0), Bool(false), Text("=x")})
	d := readJSON(t, body)
	if !slices.Equal(d.Columns, columns) {
		t.Errorf("columns %q", d.Columns)
	}
	if d.Complete == nil || !*d.Complete || d.Truncated != nil || d.Error != nil {
		t.Errorf("a complete file says complete=%v truncated=%v error=%v", d.Complete, d.Truncated, d.Error)
	}
	if len(d.Rows) != 2 {
		t.Fatalf("%d rows, want 2", len(d.Rows))
	}
	want := map[string]any{"id": "a1", "outcome": "found", "title": "<b>\"发布会\"</b>\n", "tags": []any{"a", "=b"},
		"size": float64(1234), "duration": 12.5, "encrypted": true, "error": nil}
	for k, v := range want {
		if got := d.Rows[0][k]; !jsonEqual(got, v) {
			t.Errorf("row 1 %s = %#v, want %#v", k, got, v)
		}
	}
	if len(d.Rows[0]) != len(columns) {
		t.Errorf("row 1 has keys %v, want exactly the columns", d.Rows[0])
	}
	if got := d.Rows[1]["error"]; got != "=x" {
		t.Errorf("JSON text is neutralised: %q", got)
	}
	// One row a line, keys in column order.
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], `{"id":"a1","outcome":"found","title":`) {
		t.Errorf("rows are not one a line in column order:\n%s", body)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestJSONNotice(t *testing.T) {
	for _, n := range []Notice{{Truncated, "stopped at 2 rows"}, {Failed, "VOD did not answer"}} {
		d := readJSON(t, write(t, JSON, &n, row("a1", "x"), row("b2", "y")))
		if d.Complete == nil || *d.Complete {
			t.Errorf("%s: complete = %v, want false", n.Reason, d.Complete)
		}
		got := d.Error
		if n.Reason == Truncated {
			got = d.Truncated
		}
		if got == nil || got.Message != n.Message || len(d.Rows) != 2 {
			t.Errorf("%s: notice %+v with %d rows", n.Reason, got, len(d.Rows))
		}
	}
}

func TestEmptyTables(t *testing.T) {
	if got := readCSV(t, write(t, CSV, nil)); len(got) != 1 || !slices.Equal(got[0], columns) {
		t.Errorf("empty CSV reads %q, want the header alone", got)
	}
	if d := readJSON(t, write(t, JSON, nil)); len(d.Rows) != 0 || d.Complete == nil || !*d.Complete {
		t.Errorf("empty JSON reads %+v", d)
	}
}

func TestWriterRefusesMisuse(t *testing.T) {
	if _, err := NewWriter(&bytes.Buffer{}, "xml", columns); err == nil {
		t.Error("format xml accepted")
	}
	if _, err := NewWriter(&bytes.Buffer{}, CSV, nil); err == nil {
		t.Error("a table without columns accepted")
	}
	w, _ := NewWriter(&bytes.Buffer{}, JSON, columns)
	if err := w.Row(Text("a")); err == nil {
		t.Error("a row of 1 cell accepted for 8 columns")
	}
	w.Close()
	if err := w.Row(row("a", "b")...); err == nil {
		t.Error("a row after Close accepted")
	}
	if err := w.Close(); err == nil {
		t.Error("closed twice")
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]bool{"csv": true, "json": true, "CSV": false, "": false, "xlsx": false} {
		if _, ok := ParseFormat(in); ok != want {
			t.Errorf("ParseFormat(%q) ok = %v", in, ok)
		}
	}
}

// FuzzWriter: whatever the text, a CSV export reads back as the same table
// (every cell neutralised, invalid UTF-8 replaced) with no cell a
// spreadsheet would take for a formula, and a JSON export parses back to
// the same strings.
func FuzzWriter(f *testing.F) {
	f.Add("=1+1", "发布会, \"day\"\r\n", "-x")
	f.Add("\t@", "\xff\xfe", "")
	f.Add("＝cmd", " +1", "a\x00b")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		cols := []string{"a", "outcome", "error"}
		for _, format := range []Format{CSV, JSON} {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, format, cols)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Row(Text(a), List([]string{b, c}), Text(c)); err != nil {
				t.Fatal(err)
			}
			if err := w.CloseWith(Notice{Failed, b}); err != nil {
				t.Fatal(err)
			}
			if format == CSV {
				body, ok := strings.CutPrefix(buf.String(), BOM)
				if !ok {
					t.Fatal("no BOM")
				}
				records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
				if err != nil {
					t.Fatalf("CSV does not read back: %v", err)
				}
				if len(records) != 3 {
					t.Fatalf("%d records, want header, row and notice", len(records))
				}
				want := []string{Neutralize(validCSV(a)), Neutralize(validCSV(b + ", " + c)), Neutralize(validCSV(c))}
				// With CRLF line ends, encoding/csv writes a new line inside
				// a cell as \r\n (read back as \n) and drops a lone \r.
				for i := range want {
					want[i] = strings.ReplaceAll(want[i], "\r", "")
				}
				if !slices.Equal(records[1], want) {
					t.Fatalf("row reads %q, want %q", records[1], want)
				}
				for _, rec := range records {
					for _, cell := range rec {
						if Neutralize(cell) != cell {
							t.Fatalf("cell %q would run as a formula", cell)
						}
					}
				}
				continue
			}
			var d struct {
				Rows []struct {
					A       string   `json:"a"`
					Outcome []string `json:"outcome"`
					Error   string   `json:"error"`
				} `json:"rows"`
				Error struct{ Message string } `json:"error"`
			}
			if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
				t.Fatalf("JSON does not parse: %v\n%q", err, buf.String())
			}
			if len(d.Rows) != 1 || d.Rows[0].A != validJSON(a) || d.Rows[0].Error != validJSON(c) || d.Error.Message != validJSON(b) {
				t.Fatalf("JSON reads back %+v", d)
			}
		}
	})
}

// validCSV is s as a CSV cell holds it: runs of invalid UTF-8 replaced.
func validCSV(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// validJSON is s as encoding/json writes it: each invalid byte replaced.
func validJSON(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}
