package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"vodboard/session"
	"vodboard/vodclient"
)

// Problem is what the user is told about an error: a vetted message, never
// the error's own text.
type Problem struct {
	Status  int
	Title   string
	Message string
	Hint    string
	// RequestID is the VOD API's request ID, when the API answered.
	RequestID string
	// RetryAfter, when not 0, is how long the user should wait before
	// trying again (sent as Retry-After).
	RetryAfter time.Duration
}

// Describe classifies err. Anything it does not recognise is a 500 that
// says only that something went wrong.
func Describe(err error) Problem {
	var (
		vErr    *vodclient.Error
		invalid *vodclient.InvalidIDsError
		param   *ParamError
		window  *vodclient.SearchWindowError
		httpErr *echo.HTTPError
	)
	p := Problem{Status: http.StatusInternalServerError, Title: "Something went wrong",
		Message: "Something went wrong on our side.", Hint: "Try again; if it keeps happening, give the request ID to your administrator."}
	if errors.As(err, &vErr) {
		p.RequestID = vErr.RequestID
	}
	switch {
	case errors.As(err, &param):
		p.Status, p.Title = http.StatusBadRequest, "Invalid "+param.Name+" in the address"
		p.Message = param.Error()
		p.Hint = "Fix or remove it in the address bar, or start again from the library."
	case errors.As(err, &window):
		p.Status, p.Title = http.StatusBadRequest, "Past the pages SearchMedia reaches"
		p.Message = window.Error() + "."
		p.Hint = "Go back to the last numbered page, or narrow the filters."
	case errors.As(err, &invalid):
		p.Status, p.Title = http.StatusBadRequest, "Invalid IDs"
		p.Message = invalid.Error()
		p.Hint = "Paste VOD IDs only: letters, digits, '-' and '_', separated by commas, spaces or new lines."
	case errors.Is(err, vodclient.ErrInvalidArgument):
		p.Status, p.Title = http.StatusBadRequest, "Invalid request"
		p.Message = "The request has a value VOD would refuse."
		p.Hint = "Check the IDs and your settings."
	case errors.Is(err, session.ErrStoreUnavailable):
		p.Status, p.Title = http.StatusServiceUnavailable, "Sessions are unavailable"
		p.Message = "vodboard cannot reach its session store right now, so it cannot tell who is signed in."
		p.Hint = "Nothing was changed. Try again in a moment; if it keeps happening, tell your administrator."
		p.RetryAfter = 5 * time.Second
	case errors.Is(err, session.ErrCSRF):
		p.Status, p.Title = http.StatusForbidden, "Form expired"
		p.Message = "This form is out of date or did not come from vodboard."
		p.Hint = "Reload the page and submit it again."
	case vodclient.IsBadCredentials(err):
		p.Status, p.Title = http.StatusUnauthorized, "Keys refused"
		p.Message = "ApsaraVideo VOD no longer accepts the keys of this session (" + vErr.Code + ")."
		p.Hint = "Sign out and sign in again with valid keys; temporary STS credentials expire."
	case vodclient.IsOverloaded(err):
		p.Status, p.Title = http.StatusServiceUnavailable, "Too busy right now"
		p.Message = "ApsaraVideo VOD allows this account only so many calls a second, and too many lookups are already waiting for them."
		p.Hint = "Try again in " + seconds(vodclient.RetryAfter(err)) + "; look up fewer IDs at once if it persists."
		p.RetryAfter = vodclient.RetryAfter(err)
	case vodclient.IsThrottled(err):
		p.Status, p.Title = http.StatusServiceUnavailable, "VOD is throttling requests"
		p.Message = "ApsaraVideo VOD limits how often an account may call it, and this account is over the limit (" + vErr.Code + ")."
		p.Hint = "Wait a few seconds and try again; look up fewer IDs at once if it persists."
		p.RetryAfter = vodclient.RetryAfter(err)
	case errors.Is(err, context.DeadlineExceeded):
		p.Status, p.Title = http.StatusGatewayTimeout, "VOD did not answer in time"
		p.Message = "ApsaraVideo VOD did not answer before the deadline."
		p.Hint = "Try again in a moment."
	case vodclient.IsForbidden(err):
		p.Status, p.Title = http.StatusForbidden, "Not allowed"
		p.Message = "The keys of this session may not do this (" + vErr.Code + ")."
		p.Hint = "Ask your administrator for a RAM policy that allows reading VOD media."
	case vodclient.IsNotFound(err):
		p.Status, p.Title = http.StatusNotFound, "Not found"
		p.Message = "ApsaraVideo VOD has no such resource."
		p.Hint = "Check the ID and the region."
	case vodclient.IsTransient(err):
		p.Status, p.Title = http.StatusBadGateway, "VOD is unavailable"
		p.Message = "ApsaraVideo VOD could not be reached or sent an answer vodboard could not read (" + vErr.Code + ")."
		p.Hint = "Try again in a moment."
	case errors.As(err, &vErr):
		p.Status, p.Title = http.StatusBadGateway, "VOD refused the request"
		p.Message = "ApsaraVideo VOD answered with an error (" + vErr.Code + ")."
		p.Hint = "Try again; if it keeps happening, give the request ID to your administrator."
	case errors.As(err, &httpErr):
		p.Status = httpErr.Code
		p.Title = http.StatusText(httpErr.Code)
		if msg, ok := httpErr.Message.(string); ok && httpErr.Code < 500 {
			p.Message = msg
		} else {
			p.Message = http.StatusText(httpErr.Code) + "."
		}
		p.Hint = ""
		if httpErr.Code == http.StatusNotFound {
			p.Message, p.Hint = "There is no page at this address.", "Start again from the lookup page."
		}
	}
	return p
}

// RetryAfterSeconds is d in whole seconds, rounded up, at least one: the
// value of a Retry-After header.
func RetryAfterSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// seconds says d in whole seconds, rounded up, at least one.
func seconds(d time.Duration) string {
	n := RetryAfterSeconds(d)
	if n == 1 {
		return "a second"
	}
	return strconv.Itoa(n) + " seconds"
}
