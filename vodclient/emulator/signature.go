package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

const (
	algorithmV3  = "ACS3-HMAC-SHA256"
	apiVersion   = "2017-03-21"
	maxClockSkew = 15 * time.Minute
)

// rfc3986 percent-encodes s leaving only the unreserved set A-Z a-z 0-9 - _ . ~
// (space is %20, * is %2A, ~ stays), as both signature versions require.
func rfc3986(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// canonicalQuery sorts parameters by encoded name (then value) and joins
// them as name=value pairs with &, both RFC 3986-encoded.
func canonicalQuery(q url.Values) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, pair{rfc3986(k), rfc3986(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// canonicalHeaders renders the signed headers, lower-cased and sorted, as
// "name:value\n" lines; several values of one header are trimmed, sorted
// and joined with commas. host comes from the request's Host.
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var vals []string
		if name == "host" {
			vals = []string{r.Host}
		} else {
			for _, v := range r.Header.Values(name) {
				vals = append(vals, strings.TrimSpace(v))
			}
			slices.Sort(vals)
		}
		b.WriteString(name + ":" + strings.Join(vals, ",") + "\n")
	}
	return b.String()
}

// canonicalRequestV3 assembles the V3 canonical request.
func canonicalRequestV3(method, uri, query, headers string, signed []string, payloadHash string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + strings.Join(signed, ";") + "\n" + payloadHash
}

// stringToSignV3 is the algorithm and the hex SHA-256 of the canonical request.
func stringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return algorithmV3 + "\n" + hex.EncodeToString(sum[:])
}

// signatureV3 is hex(HMAC-SHA256(secret, stringToSign)).
func signatureV3(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// stringToSignV1 is METHOD&%2F&percentEncode(canonicalized query), the
// Signature parameter left out.
func stringToSignV1(method string, params url.Values) string {
	p := make(url.Values, len(params))
	for k, v := range params {
		if k != "Signature" {
			p[k] = v
		}
	}
	return method + "&" + rfc3986("/") + "&" + rfc3986(canonicalQuery(p))
}

// signatureV1 is base64(HMAC-SHA1(secret+"&", stringToSign)).
func signatureV1(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// v3Authorization is a parsed "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=.." header.
type v3Authorization struct {
	credential    string
	signedHeaders []string
	signature     string
}

func parseV3Authorization(h string) (v3Authorization, *apiError) {
	var a v3Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return a, errIncomplete("Authorization must read \"ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...\".")
	}
	if alg != algorithmV3 {
		return a, &apiError{http.StatusBadRequest, "InvalidSignatureMethod",
			"Specified signature method " + alg + " is not supported; the emulator verifies ACS3-HMAC-SHA256."}
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[k] {
			return a, errIncomplete("Authorization has a malformed or repeated element " + k + ".")
		}
		seen[k] = true
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			if v != "" {
				a.signedHeaders = strings.Split(v, ";")
			}
		case "Signature":
			a.signature = v
		default:
			return a, errIncomplete("Authorization has an unknown element " + k + ".")
		}
	}
	switch {
	case a.credential == "":
		return a, errIncomplete("Authorization lacks Credential.")
	case a.signature == "":
		return a, errIncomplete("Authorization lacks Signature.")
	case len(a.signedHeaders) == 0:
		return a, errIncomplete("Authorization lacks SignedHeaders.")
	}
	for i, name := range a.signedHeaders {
		if name != strings.ToLower(name) || name == "" || (i > 0 && name <= a.signedHeaders[i-1]) {
			return a, errIncomplete("SignedHeaders must be lower-case, sorted and unique.")
		}
	}
	return a, nil
}

// signedRequest is what both signature versions reduce to before the
// common checks: who signed, when, with which nonce, and how to recompute
// the signature from a secret.
type signedRequest struct {
	accessKeyID  string
	token        string
	hasToken     bool
	date         string
	nonce        string
	stringToSign string
	hint         string // stringToSign with any token redacted, for the error message
	given        string
	sign         func(secret, stringToSign string) string
}

