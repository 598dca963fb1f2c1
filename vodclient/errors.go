package vodclient

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is an error answered by the VOD API, or a failure to get an answer
// from it. Use errors.As to inspect it, or the Is* predicates.
type Error struct {
	Action     string // the API operation, e.g. "GetImageInfos"
	Code       string // the API's error code, e.g. "Throttling.User"
	Message    string
	RequestID  string
	HTTPStatus int // 0 when no response arrived
	Recommend  string

	err        error         // the underlying transport or context error, if any
	retryAfter time.Duration // the server's TimeLeft on throttling
}

// Codes the client itself assigns when the API gave no code of its own.
const (
	CodeTimeout         = "vodboard.Timeout"         // no answer within the deadline
	CodeTransport       = "vodboard.Transport"       // the connection failed
	CodeInvalidResponse = "vodboard.InvalidResponse" // a body that is not the JSON the API sends
	CodeNoCredentials   = "vodboard.NoCredentials"   // the credential provider produced no keys
	CodeOverloaded      = "vodboard.Overloaded"      // the call could not have its turn under the rate limit in time; nothing was sent
)

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("vod")
	if e.Action != "" {
		b.WriteString(" " + e.Action)
	}
	b.WriteString(": " + e.Code)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + e.RequestID + "]")
	}
	return b.String()
}

// Unwrap returns the underlying transport or context error, if any.
func (e *Error) Unwrap() error { return e.err }

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether the API said the resource does not exist.
// An unknown AccessKey is a credentials problem, not this.
func IsNotFound(err error) bool {
	e, ok := asError(err)
	if !ok || IsBadCredentials(err) {
		return false
	}
	switch e.Code {
	case "NoSuchResource", "InvalidVideo.NotFound", "InvalidImage.NotFound":
		return true
	}
	return strings.HasSuffix(e.Code, ".NotFound")
}

// IsForbidden reports whether the caller lacks permission for the operation
// or resource (RAM policy, multi-application service, suspended account).
func IsForbidden(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	return e.Code == "Forbidden" || strings.HasPrefix(e.Code, "Forbidden.") ||
		e.Code == "OperationDenied" || strings.HasPrefix(e.Code, "OperationDenied.") ||
		(e.HTTPStatus == http.StatusForbidden && !IsBadCredentials(err))
}

// IsThrottled reports whether the API refused the call for exceeding a
// rate limit, after the client's own retries.
func IsThrottled(err error) bool {
	e, ok := asError(err)
	return ok && (e.Code == "Throttling" || strings.HasPrefix(e.Code, "Throttling."))
}

// IsOverloaded reports whether the client refused to send a call because
// its turn under the account's rate limit would have come too late: too
// many calls of this account are waiting. Nothing was sent; RetryAfter says
// when trying again is worth it.
func IsOverloaded(err error) bool {
	e, ok := asError(err)
	return ok && e.Code == CodeOverloaded
}

// RetryAfter returns how long to wait before trying again after a
// throttled or overloaded call (the server's TimeLeft, or the pacer's
// estimate), or 0 when err says nothing about it.
func RetryAfter(err error) time.Duration {
	e, ok := asError(err)
	if !ok || (!IsThrottled(err) && !IsOverloaded(err)) {
		return 0
	}
	return e.retryAfter
}

// IsBadCredentials reports whether the AccessKey, secret or security token
// were refused: signing in again with correct keys is the remedy.
func IsBadCredentials(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	switch {
	case e.Code == "InvalidAccessKeyId.NotFound", e.Code == "InvalidAccessKeyId.Inactive",
		e.Code == "InvalidAccessKeyId", e.Code == "SignatureDoesNotMatch",
		e.Code == "IncompleteSignature", e.Code == "MissingSecurityToken", e.Code == CodeNoCredentials,
		strings.HasPrefix(e.Code, "InvalidSecurityToken."):
		return true
	}
	return false
}

// IsTransient reports whether trying again later may succeed: server errors,
// timeouts, dropped connections and bodies that are not the API's JSON.
func IsTransient(err error) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	switch e.Code {
	case CodeTimeout, CodeTransport, CodeInvalidResponse, CodeOverloaded, "InternalError", "ServiceUnavailable", "ServiceUnAvailable":
		return true
	}
	return e.HTTPStatus >= 500 && !IsThrottled(err)
}

// ErrInvalidArgument is matched (errors.Is) by every error the client returns
// for input it refuses to send: malformed IDs, out-of-range options, blank
// credentials.
var ErrInvalidArgument = errors.New("invalid argument")

// InvalidIDsError names the IDs that do not have the documented shape
// (1 to 64 letters, digits, '-' or '_'). Nothing was sent.
type InvalidIDsError struct {
	IDs []string
}

func (e *InvalidIDsError) Error() string {
	return fmt.Sprintf("invalid ID(s) %s: an ID is 1 to 64 letters, digits, '-' or '_'", quoteList(e.IDs, 5))
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *InvalidIDsError) Is(target error) bool { return target == ErrInvalidArgument }

func quoteList(ids []string, most int) string {
	q := make([]string, 0, min(len(ids), most))
	for i, id := range ids {
		if i == most {
			break
		}
		if len(id) > 70 {
			id = id[:67] + "..."
		}
		q = append(q, fmt.Sprintf("%q", id))
	}
	s := strings.Join(q, ", ")
	if len(ids) > most {
		s += fmt.Sprintf(" and %d more", len(ids)-most)
	}
	return s
}

func invalidArgument(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)
}
