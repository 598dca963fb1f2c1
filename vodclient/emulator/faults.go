package emulator

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Fault is a failure InjectFault makes the emulator answer instead of (or
// on top of) the real answer. Faults hit authenticated calls of a known
// action; they do not count against the rate limit.
type Fault int

const (
	// FaultNone is the zero Fault, recorded on calls that got none.
	FaultNone Fault = iota
	// FaultInternalError answers 500 with Code InternalError.
	FaultInternalError
	// FaultServiceUnavailable answers 503 with Code ServiceUnAvailable.
	FaultServiceUnavailable
	// FaultThrottling answers 503 Throttling.User with an
	// x-ratelimit-user-api header whose TimeLeft is FaultThrottlingTimeLeft.
	FaultThrottling
	// FaultTruncated answers 200 with the real JSON body cut in half.
	FaultTruncated
	// FaultNonJSON answers 502 with an HTML error page, as a proxy would.
	FaultNonJSON
	// FaultNonJSON200 answers 200 with an HTML page instead of JSON.
	FaultNonJSON200
)

// FaultThrottlingTimeLeft is the TimeLeft announced by FaultThrottling.
const FaultThrottlingTimeLeft = time.Second

// String returns the fault's name.
func (f Fault) String() string {
	switch f {
	case FaultNone:
		return "none"
	case FaultInternalError:
		return "InternalError"
	case FaultServiceUnavailable:
		return "ServiceUnavailable"
	case FaultThrottling:
		return "Throttling"
	case FaultTruncated:
		return "Truncated"
	case FaultNonJSON:
		return "NonJSON"
	case FaultNonJSON200:
		return "NonJSON200"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

type faultEntry struct {
	action string
	fault  Fault
	left   int
}

// faultQueue holds injected faults, consumed first-in first-out.
type faultQueue struct {
	mu      sync.Mutex
	entries []faultEntry
}

// InjectFault makes the next times calls of action ("" = any action) fail
// with f. Injections queue up: a call consumes the oldest matching one.
func (e *Emulator) InjectFault(action string, f Fault, times int) {
	if times <= 0 || f == FaultNone {
		return
	}
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.entries = append(e.faults.entries, faultEntry{action, f, times})
}

// ClearFaults drops every pending injected fault.
func (e *Emulator) ClearFaults() {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.entries = nil
}

func (q *faultQueue) take(action string) Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.entries {
		ent := &q.entries[i]
		if ent.action != "" && ent.action != action {
			continue
		}
		f := ent.fault
		ent.left--
		if ent.left == 0 {
			q.entries = append(q.entries[:i], q.entries[i+1:]...)
		}
		return f
	}
	return FaultNone
}

const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>Tengine</center>
</body>
</html>
`

// faultResponse answers every fault except FaultTruncated, which needs the
// real answer.
func faultResponse(r *http.Request, requestID string, f Fault, limit int, now time.Time) apiResponse {
	switch f {
	case FaultInternalError:
		return errorResponse(r, requestID, errInternal)
	case FaultServiceUnavailable:
		return errorResponse(r, requestID, errUnavailable)
	case FaultThrottling:
		resp := errorResponse(r, requestID, errThrottled)
		if limit <= 0 {
			limit = defaultGetImageInfosLimit
		}
		resp.headers.Set(rateLimitHeader, fmt.Sprintf("Limit:%d,Remain:0,TimeLeft:%d,Reset:%d",
			limit, FaultThrottlingTimeLeft.Milliseconds(), now.Add(FaultThrottlingTimeLeft).UnixMilli()))
		return resp
	case FaultNonJSON:
		return apiResponse{status: http.StatusBadGateway, body: []byte(badGatewayPage), ctype: "text/html", headers: http.Header{}}
	default: // FaultNonJSON200
		page := "<!DOCTYPE html>\n<html><head><title>Service notice</title></head><body><p>The service is under maintenance.</p></body></html>\n"
		return apiResponse{status: http.StatusOK, body: []byte(page), ctype: "text/html;charset=utf-8", headers: http.Header{}}
	}
}
