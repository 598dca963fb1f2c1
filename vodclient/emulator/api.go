package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	sigV3 = "v3"
	sigV1 = "v1"

	maxBodyBytes = 1 << 20
	// statusClientClosed is recorded when the client gave up during latency.
	statusClientClosed = 499
)

// apiRequest is one API call, parsed but not yet trusted.
type apiRequest struct {
	r          *http.Request
	body       []byte
	params     url.Values // query string plus any form body
	sigVersion string     // sigV3, sigV1 or ""
	action     string
	version    string
	accessKey  string // as claimed, for the record
}

// apiResponse is what an action (or a fault) answers.
type apiResponse struct {
	status  int
	code    string
	body    []byte
	ctype   string
	headers http.Header
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := strings.ToUpper(hex.EncodeToString(b))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func parseAPIRequest(r *http.Request) (*apiRequest, *apiError) {
	req := &apiRequest{r: r, params: r.URL.Query()}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return req, &apiError{http.StatusBadRequest, "InvalidParameter", "The request body could not be read."}
	}
	if len(body) > maxBodyBytes {
		return req, &apiError{http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body is larger than 1 MiB."}
	}
	req.body = body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return req, &apiError{http.StatusBadRequest, "InvalidParameter", "The form body is not valid."}
		}
		for k, vs := range form {
			req.params[k] = append(req.params[k], vs...)
		}
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth != "":
		req.sigVersion = sigV3
		req.action = r.Header.Get("x-acs-action")
		req.version = r.Header.Get("x-acs-version")
		if a, aerr := parseV3Authorization(auth); aerr == nil {
			req.accessKey = a.credential
		}
	case req.params.Has("Signature"):
		req.sigVersion = sigV1
		req.action = req.params.Get("Action")
		req.version = req.params.Get("Version")
		req.accessKey = req.params.Get("AccessKeyId")
	default:
		req.action = cmpOr(r.Header.Get("x-acs-action"), req.params.Get("Action"))
		req.version = cmpOr(r.Header.Get("x-acs-version"), req.params.Get("Version"))
		req.accessKey = req.params.Get("AccessKeyId")
		if r.Header.Get("x-acs-action") != "" {
			return req, errMissing("Authorization")
		}
		return req, errMissing("Signature")
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return req, &apiError{http.StatusBadRequest, "UnsupportedHTTPMethod", "Specified HTTP method " + r.Method + " is not supported; use GET or POST."}
	}
	switch {
	case req.action == "":
		return req, errMissing("Action")
	case req.version == "":
		return req, errMissing("Version")
	case req.version != apiVersion:
		return req, errVersion
	case !knownAction(req.action):
		return req, errActionNotFound
	}
	return req, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// serveAPI runs one API call: latency, parsing, authentication, faults,
// rate limit, the action; every outcome is recorded.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	call := Call{At: e.now()}
	req, aerr := parseAPIRequest(r)
	call.Action, call.AccessKeyID, call.SignatureVersion = req.action, req.accessKey, req.sigVersion
	call.IDs, call.ReferenceIDs = requestIDs(req)
	call.Params = actionParams(req.params)

	if !e.wait(r.Context()) {
		call.Status, call.Code = statusClientClosed, "RequestCanceled"
		e.record.add(call)
		return
	}
	requestID := newRequestID()
	resp := func() apiResponse {
		if aerr != nil {
			return errorResponse(r, requestID, aerr)
		}
		if aerr := e.authenticate(req); aerr != nil {
			return errorResponse(r, requestID, aerr)
		}
		fault := e.faults.take(req.action)
		call.Fault = fault
		if fault != FaultNone && fault != FaultTruncated {
			return faultResponse(r, requestID, fault, e.limiter.limit(req.action), e.now())
		}
		rl := e.limiter.allow(req.accessKey, req.action, e.now())
		if !rl.ok {
			resp := errorResponse(r, requestID, errThrottled)
			resp.headers.Set(rateLimitHeader, rl.header())
			return resp
		}
		resp := e.dispatch(req, requestID)
		if rl.limit > 0 {
			resp.headers.Set(rateLimitHeader, rl.header())
		}
		if fault == FaultTruncated {
			resp.body = resp.body[:len(resp.body)/2]
		}
		return resp
	}()
	call.Status, call.Code = resp.status, resp.code
	e.record.add(call)

	h := w.Header()
	for k, vs := range resp.headers {
		h[k] = vs
	}
	h.Set("Content-Type", resp.ctype)
	h.Set("x-acs-request-id", requestID)
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// wait sleeps for the configured latency and reports false if the client
// gave up first.
func (e *Emulator) wait(ctx context.Context) bool {
	d := time.Duration(e.latency.Load())
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

const jsonContentType = "application/json;charset=utf-8"

// marshal encodes v as the gateway does: no HTML escaping of & < >.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only catalog data is encoded, and it came from JSON.
		panic("emulator: encode response: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func jsonResponse(v any) apiResponse {
	return apiResponse{status: http.StatusOK, body: marshal(v), ctype: jsonContentType, headers: http.Header{}}
}

func errorResponse(r *http.Request, requestID string, aerr *apiError) apiResponse {
	body := marshal(errorBody{
		RequestId: requestID,
		HostId:    r.Host,
		Code:      aerr.code,
		Message:   aerr.message,
		Recommend: recommendURL(aerr.code, requestID),
	})
	return apiResponse{status: aerr.status, code: aerr.code, body: body, ctype: jsonContentType, headers: http.Header{}}
}

// requestIDs extracts the asset IDs a call asked for, for the record.
func requestIDs(req *apiRequest) (ids, refs []string) {
	switch req.action {
	case "GetImageInfo":
		if id := req.params.Get("ImageId"); id != "" {
			ids = []string{id}
		}
	case "GetImageInfos":
		ids = splitIDs(req.params.Get("ImageIds"))
	case "BatchGetMediaInfos":
		ids = splitIDs(req.params.Get("MediaIds"))
		refs = splitIDs(req.params.Get("ReferenceIds"))
	}
	return ids, refs
}

// actionParams returns the first value of each parameter that is the
// action's own, for the record.
func actionParams(p url.Values) map[string]string {
	var out map[string]string
	for k, vs := range p {
		if protocolParam(k) || len(vs) == 0 {
			continue
		}
		if out == nil {
			out = make(map[string]string)
		}
		out[k] = vs[0]
	}
	return out
}

// protocolParam reports whether k is a parameter of the RPC protocol and
// its signatures rather than of an action.
func protocolParam(k string) bool {
	switch k {
	case "Action", "Version", "Format", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion",
		"SignatureNonce", "SignatureType", "Timestamp", "SecurityToken":
		return true
	}
	return false
}

// splitIDs splits a comma-separated list, trimming blanks and dropping
// empty items.
func splitIDs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