// prepareV3 checks the V3 structure and computes the string to sign.
func prepareV3(req *apiRequest) (*signedRequest, *apiError) {
	r := req.r
	auth, aerr := parseV3Authorization(r.Header.Get("Authorization"))
	if aerr != nil {
		return nil, aerr
	}
	for _, h := range []string{"x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if r.Header.Get(h) == "" {
			return nil, errMissing(h)
		}
	}
	// host and every x-acs-* header must be signed; content-type may be.
	mustSign := []string{"host"}
	for name := range r.Header {
		if l := strings.ToLower(name); strings.HasPrefix(l, "x-acs-") {
			mustSign = append(mustSign, l)
		}
	}
	for _, name := range mustSign {
		if !slices.Contains(auth.signedHeaders, name) {
			return nil, errIncomplete("Header " + name + " must be signed (listed in SignedHeaders).")
		}
	}
	for _, name := range auth.signedHeaders {
		if name != "host" && name != "content-type" && !strings.HasPrefix(name, "x-acs-") {
			return nil, errIncomplete("Only host, content-type and x-acs-* headers may be signed, not " + name + ".")
		}
	}
	payloadHash := strings.ToLower(r.Header.Get("x-acs-content-sha256"))
	sum := sha256.Sum256(req.body)
	if payloadHash != hex.EncodeToString(sum[:]) {
		return nil, &apiError{http.StatusBadRequest, "SignatureDoesNotMatch",
			"The x-acs-content-sha256 header does not match the SHA-256 of the request body."}
	}
	cr := canonicalRequestV3(r.Method, r.URL.EscapedPath(), canonicalQuery(r.URL.Query()),
		canonicalHeaders(r, auth.signedHeaders), auth.signedHeaders, payloadHash)
	sts := stringToSignV3(cr)
	token, hasToken := "", false
	if vs := r.Header.Values("x-acs-security-token"); len(vs) > 0 {
		token, hasToken = vs[0], true
	}
	if id := r.Header.Get("x-acs-accesskey-id"); id != "" && id != auth.credential {
		return nil, errTokenMismatch
	}
	return &signedRequest{
		accessKeyID:  auth.credential,
		token:        token,
		hasToken:     hasToken,
		date:         r.Header.Get("x-acs-date"),
		nonce:        r.Header.Get("x-acs-signature-nonce"),
		stringToSign: sts,
		hint:         sts, // a hash: reveals neither secret nor token
		given:        strings.ToLower(auth.signature),
		sign:         signatureV3,
	}, nil
}

// prepareV1 checks the V1 common parameters and computes the string to sign.
func prepareV1(req *apiRequest) (*signedRequest, *apiError) {
	p := req.params
	for _, name := range []string{"AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		if p.Get(name) == "" {
			return nil, errMissing(name)
		}
	}
	if m := p.Get("SignatureMethod"); m != "HMAC-SHA1" {
		return nil, &apiError{http.StatusBadRequest, "InvalidSignatureMethod",
			"Specified signature method " + m + " is not supported; use HMAC-SHA1."}
	}
	if v := p.Get("SignatureVersion"); v != "1.0" {
		return nil, &apiError{http.StatusBadRequest, "InvalidSignatureMethod",
			"Specified signature version " + v + " is not supported; use 1.0."}
	}
	if f := p.Get("Format"); f != "" && !strings.EqualFold(f, "JSON") {
		return nil, &apiError{http.StatusBadRequest, "InvalidParameter.Format",
			"Specified Format " + f + " is not supported by the emulator; use JSON."}
	}
	sts := stringToSignV1(req.r.Method, p)
	hint := sts
	token, hasToken := "", p.Has("SecurityToken")
	if hasToken {
		token = p.Get("SecurityToken")
		redacted := make(url.Values, len(p))
		for k, v := range p {
			redacted[k] = v
		}
		redacted.Set("SecurityToken", "REDACTED")
		hint = stringToSignV1(req.r.Method, redacted)
	}
	return &signedRequest{
		accessKeyID:  p.Get("AccessKeyId"),
		token:        token,
		hasToken:     hasToken,
		date:         p.Get("Timestamp"),
		nonce:        p.Get("SignatureNonce"),
		stringToSign: sts,
		hint:         hint,
		given:        p.Get("Signature"),
		sign:         signatureV1,
	}, nil
}

func parseTimestamp(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05Z", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// authenticate verifies the request's signature structure, date, key,
// token, signature and nonce, in that order.
func (e *Emulator) authenticate(req *apiRequest) *apiError {
	var (
		s    *signedRequest
		aerr *apiError
	)
	switch req.sigVersion {
	case sigV3:
		s, aerr = prepareV3(req)
	case sigV1:
		s, aerr = prepareV1(req)
	default:
		return errMissing("Signature")
	}
	if aerr != nil {
		return aerr
	}
	now := e.now()
	date, ok := parseTimestamp(s.date)
	if !ok {
		return errTimestampFormat
	}
	if d := now.Sub(date); d > maxClockSkew || d < -maxClockSkew {
		return errTimestampExpired
	}
	key, ok := e.key(s.accessKeyID)
	if !ok {
		return errKeyNotFound
	}
	switch {
	case key.SecurityToken == "" && s.hasToken:
		return errTokenMalformed
	case key.SecurityToken != "" && !s.hasToken:
		return errTokenMissing
	case key.SecurityToken != "" && s.token != key.SecurityToken:
		if e.tokenOwner(s.token) {
			return errTokenMismatch
		}
		return errTokenMalformed
	}
	want := s.sign(key.AccessKeySecret, s.stringToSign)
	if !hmac.Equal([]byte(want), []byte(s.given)) {
		return errSignature(s.hint)
	}
	// A nonce is remembered for as long as its date stays acceptable.
	forget := now.Add(maxClockSkew)
	if date.After(now) {
		forget = date.Add(maxClockSkew)
	}
	if !e.nonces.use(key.AccessKeyID+"\x00"+s.nonce, now, forget) {
		return errNonceUsed
	}
	return nil
}
