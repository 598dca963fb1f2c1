package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"vodboard/handlers"
)

// madeUpIDs are n well-formed IDs that no catalog has, 32 characters long
// like VOD's.
func madeUpIDs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%0*d", prefix, 32-len(prefix), i)
	}
	return out
}

// sseEvent is one server-sent event of a live lookup.
type sseEvent struct {
	name string
	data string
	doc  *goquery.Document
}

// parseEvents splits an event stream into its events, joining data lines
// as the browser does.
func parseEvents(t testing.TB, body string) []sseEvent {
	t.Helper()
	var out []sseEvent
	for block := range strings.SplitSeq(body, "\n\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		var ev sseEvent
		var data []string
		for line := range strings.SplitSeq(block, "\n") {
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "event":
				ev.name = value
			case "data":
				data = append(data, value)
			case "id":
			default:
				t.Errorf("unexpected event stream line %q", line)
			}
		}
		ev.data = strings.Join(data, "\n")
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(ev.data))
		if err != nil {
			t.Fatal(err)
		}
		ev.doc = doc
		out = append(out, ev)
	}
	return out
}

func eventStream(r *http.Request) { r.Header.Set("Accept", "text/event-stream") }

// progressOf reads the progress bar of a page or an event.
func progressOf(t testing.TB, doc *goquery.Document) (done, total int) {
	t.Helper()
	bar := doc.Find(`[data-testid="lookup-progress"]`)
	if bar.Length() != 1 {
		t.Fatalf("%d progress bars", bar.Length())
	}
	done, err1 := strconv.Atoi(bar.AttrOr("data-done", ""))
	total, err2 := strconv.Atoi(bar.AttrOr("data-total", ""))
	if err1 != nil || err2 != nil {
		t.Fatalf("progress bar data-done %q data-total %q", bar.AttrOr("data-done", ""), bar.AttrOr("data-total", ""))
	}
	return done, total
}

// checkLiveStream reads a finished stream: progress that only grows and
// reaches total, then one "done" event, last. It returns the done event.
func checkLiveStream(t *testing.T, events []sseEvent, total int) sseEvent {
	t.Helper()
	last := -1
	for i, ev := range events {
		switch ev.name {
		case "progress":
			done, tot := progressOf(t, ev.doc)
			if tot != total || done <= last || done > total {
				t.Errorf("progress %d of %d after %d (total %d)", done, tot, last, total)
			}
			last = done
		case "found":
		case "done":
			if i != len(events)-1 {
				t.Errorf("done is event %d of %d", i+1, len(events))
			}
		default:
			t.Errorf("unexpected event %q", ev.name)
		}
	}
	if last != total {
		t.Errorf("progress ended at %d of %d", last, total)
	}
	if len(events) == 0 || events[len(events)-1].name != "done" {
		t.Fatal("the stream did not end with done")
	}
	return events[len(events)-1]
}

