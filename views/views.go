// Package views holds vodboard's templ components and the view models they
// render. Handlers turn API types into these structs; views never import
// vodclient or echo and do no I/O.
//
// Every page has an exported inner component (LoginContent, ImageResults,
// MediaDetailContent, ...) that renders alone as an htmx fragment; the full
// page is Page(layout, sameComponent).
//
// URLs that come from the API (signed image URLs, covers, play URLs, source
// file URLs) reach an attribute only through SafeURL; app-local links supplied
// by handlers go through localURL.
package views

import (
	"net/url"
	"strings"
	"time"
)

// Layout is what every full page needs besides its content.
type Layout struct {
	Title     string
	CSRFToken string
	// DemoMode shows the demo banner on every page.
	DemoMode bool
	SignedIn bool
	// AccessKeyID of the signed-in user; the layout shows it masked
	// (LTAI5t…Key9), so the handler may pass it whole.
	AccessKeyID string
	// ServerCredentials: the session uses the server's credentials (shown
	// instead of an AccessKey ID).
	ServerCredentials bool
	// Region is the region ID of the signed-in session (cn-shanghai).
	Region string
	Assets AssetURLs
	Alerts []Alert
	Nav    Nav
	// Player links the player's scripts (hls.js and player.js).
	Player bool
}

// AssetURLs are the content-hashed URLs of the static assets
// (static.Assets.Path).
type AssetURLs struct {
	CSS  string
	JS   string
	HTMX string
	// SSE is htmx's server-sent events extension: lookups of several
	// calls stream their progress through it.
	SSE  string
	Icon string
	// Library is the library page's script.
	Library string
	// A11y is keyboard and screen-reader behaviour: the arrow keys through
	// card grids, focus kept in place across htmx swaps.
	A11y string
	// HLSJS and Player are the player's scripts, linked only on pages
	// with a player (Layout.Player).
	HLSJS  string
	Player string
}

// Nav names the current header navigation item.
type Nav string

// Navigation items.
const (
	NavNone     Nav = ""
	NavLibrary  Nav = "library"
	NavLookup   Nav = "lookup"
	NavSettings Nav = "settings"
)

// AlertKind selects an alert's colour and role.
type AlertKind string

// Alert kinds.
const (
	AlertError   AlertKind = "error"
	AlertWarning AlertKind = "warning"
	AlertInfo    AlertKind = "info"
	AlertSuccess AlertKind = "success"
)

// Alert is a flash message or notice. Message must be a vetted,
// user-facing text.
type Alert struct {
	Kind    AlertKind
	Title   string
	Message string
}

// Timestamp is a time from the API: At when it parsed, and Raw as sent (shown
// when it did not parse).
type Timestamp struct {
	At  time.Time
	Raw string
}

// Region is a VOD region with its human name.
type Region struct {
	ID   string
	Name string
}

// VODRegions lists the regions ApsaraVideo VOD is offered in.
func VODRegions() []Region {
	return []Region{
		{"cn-shanghai", "China (Shanghai)"},
		{"cn-beijing", "China (Beijing)"},
		{"cn-shenzhen", "China (Shenzhen)"},
		{"cn-hongkong", "China (Hong Kong)"},
		{"ap-northeast-1", "Japan (Tokyo)"},
		{"ap-southeast-1", "Singapore"},
		{"ap-southeast-5", "Indonesia (Jakarta)"},
		{"eu-central-1", "Germany (Frankfurt)"},
		{"us-west-1", "US (Silicon Valley)"},
	}
}

// RegionName returns the human name of a region ID, or the ID itself.
func RegionName(id string) string {
	for _, r := range VODRegions() {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

// SafeURL is the allowlist every API-supplied URL passes before it reaches
// an attribute: it returns raw unchanged when it is an absolute http or https
// URL with a host, and "" otherwise (javascript:, data:, relative, malformed).
//
// Characters that RFC 3986 never allows unencoded (space, double quote, angle
// brackets, backslash...) also reject the URL: signed API URLs never
// contain them, and a URL that does is not one to pass on.
func SafeURL(raw string) string {
	if raw == "" || strings.ContainsAny(raw, " \"<>`{}|\\^") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
		return ""
	}
	return raw
}

// localURL returns u when it is a path on this site ("/media?ids=x"), "" for
// anything else, including scheme-relative "//host" and "/\host" URLs.
func localURL(u string) string {
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.HasPrefix(u, `/\`) {
		return ""
	}
	if strings.ContainsAny(u, "\r\n\t") {
		return ""
	}
	return u
}

// MaskAccessKeyID shortens an AccessKey ID to its first six and last four
// characters: "LTAI5tExampleKey9" -> "LTAI5t…Key9".
func MaskAccessKeyID(id string) string {
	r := []rune(strings.TrimSpace(id))
	switch {
	case len(r) == 0:
		return ""
	case len(r) <= 6:
		return string(r[:1]) + "…"
	case len(r) <= 12:
		return string(r[:3]) + "…" + string(r[len(r)-2:])
	}
	return string(r[:6]) + "…" + string(r[len(r)-4:])
}

func imagePath(id string) string  { return "/images/" + url.PathEscape(id) }
func mediaPath(id string) string  { return "/media/" + url.PathEscape(id) }
func thumbPath(id string) string  { return imagePath(id) + "/thumb" }
func thumbDOMID(id string) string { return "thumb-" + domSafe(id) }

// domSafe keeps an API ID usable as part of an element id and a CSS
// selector: anything but [A-Za-z0-9_-] becomes "_".
func domSafe(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
