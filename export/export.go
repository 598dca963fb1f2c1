// Package export writes tables as CSV or JSON files that are safe to open
// and honest about their end: one header, one row per record, written and
// flushed as the rows come, and a closing notice when the file holds less
// than what was asked for.
//
// CSV is RFC 4180 (CRLF line ends, quotes where needed), UTF-8 with a byte
// order mark so that spreadsheets read non-Latin titles right, and every
// text cell neutralised against formula injection (see Neutralize). A file
// that ends early ends with a notice row: the reason in the "outcome"
// column and the message in the "error" column (the first and the last
// column of a table without them).
//
// JSON is one object, written incrementally, one row a line:
//
//	{"columns":["id","title"],"rows":[
//	{"id":"a1","title":"Launch"},
//	{"id":"b2","title":null}
//	],"complete":true}
//
// A file that ends early says "complete":false and carries the notice as
// "truncated":{"message":...} or "error":{"message":...}. A file cut off by
// a dropped connection does not parse at all.
package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Format is an export's file format.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// ParseFormat reads a format name: "csv" or "json".
func ParseFormat(s string) (Format, bool) {
	switch f := Format(s); f {
	case CSV, JSON:
		return f, true
	}
	return "", false
}

// ContentType is the media type of files of the format.
func (f Format) ContentType() string {
	if f == JSON {
		return "application/json; charset=utf-8"
	}
	return "text/csv; charset=utf-8; header=present"
}

// BOM is the UTF-8 byte order mark a CSV file starts with.
const BOM = "\uFEFF"

// Reason says why a file ends before the end of what was asked for.
type Reason string

// The reasons.
const (
	// Truncated: a bound was reached; the rest was left out on purpose.
	Truncated Reason = "truncated"
	// Failed: an error stopped the export; the rows written are all there is.
	Failed Reason = "error"
)

// Notice closes a file that holds less than what was asked for.
type Notice struct {
	Reason  Reason
	Message string
}

// Writer writes one table. NewWriter writes the header; Row writes a row;
// Close (or CloseWith a notice) ends the file. Rows are buffered until
// Flush or the end.
type Writer struct {
	format  Format
	columns []string
	buf     *bufio.Writer
	csv     *csv.Writer
	record  []string // CSV: the row being written, reused
	keys    [][]byte // JSON: `"column":`, encoded once
	line    []byte   // JSON: the row being written, reused
	rows    int
	closed  bool
}

// bufferSize is how much a Writer holds before writing through: one page
// of rows, give or take.
const bufferSize = 32 << 10

// NewWriter writes the header of a table of columns to w.
func NewWriter(w io.Writer, f Format, columns []string) (*Writer, error) {
	if _, ok := ParseFormat(string(f)); !ok {
		return nil, fmt.Errorf("export: unknown format %q", f)
	}
	if len(columns) == 0 {
		return nil, errors.New("export: a table needs columns")
	}
	ew := &Writer{format: f, columns: slices.Clone(columns), buf: bufio.NewWriterSize(w, bufferSize)}
	if f == CSV {
		ew.buf.WriteString(BOM)
		ew.csv = csv.NewWriter(ew.buf)
		ew.csv.UseCRLF = true
		ew.record = make([]string, len(columns))
		for i, c := range columns {
			ew.record[i] = Neutralize(c)
		}
		ew.csv.Write(ew.record)
		return ew, ew.csv.Error()
	}
	ew.keys = make([][]byte, len(columns))
	header := []byte(`{"columns":[`)
	for i, c := range columns {
		ew.keys[i] = append(appendJSONString(nil, c), ':')
		if i > 0 {
			header = append(header, ',')
		}
		header = appendJSONString(header, c)
	}
	header = append(header, "],\"rows\":["...)
	_, err := ew.buf.Write(header)
	return ew, err
}

// Rows is how many rows have been written.
func (w *Writer) Rows() int { return w.rows }

// Row writes one row: a cell for each column, in order.
func (w *Writer) Row(cells ...Cell) error {
	if w.closed {
		return errors.New("export: row after the end")
	}
	if len(cells) != len(w.columns) {
		return fmt.Errorf("export: %d cells for %d columns", len(cells), len(w.columns))
	}
	w.rows++
	if w.format == CSV {
		for i, c := range cells {
			w.record[i] = c.csvText()
		}
		if err := w.csv.Write(w.record); err != nil {
			return err
		}
		return w.csv.Error()
	}
	w.line = w.line[:0]
	if w.rows > 1 {
		w.line = append(w.line, ',')
	}
	w.line = append(w.line, "\n{"...)
	for i, c := range cells {
		if i > 0 {
			w.line = append(w.line, ',')
		}
		w.line = append(w.line, w.keys[i]...)
		w.line = c.appendJSON(w.line)
	}
	w.line = append(w.line, '}')
	_, err := w.buf.Write(w.line)
	return err
}

// Flush writes the buffered rows through to the underlying writer.
func (w *Writer) Flush() error {
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.buf.Flush()
}

// Close ends a complete file and flushes it.
func (w *Writer) Close() error { return w.end(nil) }

// CloseWith ends a file that holds less than what was asked for, saying
// why, and flushes it.
func (w *Writer) CloseWith(n Notice) error { return w.end(&n) }

func (w *Writer) end(n *Notice) error {
	if w.closed {
		return errors.New("export: closed twice")
	}
	w.closed = true
	if w.format == CSV {
		if n != nil {
			w.csv.Write(w.noticeRecord(*n))
		}
		return w.Flush()
	}
	tail := []byte("\n],\"complete\":")
	if n == nil {
		tail = append(tail, "true}\n"...)
	} else {
		key := "truncated"
		if n.Reason != Truncated {
			key = "error"
		}
		tail = append(tail, "false,"...)
		tail = appendJSONString(tail, key)
		tail = append(tail, `:{"message":`...)
		tail = appendJSONString(tail, n.Message)
		tail = append(tail, "}}\n"...)
	}
	w.buf.Write(tail)
	return w.Flush()
}

// noticeRecord is the CSV row of a notice: the reason in the "outcome"
// column, the message in the "error" column (or the first and the last
// column), the rest empty.
func (w *Writer) noticeRecord(n Notice) []string {
	reasonAt, messageAt := slices.Index(w.columns, "outcome"), slices.Index(w.columns, "error")
	if reasonAt < 0 || messageAt < 0 || reasonAt == messageAt {
		reasonAt, messageAt = 0, len(w.columns)-1
	}
	for i := range w.record {
		w.record[i] = ""
	}
	w.record[messageAt] = Neutralize(n.Message)
	w.record[reasonAt] = string(n.Reason) // after: a one-column table keeps the reason
	return w.record
}
