package vodclient

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

// APIVersion is the ApsaraVideo VOD API version the client speaks.
const APIVersion = "2017-03-21"

// Regions lists the regions where ApsaraVideo VOD is offered.
func Regions() []string {
	return []string{
		"cn-beijing", "cn-shanghai", "cn-shenzhen", "cn-hongkong",
		"ap-northeast-1", "ap-southeast-1", "ap-southeast-5",
		"eu-central-1", "us-west-1",
	}
}

// Defaults for the zero values of Config.
const (
	DefaultTimeout        = 10 * time.Second
	DefaultConnectTimeout = 3 * time.Second
	DefaultConcurrency    = 4
	// DefaultMediaConcurrency bounds the BatchGetMediaInfos calls of one
	// lookup in flight at once: 1,000 IDs are 50 calls, two rounds.
	DefaultMediaConcurrency = 25
	DefaultMaxRetries       = 3
	DefaultMaxBackoff       = 3 * time.Second
)

// Config configures a Client. Region and Credential are required.
type Config struct {
	// Region is a VOD region such as "cn-shanghai"; the endpoint is
	// vod.<Region>.aliyuncs.com over HTTPS.
	Region string
	// Endpoint overrides the endpoint: "host[:port]" (HTTPS) or a URL with
	// a scheme, such as "http://127.0.0.1:9000" for the emulator.
	Endpoint string
	// Credential signs every call; see AccessKey, STS and DefaultChain.
	Credential credentials.Credential

	// Timeout bounds one HTTP attempt, from sending to the end of the body.
	Timeout time.Duration
	// ConnectTimeout bounds establishing the connection.
	ConnectTimeout time.Duration
	// Concurrency bounds the calls one rate-limited lookup (GetImageInfos,
	// GetCategories) has waiting or in flight at once. The Pacer sets the
	// pace; a few calls ahead are enough to keep to it, and more would
	// only queue behind the account's limit.
	Concurrency int
	// MediaConcurrency bounds the BatchGetMediaInfos calls of one lookup
	// in flight at once. The operation has no documented rate limit, so a
	// lookup of N IDs runs ceil(N/20) calls at once, up to this bound.
	MediaConcurrency int
	// MaxRetries bounds the retries of a throttled call; MaxBackoff caps the
	// wait before each one.
	MaxRetries int
	MaxBackoff time.Duration
	// Pacer holds calls back to the account's rate limits. Nil means the
	// process-wide RateLimits, which every client of the same AccessKey
	// shares.
	Pacer Pacer
	// Party is whose turns the client's calls take in the Pacer's queue:
	// a pacer that serves parties in turn keeps one party's big lookup
	// from starving another's small one. The web server gives each
	// session's client a hash of the session ID, never the ID itself.
	// Empty means a random party of this Client alone.
	Party string
	// HTTPClient sends the requests; nil means a dedicated pooled client.
	HTTPClient *http.Client
	// Observer is told about every attempt (metrics); nil means nobody.
	Observer Observer
	// Logger receives one debug line per call and warnings on retries.
	Logger *slog.Logger
}

var regionPattern = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)

// endpoint returns the host[:port] and the protocol ("https" or "http").
func (c Config) endpoint() (host, protocol string, err error) {
	if c.Endpoint == "" {
		return "vod." + c.Region + ".aliyuncs.com", "https", nil
	}
	return ParseEndpoint(c.Endpoint)
}

// ParseEndpoint checks an endpoint override, "host[:port]" (HTTPS) or
// "http(s)://host[:port]", and returns its host[:port] and scheme.
func ParseEndpoint(endpoint string) (host, scheme string, err error) {
	raw := strings.TrimSpace(endpoint)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", "", invalidArgument("endpoint %q: want host[:port] or http(s)://host[:port]", endpoint)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", invalidArgument("endpoint %q: scheme must be http or https", endpoint)
	}
	return u.Host, u.Scheme, nil
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.MediaConcurrency <= 0 {
		c.MediaConcurrency = DefaultMediaConcurrency
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	} else if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.Pacer == nil {
		c.Pacer = processRateLimits
	}
	if c.Party == "" {
		b := make([]byte, 8)
		rand.Read(b)
		c.Party = hex.EncodeToString(b)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: c.ConnectTimeout,
			ForceAttemptHTTP2:   true,
		}}
	}
	return c
}

