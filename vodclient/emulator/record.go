package emulator

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// maxCalls bounds the call record of a long-running emulator.
const maxCalls = 10000

// Call is the record of one API call, accepted or rejected.
type Call struct {
	Action       string
	AccessKeyID  string   // as claimed by the request, even if unknown
	IDs          []string // ImageId, ImageIds or MediaIds as asked
	ReferenceIDs []string
	Status       int    // HTTP status answered; 499 if the client gave up during latency
	Code         string // error code, "" on success
	// Params are the action's own parameters as sent (the first value of
	// each), e.g. SearchType, Match, PageNo, ScrollToken, CateId; the
	// protocol's (Action, Version, AccessKeyId, Signature*, Timestamp,
	// SecurityToken, ...) are left out. Nil when there are none.
	Params map[string]string
	// SignatureVersion is "v3" (ACS3-HMAC-SHA256), "v1" (HMAC-SHA1 query
	// signature) or "" when the request carried no signature.
	SignatureVersion string
	Fault            Fault // the injected fault that hit the call, FaultNone if none
	At               time.Time
}

type callRecord struct {
	mu    sync.Mutex
	calls []Call
}

func (c *callRecord) add(call Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.calls) >= maxCalls {
		c.calls = slices.Delete(c.calls, 0, len(c.calls)-maxCalls+1)
	}
	c.calls = append(c.calls, call)
}

// Calls returns a copy of the record of API calls, oldest first. It keeps
// the most recent 10000 calls.
func (e *Emulator) Calls() []Call {
	e.record.mu.Lock()
	defer e.record.mu.Unlock()
	out := make([]Call, len(e.record.calls))
	for i, c := range e.record.calls {
		c.IDs = slices.Clone(c.IDs)
		c.ReferenceIDs = slices.Clone(c.ReferenceIDs)
		c.Params = maps.Clone(c.Params)
		out[i] = c
	}
	return out
}

// ResetCalls empties the call record.
func (e *Emulator) ResetCalls() {
	e.record.mu.Lock()
	defer e.record.mu.Unlock()
	e.record.calls = nil
}
