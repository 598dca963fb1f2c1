package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"
)

// fakeClock is a settable clock, starting at the real time so that
// clients stamping requests with time.Now stay within the 15-minute window.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestServer starts an emulator behind httptest with a fake clock
// (unless opts.Now is set).
func newTestServer(t testing.TB, opts Options) (*Emulator, *httptest.Server, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, srv, clock
}

// newClient returns the real darabonba client pointed at srv, signing
// with k (an STS credential if k has a token).
func newClient(t testing.TB, srv *httptest.Server, k Key) *openapi.Client {
	t.Helper()
	cfg := new(credentials.Config).SetType("access_key").SetAccessKeyId(k.AccessKeyID).SetAccessKeySecret(k.AccessKeySecret)
	if k.SecurityToken != "" {
		cfg.SetType("sts").SetSecurityToken(k.SecurityToken)
	}
	cred, err := credentials.NewCredential(cfg)
	if err != nil {
		t.Fatalf("NewCredential: %v", err)
	}
	c, err := openapi.NewClient(&openapi.Config{
		Credential:     cred,
		Endpoint:       tea.String(strings.TrimPrefix(srv.URL, "http://")),
		Protocol:       tea.String("http"),
		ReadTimeout:    tea.Int(10000),
		ConnectTimeout: tea.Int(5000),
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// callAPI calls action through the darabonba client and decodes the body.
func callAPI(ctx context.Context, c *openapi.Client, action string, query map[string]string) (map[string]any, error) {
	params := &openapi.Params{
		Action:      tea.String(action),
		Version:     tea.String("2017-03-21"),
		Protocol:    tea.String("HTTP"),
		Pathname:    tea.String("/"),
		Method:      tea.String("POST"),
		AuthType:    tea.String("AK"),
		Style:       tea.String("RPC"),
		ReqBodyType: tea.String("formData"),
		BodyType:    tea.String("string"),
	}
	q := map[string]*string{}
	for k, v := range query {
		q[k] = tea.String(v)
	}
	res, err := c.CallApiWithCtx(ctx, params, &openapi.OpenApiRequest{Query: q}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	body, _ := res["body"].(string)
	var out map[string]any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// sdkError unwraps the client's error into its code and HTTP status.
func sdkError(t testing.TB, err error) (code string, status int) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *tea.SDKError", err, err)
	}
	return tea.StringValue(se.Code), tea.IntValue(se.StatusCode)
}

// rawCall describes a hand-signed V3 request, for the cases the real
// client never produces.
type rawCall struct {
	key       Key
	action    string
	version   string
	query     url.Values
	body      string
	date      time.Time
	nonce     string
	headers   map[string]string // extra headers, signed if x-acs-*
	unsigned  []string          // header names to leave out of SignedHeaders
	secret    string            // overrides key.AccessKeySecret for signing
	signature string            // overrides the computed signature
}

// do signs rc with darabonba's GetAuthorization and sends it.
func (rc rawCall) do(t testing.TB, srv *httptest.Server) (*http.Response, map[string]any) {
	t.Helper()
	if rc.version == "" {
		rc.version = "2017-03-21"
	}
	if rc.date.IsZero() {
		rc.date = time.Now()
	}
	if rc.nonce == "" {
		rc.nonce = randHex(16)
	}
	sum := sha256.Sum256([]byte(rc.body))
	headers := map[string]string{
		"host":                  strings.TrimPrefix(srv.URL, "http://"),
		"x-acs-action":          rc.action,
		"x-acs-version":         rc.version,
		"x-acs-date":            rc.date.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": rc.nonce,
		"x-acs-content-sha256":  hex.EncodeToString(sum[:]),
	}
	if rc.key.SecurityToken != "" {
		headers["x-acs-security-token"] = rc.key.SecurityToken
		headers["x-acs-accesskey-id"] = rc.key.AccessKeyID
	}
	for k, v := range rc.headers {
		headers[k] = v
	}
	signed := map[string]*string{}
	for k, v := range headers {
		skip := false
		for _, u := range rc.unsigned {
			skip = skip || u == k
		}
		if !skip {
			signed[k] = tea.String(v)
		}
	}
	query := map[string]*string{}
	for k := range rc.query {
		query[k] = tea.String(rc.query.Get(k))
	}
	secret := rc.key.AccessKeySecret
	if rc.secret != "" {
		secret = rc.secret
	}
	dreq := &dara.Request{Method: tea.String("POST"), Pathname: tea.String("/"), Query: query, Headers: signed}
	auth := tea.StringValue(openapiutil.GetAuthorization(dreq, tea.String(algorithmV3),
		tea.String(hex.EncodeToString(sum[:])), tea.String(rc.key.AccessKeyID), tea.String(secret)))
	if rc.signature != "" {
		auth = auth[:strings.LastIndex(auth, "Signature=")] + "Signature=" + rc.signature
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/?"+rc.query.Encode(), strings.NewReader(rc.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("Authorization", auth)
	return send(t, req)
}

func send(t testing.TB, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		out = map[string]any{"_raw": string(b)}
	}
	return resp, out
}

// v1Call builds a V1-signed request with darabonba's GetRPCSignature.
func v1Call(t testing.TB, srv *httptest.Server, method string, k Key, action string, params url.Values, date time.Time, nonce string) (*http.Response, map[string]any) {
	t.Helper()
	p := url.Values{}
	for key, v := range params {
		p[key] = v
	}
	p.Set("Action", action)
	if !p.Has("Version") {
		p.Set("Version", "2017-03-21")
	}
	p.Set("Format", "JSON")
	p.Set("AccessKeyId", k.AccessKeyID)
	p.Set("SignatureMethod", "HMAC-SHA1")
	p.Set("SignatureVersion", "1.0")
	p.Set("SignatureNonce", nonce)
	p.Set("Timestamp", date.UTC().Format("2006-01-02T15:04:05Z"))
	if k.SecurityToken != "" {
		p.Set("SecurityToken", k.SecurityToken)
	}
	signed := map[string]*string{}
	for key := range p {
		signed[key] = tea.String(p.Get(key))
	}
	p.Set("Signature", tea.StringValue(openapiutil.GetRPCSignature(signed, tea.String(method), tea.String(k.AccessKeySecret))))
	var req *http.Request
	var err error
	if method == http.MethodGet {
		req, err = http.NewRequest(method, srv.URL+"/?"+p.Encode(), nil)
	} else {
		req, err = http.NewRequest(method, srv.URL+"/", strings.NewReader(p.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return send(t, req)
}

// mediaIDByTitle picks a media ID from a catalog by title substring.
func mediaIDByTitle(t testing.TB, c *Catalog, title string) string {
	t.Helper()
	for _, m := range c.media {
		if strings.Contains(stringAt(m, "MediaInfo", "Title"), title) {
			return m["MediaId"].(string)
		}
	}
	t.Fatalf("no media titled %q", title)
	return ""
}

// imageIDByTitle picks an image ID from a catalog by title substring.
func imageIDByTitle(t testing.TB, c *Catalog, title string) string {
	t.Helper()
	for _, m := range c.images {
		if strings.Contains(stringAt(m, "Title"), title) {
			return m["ImageId"].(string)
		}
	}
	t.Fatalf("no image titled %q", title)
	return ""
}

func str(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case json.Number:
		return s.String()
	}
	return ""
}

func list(v any) []any {
	a, _ := v.([]any)
	return a
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