// Client calls the ApsaraVideo VOD API. It is safe for concurrent use.
type Client struct {
	cfg    Config
	region string
	// apis holds darabonba clients: one is not safe for concurrent use (it
	// clears its debug headers on every call), so each attempt takes its
	// own from the pool.
	apis sync.Pool
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if !regionPattern.MatchString(cfg.Region) {
		return nil, invalidArgument("region %q is not a region ID such as cn-shanghai", cfg.Region)
	}
	if cfg.Credential == nil {
		return nil, invalidArgument("no credential")
	}
	host, protocol, err := cfg.endpoint()
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	newAPI := func() (*openapi.Client, error) {
		api, err := openapi.NewClient(&openapi.Config{
			Credential:     cfg.Credential,
			Endpoint:       dara.String(host),
			Protocol:       dara.String(protocol),
			RegionId:       dara.String(cfg.Region),
			ReadTimeout:    dara.Int(int(cfg.Timeout.Milliseconds())),
			ConnectTimeout: dara.Int(int(cfg.ConnectTimeout.Milliseconds())),
			UserAgent:      dara.String("vodboard"),
			HttpClient:     &httpDoer{client: cfg.HTTPClient},
		})
		if err != nil {
			return nil, err
		}
		api.DisableSDKError = dara.Bool(true)
		return api, nil
	}
	first, err := newAPI()
	if err != nil {
		return nil, fmt.Errorf("vod client: %w", err)
	}
	c := &Client{cfg: cfg, region: cfg.Region}
	c.apis.New = func() any {
		api, err := newAPI()
		if err != nil {
			// The same config built the first one; it cannot fail now.
			panic(fmt.Sprintf("vod client: %v", err))
		}
		return api
	}
	c.apis.Put(first)
	return c, nil
}

// Region returns the region the client calls.
func (c *Client) Region() string { return c.region }

// AccessKey returns a credential for a RAM user's AccessKey pair.
// Blank values are refused: credentials-go would otherwise silently take
// the server's ALIBABA_CLOUD_ACCESS_KEY_* environment variables instead.
func AccessKey(id, secret string) (credentials.Credential, error) {
	id, secret = strings.TrimSpace(id), strings.TrimSpace(secret)
	if err := requireFields(map[string]string{"AccessKey ID": id, "AccessKey secret": secret}); err != nil {
		return nil, err
	}
	return credentials.NewCredential(&credentials.Config{
		Type:            dara.String("access_key"),
		AccessKeyId:     dara.String(id),
		AccessKeySecret: dara.String(secret),
	})
}

// STS returns a credential for temporary STS credentials. Blank values are
// refused, as for AccessKey.
func STS(id, secret, securityToken string) (credentials.Credential, error) {
	id, secret, securityToken = strings.TrimSpace(id), strings.TrimSpace(secret), strings.TrimSpace(securityToken)
	if err := requireFields(map[string]string{"AccessKey ID": id, "AccessKey secret": secret, "security token": securityToken}); err != nil {
		return nil, err
	}
	return credentials.NewCredential(&credentials.Config{
		Type:            dara.String("sts"),
		AccessKeyId:     dara.String(id),
		AccessKeySecret: dara.String(secret),
		SecurityToken:   dara.String(securityToken),
	})
}

// DefaultChain returns the credentials-go default chain: environment
// variables, OIDC, the CLI profile, ECS instance metadata and a credentials
// URI. Off Alibaba Cloud, set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true so it
// does not probe the metadata service.
func DefaultChain() (credentials.Credential, error) {
	return credentials.NewCredential(nil)
}

func requireFields(fields map[string]string) error {
	for _, name := range []string{"AccessKey ID", "AccessKey secret", "security token"} {
		if v, ok := fields[name]; ok && v == "" {
			return invalidArgument("%s is blank", name)
		}
	}
	return nil
}