// A lookup of 1,000 media IDs is exactly 50 BatchGetMediaInfos calls of 20,
// every ID sent once; a full page gets the short link, which shows the
// progress bar and streams the results, ending with every ID flagged.
func TestLookupOf1000MediaIDs(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	ids := madeUpIDs("med", handlers.MaxLookupIDs)

	h.emu.ResetCalls()
	p := b.get("/media?ids=" + strings.Join(ids, ","))
	mustStatus(t, p, http.StatusSeeOther)
	link := p.location()
	if !strings.HasPrefix(link, "/l/") || len(link) > 40 {
		t.Fatalf("a 1,000-ID lookup redirects to %q, want a short link", link)
	}
	if n := len(h.lookupCalls()); n != 0 {
		t.Errorf("%d calls before the page listens", n)
	}

	live := b.get(link)
	mustStatus(t, live, http.StatusOK)
	if done, total := progressOf(t, live.doc); done != 0 || total != len(ids) {
		t.Errorf("the live page starts at %d of %d", done, total)
	}
	if src := mustOne(t, live, "lookup-live").AttrOr("sse-connect", ""); src != link {
		t.Errorf("the live page listens to %q, want its own URL %q", src, link)
	}
	// The form shows what is being looked up.
	if got := strings.Fields(live.doc.Find("#lookup-media").Text()); !slices.Equal(got, ids) {
		t.Errorf("the media form holds %d IDs, want the %d looked up", len(got), len(ids))
	}

	stream := b.get(link, eventStream)
	mustStatus(t, stream, http.StatusOK)
	if ct := stream.header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	done := checkLiveStream(t, parseEvents(t, stream.body), len(ids))
	if n := done.doc.Find(`[data-flag="nonexistent"]`).Length(); n != len(ids) {
		t.Errorf("%d IDs flagged as not found, want %d", n, len(ids))
	}
	if got := texts(done.doc.Find(`[data-flag="nonexistent"]`), ""); !slices.Equal(got, ids) {
		t.Error("the finished list is not in the order asked")
	}

	calls := h.calls("BatchGetMediaInfos")
	if len(calls) != 50 {
		t.Fatalf("%d BatchGetMediaInfos calls, want exactly 50", len(calls))
	}
	var sent []string
	for _, c := range calls {
		if len(c.IDs) != 20 {
			t.Errorf("a call carried %d IDs, want 20", len(c.IDs))
		}
		sent = append(sent, c.IDs...)
	}
	slices.Sort(sent)
	if !slices.Equal(sent, ids) {
		t.Errorf("sent %d IDs, want each of the %d once", len(sent), len(ids))
	}

	// The stream is never run twice: a reconnecting EventSource is told to
	// stop.
	again := b.get(link, eventStream, withHeader("Last-Event-ID", "3"))
	mustStatus(t, again, http.StatusNoContent)
	if n := len(h.calls("BatchGetMediaInfos")); n != 50 {
		t.Errorf("a reconnect made %d more calls", n-50)
	}
}

// 1,001 IDs are refused with one message saying how many were given and
// the most a lookup takes; nothing is called invalid and nothing is sent.
func TestLookupOverTheLimit(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	tests := []struct {
		name, path string
		given      int
	}{
		{"1,001 images", "/images?ids=" + strings.Join(madeUpIDs("img", 1001), ","), 1001},
		{"1,001 media", "/media?ids=" + strings.Join(madeUpIDs("med", 1001), ","), 1001},
		{"600 media and 401 references", "/media?ids=" + strings.Join(madeUpIDs("med", 600), ",") + "&refs=" + strings.Join(madeUpIDs("ref", 401), ","), 1001},
		{"1,001 with 2 invalid", "/images?ids=" + strings.Join(madeUpIDs("img", 1001), ",") + ",bad!,<x>", 1001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.emu.ResetCalls()
			for _, opt := range [][]reqOption{nil, {htmx}} {
				p := b.get(tc.path, opt...)
				mustStatus(t, p, http.StatusBadRequest)
				box := mustOne(t, p, "too-many-ids")
				if box.AttrOr("data-count", "") != strconv.Itoa(tc.given) || box.AttrOr("data-max", "") != "1000" {
					t.Errorf("too-many-ids says %s of %s", box.AttrOr("data-count", ""), box.AttrOr("data-max", ""))
				}
				title, text := box.Find(".alert-title").Text(), box.Find("p:not(.alert-title)").Text()
				if title != "1,001 IDs given: a lookup takes at most 1,000" || !strings.HasPrefix(text, "Nothing was looked up.") {
					t.Errorf("message %q / %q", title, text)
				}
				invalid := texts(p.doc.Find("[data-invalid-id]"), "data-invalid-id")
				if strings.Contains(tc.name, "invalid") {
					if !slices.Equal(invalid, []string{"bad!", "<x>"}) {
						t.Errorf("invalid IDs named %q, want only the 2 malformed", invalid)
					}
				} else if len(invalid) != 0 {
					t.Errorf("%d valid IDs called invalid", len(invalid))
				}
				if p.find("lookup-progress").Length() != 0 {
					t.Error("a refused lookup shows progress")
				}
			}
			if n := len(h.emu.Calls()); n != 0 {
				t.Errorf("%d calls for a refused lookup", n)
			}
		})
	}
}

