package vodclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

// Observer is told about every attempt of a VOD API call: its action, the
// error code it ended with ("" for success), how long it took and whether
// it retried a throttled attempt. It must not block.
type Observer interface {
	VODAttempt(action, code string, took time.Duration, retry bool)
}

// maxBody bounds what the client reads of one response.
const maxBody = 32 << 20

// call is the one path every operation takes: its turn under the
// account's rate limit (the Pacer), one attempt under its own deadline,
// retries of throttled attempts with bounded backoff, and decoding of the
// JSON body into out. Nothing waits past ctx's deadline: a turn or a retry
// that would come after it is refused at once.
func (c *Client) call(ctx context.Context, action string, query map[string]string, out any) error {
	cred, err := c.cfg.Credential.GetCredential()
	if err != nil {
		return &Error{Action: action, Code: CodeNoCredentials, Message: "no credentials could be obtained", err: err}
	}
	accessKeyID := dara.StringValue(cred.AccessKeyId)
	for attempt := 0; ; attempt++ {
		if err := c.cfg.Pacer.Wait(ctx, accessKeyID, action, c.cfg.Party); err != nil {
			return paceError(action, ctx, err)
		}
		start := time.Now()
		body, err := c.attempt(ctx, action, query)
		c.cfg.Logger.Debug("vod call", "action", action, "attempt", attempt+1, "took", time.Since(start), "err", err)
		if c.cfg.Observer != nil {
			c.cfg.Observer.VODAttempt(action, errorCode(err), time.Since(start), attempt > 0)
		}
		if err == nil {
			if err := json.Unmarshal(body, out); err != nil {
				return &Error{Action: action, Code: CodeInvalidResponse, Message: "the response does not have the documented shape", err: err}
			}
			return nil
		}
		e, ok := asError(err)
		if !ok || !IsThrottled(err) || attempt >= c.cfg.MaxRetries || e.retryAfter > c.cfg.MaxBackoff {
			// A retry before the server's TimeLeft would only be throttled again.
			return err
		}
		delay := c.backoff(attempt, e.retryAfter)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay+retryHeadroom {
			// The retry could not be answered in time: say so now.
			e.retryAfter = max(e.retryAfter, delay)
			return err
		}
		c.cfg.Logger.Warn("vod call throttled, retrying", "action", action, "code", e.Code, "request_id", e.RequestID, "retry_in", delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return contextError(action, ctx, ctx.Err())
		case <-t.C:
		}
	}
}

// errorCode is the code an attempt ended with, "" for success.
func errorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := asError(err); ok {
		return e.Code
	}
	if errors.Is(err, context.Canceled) {
		return "vodboard.Canceled"
	}
	return "vodboard.Other"
}

// retryHeadroom is the least time a retried attempt is given before the
// deadline; with less left, the throttling is reported instead.
const retryHeadroom = 250 * time.Millisecond

// paceError turns the Pacer's refusal into an overload error, and a
// cancelled or expired wait into the context's error.
func paceError(action string, ctx context.Context, err error) error {
	var wait interface{ RetryAfter() time.Duration }
	if errors.As(err, &wait) {
		return &Error{Action: action, Code: CodeOverloaded, Message: "too many calls of this account are waiting for its rate limit", retryAfter: wait.RetryAfter(), err: err}
	}
	return contextError(action, ctx, err)
}

// backoff is exponential from 200ms with jitter, never shorter than the
// server's TimeLeft and never longer than MaxBackoff.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := 200 * time.Millisecond << attempt
	d += rand.N(d/2 + 1)
	d = max(d, retryAfter)
	return min(d, c.cfg.MaxBackoff)
}

// attempt sends one signed request and returns the JSON body.
func (c *Client) attempt(ctx context.Context, action string, query map[string]string) ([]byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	q := make(map[string]*string, len(query))
	for k, v := range query {
		q[k] = dara.String(v)
	}
	api := c.apis.Get().(*openapi.Client)
	defer c.apis.Put(api)
	res, err := api.CallApiWithCtx(actx, &openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String(APIVersion),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("string"),
	}, &openapi.OpenApiRequest{Query: q}, &dara.RuntimeOptions{
		ReadTimeout:    dara.Int(int(c.cfg.Timeout.Milliseconds())),
		ConnectTimeout: dara.Int(int(c.cfg.ConnectTimeout.Milliseconds())),
	})
	if err != nil {
		if actx.Err() != nil {
			return nil, contextError(action, ctx, actx.Err())
		}
		return nil, apiError(action, err)
	}
	body, ok := res["body"].(string)
	if !ok {
		return nil, &Error{Action: action, Code: CodeInvalidResponse, Message: "the response has no body"}
	}
	return []byte(body), nil
}

// contextError tells the caller's cancellation (returned as is) from a
// deadline, which is a timeout the user should hear about.
func contextError(action string, ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Action: action, Code: CodeTimeout, Message: "ApsaraVideo VOD did not answer in time", err: context.DeadlineExceeded}
	}
	return fmt.Errorf("vod %s: %w", action, err)
}

// apiError converts what darabonba returns into an *Error.
func apiError(action string, err error) error {
	var (
		e        *Error
		throttle *openapi.ThrottlingError
		client   *openapi.ClientError
		server   *openapi.ServerError
	)
	switch {
	case errors.As(err, &e):
		e.Action = action
		return e
	case errors.As(err, &throttle):
		out := fromData(action, throttle.StatusCode, throttle.Code, throttle.RequestId, throttle.Data)
		out.retryAfter = time.Duration(dara.Int64Value(throttle.RetryAfter)) * time.Millisecond
		return out
	case errors.As(err, &client):
		return fromData(action, client.StatusCode, client.Code, client.RequestId, client.Data)
	case errors.As(err, &server):
		return fromData(action, server.StatusCode, server.Code, server.RequestId, server.Data)
	}
	return &Error{Action: action, Code: CodeTransport, Message: "could not reach ApsaraVideo VOD", err: err}
}

func fromData(action string, status *int, code, requestID *string, data map[string]any) *Error {
	str := func(k string) string {
		if s, ok := data[k].(string); ok {
			return s
		}
		return ""
	}
	e := &Error{
		Action:     action,
		Code:       dara.StringValue(code),
		Message:    str("Message"),
		RequestID:  dara.StringValue(requestID),
		HTTPStatus: dara.IntValue(status),
		Recommend:  str("Recommend"),
	}
	if e.Code == "" {
		e.Code = fmt.Sprintf("HTTP%d", e.HTTPStatus)
	}
	return e
}

// httpDoer sends darabonba's requests with the client's own http.Client and
// refuses bodies that are not JSON before darabonba parses them, so a proxy's
// HTML error page or a truncated body becomes a typed, transient error.
type httpDoer struct{ client *http.Client }

func (d *httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	requestID := resp.Header.Get("x-acs-request-id")
	if err != nil {
		return nil, &Error{Code: CodeTransport, HTTPStatus: resp.StatusCode, RequestID: requestID, Message: "the response was cut off", err: err}
	}
	if len(body) > maxBody {
		return nil, &Error{Code: CodeInvalidResponse, HTTPStatus: resp.StatusCode, RequestID: requestID, Message: "the response is larger than 32 MiB"}
	}
	if !json.Valid(body) {
		return nil, &Error{Code: CodeInvalidResponse, HTTPStatus: resp.StatusCode, RequestID: requestID, Message: "the response is not the JSON the API sends"}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
