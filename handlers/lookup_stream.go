package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/views"
	"vodboard/vodclient"
)

// wantsEventStream reports a request for a lookup's progress as
// server-sent events: the live page's EventSource asks for the lookup's
// own URL with Accept: text/event-stream.
func wantsEventStream(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/event-stream")
}

// stream runs a lookup and sends its progress as server-sent events:
// "progress" (the bar) and "found" (cards or rows) as each call ends, then
// "done" with the finished results, which the page puts in place of the
// live view before it closes the stream. When the client goes away, the
// request's context ends and the calls not yet made are not made.
func (h lookups) stream(c echo.Context, s *Session, in lookupInput, link session.Lookup) error {
	if c.Request().Header.Get("Last-Event-ID") != "" {
		// A reconnecting EventSource: its lookup finished (the page closes
		// the stream at "done") or the page is gone. 204 stops it for good
		// rather than running the lookup again.
		return c.NoContent(http.StatusNoContent)
	}
	ctx := c.Request().Context()
	es := startEventStream(c)
	found := newFoundSet(in)
	var err error
	switch in.kind {
	case views.LookupImages:
		err = s.VOD.EachImageInfos(ctx, in.ids, urlOptions(s), func(rs []vodclient.ImageResult) {
			es.send(ctx, "found", views.ImageCards(found.addImages(rs)))
			es.send(ctx, "progress", views.LookupProgress(found.progress()))
		})
	default:
		err = s.VOD.EachMediaInfos(ctx, in.ids, in.refs, func(rs []vodclient.MediaResult) {
			es.send(ctx, "found", views.MediaRows(found.addMedia(rs)))
			es.send(ctx, "progress", views.LookupProgress(found.progress()))
		})
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		// Nobody is listening any more.
		return nil
	}
	if err != nil {
		es.send(ctx, "done", h.failure(c, in, err))
		return nil
	}
	recordLookup(c, h.log, h.sessions, s, in, link)
	es.send(ctx, "done", templ.Join(found.results(), views.RecentLookupsOOB(recentLookups(s.Material.Lookups))))
	return nil
}

// failure is the "done" event of a lookup that failed as a whole: the
// alert an htmx request would get, status and request IDs included, and the
// log line the error handler would write.
func (h lookups) failure(c echo.Context, in lookupInput, err error) templ.Component {
	p := Describe(err)
	requestID := c.Response().Header().Get(echo.HeaderXRequestID)
	h.log.WarnContext(c.Request().Context(), "live lookup failed", "status", p.Status, "kind", in.kind, "ids", in.size(), "request_id", requestID, "err", err)
	info := views.ErrorInfo{Status: p.Status, Title: p.Title, Message: p.Message, Hint: p.Hint, RequestID: requestID}
	if p.RequestID != "" {
		info.RequestID = requestID + " · VOD " + p.RequestID
	}
	return views.ErrorAlert(info)
}

// eventStream writes server-sent events, flushing each one.
type eventStream struct {
	res    *echo.Response
	failed bool // a write failed: the client is gone
	id     int
}

func startEventStream(c echo.Context) *eventStream {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-store")
	// Proxies such as nginx buffer responses unless told not to.
	h.Set("X-Accel-Buffering", "no")
	c.Response().WriteHeader(http.StatusOK)
	c.Response().Flush()
	return &eventStream{res: c.Response()}
}

// send renders comp as the data of one event named event. Every line of
// the HTML is one data line; the browser joins them with newlines again.
// A lone carriage return ends a line in an event stream as it does not in
// HTML, so it is made a newline first: a title holding "\revent: done"
// stays text and never becomes a field of the stream.
func (es *eventStream) send(ctx context.Context, event string, comp templ.Component) {
	if es.failed {
		return
	}
	var html bytes.Buffer
	// The request's deadline may be why the lookup ended, and templ does
	// not render under a done context.
	if err := comp.Render(context.WithoutCancel(ctx), &html); err != nil {
		es.failed = true
		return
	}
	es.id++
	var msg bytes.Buffer
	msg.WriteString("id: ")
	msg.WriteString(strconv.Itoa(es.id))
	msg.WriteString("\nevent: ")
	msg.WriteString(event)
	msg.WriteByte('\n')
	for line := range strings.Lines(newlines.Replace(html.String())) {
		line = strings.TrimSuffix(line, "\n")
		msg.WriteString("data: ")
		msg.WriteString(line)
		msg.WriteByte('\n')
	}
	msg.WriteByte('\n')
	if _, err := es.res.Write(msg.Bytes()); err != nil {
		es.failed = true
		return
	}
	es.res.Flush()
}

var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")