// A lookup of several calls but few IDs keeps its own URL: the page
// listens to it, and the stream finishes with the same results a one-call
// lookup would show. An htmx request for a big one gets the short link
// pushed instead of its long URL, and repeating it reuses the link.
func TestLiveLookupURLs(t *testing.T) {
	t.Parallel()
	h, b := signedIn(t, harnessOptions{})
	imgs := h.cat.ImageIDs()
	if len(imgs) < 45 {
		t.Fatalf("the demo catalog has %d images", len(imgs))
	}
	ids := append(slices.Clone(imgs[:44]), "ffffffffffffffffffffffffffffffff")
	path := "/images?ids=" + strings.Join(ids, ",")

	live := b.get(path, htmx)
	mustStatus(t, live, http.StatusOK)
	if src := mustOne(t, live, "lookup-live").AttrOr("sse-connect", ""); src != path {
		t.Errorf("listens to %q, want %q", src, path)
	}
	if live.header.Get("HX-Push-Url") != "" {
		t.Errorf("a 45-ID lookup pushes %q instead of its own URL", live.header.Get("HX-Push-Url"))
	}
	stream := b.get(path, eventStream)
	events := parseEvents(t, stream.body)
	done := checkLiveStream(t, events, len(ids))
	cards := 0
	for _, ev := range events {
		if ev.name == "found" {
			cards += ev.doc.Find(`[data-testid="image-card"]`).Length()
		}
	}
	if cards != 44 {
		t.Errorf("%d cards streamed, want 44", cards)
	}
	got := texts(done.doc.Find(`[data-testid="image-card"]`), "data-id")
	if !slices.Equal(got, ids[:44]) {
		t.Errorf("finished grid has %d cards, not the 44 found in the order asked", len(got))
	}
	if flags := texts(done.doc.Find(`[data-flag="nonexistent"]`), ""); !slices.Equal(flags, ids[44:]) {
		t.Errorf("flagged %q", flags)
	}
	if s := done.doc.Find(`[data-testid="results-summary"]`).Text(); !strings.Contains(s, "44 of 45 images found") {
		t.Errorf("summary %q", s)
	}
	// The finished lookup is in the recent list, by its own URL.
	if done.doc.Find(`#recent-lookups[hx-swap-oob] a[href="`+path+`"]`).Length() != 1 {
		t.Error("the done event does not update the recent list with the lookup")
	}

	// A big lookup by htmx: the short link is pushed, and it is the
	// session's own.
	big := "/media?ids=" + strings.Join(madeUpIDs("med", 150), ",")
	first := b.get(big, htmx)
	mustStatus(t, first, http.StatusOK)
	link := first.header.Get("HX-Push-Url")
	if !strings.HasPrefix(link, "/l/") {
		t.Fatalf("HX-Push-Url %q, want a short link", link)
	}
	if src := mustOne(t, first, "lookup-live").AttrOr("sse-connect", ""); src != link {
		t.Errorf("listens to %q, want %q", src, link)
	}
	if again := b.get(big, htmx); again.header.Get("HX-Push-Url") != link {
		t.Errorf("repeating the lookup gave %q, want the same link %q", again.header.Get("HX-Push-Url"), link)
	}
	recent := b.get("/lookup")
	if recent.doc.Find(`[data-testid="recent-lookups"] a[href="`+link+`"]`).Length() != 1 {
		t.Error("the short link is not in the recent list once")
	}

	// Another session cannot open it, and learns nothing of it.
	other := h.browser(t)
	other.mustSignIn(h.key)
	h.emu.ResetCalls()
	p := other.get(link)
	mustStatus(t, p, http.StatusNotFound)
	if strings.Contains(p.body, "med00000") {
		t.Error("another session's short link shows its IDs")
	}
	if n := len(h.lookupCalls()); n != 0 {
		t.Errorf("another session's short link made %d calls", n)
	}
	// The long form keeps working for anyone.
	if p := other.get(big, htmx); p.status != http.StatusOK {
		t.Errorf("the long URL answered %d", p.status)
	}
}

// cancelOnEvent is a ResponseWriter that cancels the request when the
// first event named name has been written: the user left the page.
type cancelOnEvent struct {
	*httptest.ResponseRecorder
	name   string
	cancel context.CancelFunc
	once   sync.Once
}

func (w *cancelOnEvent) Write(p []byte) (int, error) {
	n, err := w.ResponseRecorder.Write(p)
	if bytes.Contains(p, []byte("event: "+w.name+"\n")) {
		w.once.Do(w.cancel)
	}
	return n, err
}

// callGate, once armed, holds every call of action until its request
// ends, except the pass-th, which it answers: a lookup's first answer
// comes once pass calls are in flight. It counts every call that reached
// it.
type callGate struct {
	next   http.Handler
	action string
	pass   int
	armed  atomic.Bool
	mu     sync.Mutex
	calls  int
}

func (g *callGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.armed.Load() || !isAction(r, g.action) {
		g.next.ServeHTTP(w, r)
		return
	}
	g.mu.Lock()
	g.calls++
	answer := g.calls == g.pass
	g.mu.Unlock()
	if !answer {
		<-r.Context().Done()
		return
	}
	g.next.ServeHTTP(w, r)
}

func (g *callGate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls
}

// A user who leaves a live lookup cancels it: the calls in flight are
// cut and the ones not yet made are never made.
func TestLiveLookupCancelledWhenTheClientLeaves(t *testing.T) {
	t.Parallel()
	gate := &callGate{action: "BatchGetMediaInfos", pass: 25}
	h, b := signedIn(t, harnessOptions{upstream: func(next http.Handler) http.Handler { gate.next = next; return gate }})
	ids := madeUpIDs("med", handlers.MaxLookupIDs)
	link := b.get("/media?ids=" + strings.Join(ids, ",")).location()
	gate.armed.Store(true)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelOnEvent{ResponseRecorder: httptest.NewRecorder(), name: "progress", cancel: cancel}
	// The first answer's progress cancels the request; serveTo returns
	// once the handler has given up.
	b.serveTo(link, w, eventStream, withContext(ctx))

	events := parseEvents(t, w.Body.String())
	if len(events) == 0 || events[len(events)-1].name == "done" {
		t.Fatalf("%d events, the last %q: the lookup was not cut short", len(events), events[len(events)-1].name)
	}
	// 25 calls went out at once (one answered, 24 held); none after.
	if n := gate.count(); n != 25 {
		t.Errorf("%d calls reached the upstream, want the first 25 only", n)
	}
	if n := len(h.lookupCalls()); n != 1 {
		t.Errorf("the emulator answered %d calls, want 1", n)
	}
}

// isAction reports whether r calls action: the SDK sends it in the query
// or the x-acs-action header and signs the form body, which is read and
// put back.
func isAction(r *http.Request, action string) bool {
	if r.URL.Query().Get("Action") == action || r.Header.Get("x-acs-action") == action {
		return true
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	return form.Get("Action") == action
}

// lookup loads a lookup as a browser does: it follows the redirect to a
// short link and, when the page is live, reads its event stream to the end
// as the page's EventSource would. A live lookup's page is then its "done"
// event: the finished results, or the error alert, whose status stands for
// the page's; the header is the stream's.
func (b *browser) lookup(target string, opts ...reqOption) *page {
	b.t.Helper()
	p := b.get(target, opts...)
	if loc := p.location(); p.status == http.StatusSeeOther && strings.HasPrefix(loc, "/l/") {
		p = b.get(loc, opts...)
	}
	live := p.find("lookup-live")
	if live.Length() != 1 {
		return p
	}
	stream := b.get(live.AttrOr("sse-connect", ""), append(slices.Clone(opts), eventStream)...)
	events := parseEvents(b.t, stream.body)
	if len(events) == 0 || events[len(events)-1].name != "done" {
		b.t.Fatalf("%s: the stream ended without done: %s", target[:min(len(target), 40)], excerpt(stream.body))
	}
	done := events[len(events)-1]
	out := &page{status: http.StatusOK, header: stream.header, body: done.data, doc: done.doc}
	if s, err := strconv.Atoi(done.doc.Find(`[data-testid="error"] [data-status]`).AttrOr("data-status", "")); err == nil {
		out.status = s
	}
	return out
}
