package views

// Lookup is what every ID lookup reports besides the assets it found: IDs
// that were rejected before the call, IDs the API did not return, and
// chunks of IDs whose call failed.
type Lookup struct {
	// Requested is how many valid IDs were asked for.
	Requested int
	Invalid   []InvalidID
	// TooMany is how many distinct valid IDs were given when that is more
	// than Max, the most one lookup takes: nothing was looked up.
	TooMany, Max int
	// NotFound, Forbidden and UnknownRefs are the IDs the API listed in
	// NonExist*Ids / ForbiddenMediaIds / NonExistReferenceIds (or that it
	// silently left out).
	NotFound    []string
	Forbidden   []string
	UnknownRefs []string
	ChunkErrors []ChunkError
}

// Bounds on how much of a refused input a page repeats, so that a huge bad
// request (a megabyte of IDs in a URL) cannot produce a huge page.
const (
	// MaxListedInvalid is how many invalid values a page lists; the rest
	// are counted ("and 120 more").
	MaxListedInvalid = 50
	// maxShownRunes is how much of one invalid value is shown.
	maxShownRunes = 80
	// MaxEchoedInput is the longest pasted text a lookup form shows again
	// (a whole lookup, 1,000 IDs of 64 characters and their separators,
	// fits); longer text is left out.
	MaxEchoedInput = 1000 * 65
)

// listedInvalid returns the invalid values a page lists.
func listedInvalid(l []InvalidID) []InvalidID { return l[:min(len(l), MaxListedInvalid)] }

// unlistedInvalid counts the invalid values a page leaves out.
func unlistedInvalid(l []InvalidID) int { return max(len(l)-MaxListedInvalid, 0) }

// shownValue shortens a long invalid value to its first maxShownRunes
// characters and an ellipsis.
func shownValue(v string) string {
	n := 0
	for i := range v {
		if n == maxShownRunes {
			return v[:i] + "…"
		}
		n++
	}
	return v
}

// echoedInput is what a lookup form shows of the pasted text: all of it,
// unless it is longer than any lookup can be.
func echoedInput(s string) string {
	if len(s) > MaxEchoedInput {
		return ""
	}
	return s
}

// InvalidID is an input value that is not a well-formed ID.
type InvalidID struct {
	Value string
	// Reason is optional ("too long", "contains spaces").
	Reason string
}

// ChunkError is a batch of IDs whose API call failed.
type ChunkError struct {
	IDs []string
	// Message is vetted and user-facing.
	Message   string
	RequestID string
}

// refused reports a lookup that was not sent: some IDs were invalid, or
// there were too many.
func (l Lookup) refused() bool { return l.TooMany > 0 || len(l.Invalid) > 0 }

// summary is the one line under a lookup's heading.
func (l Lookup) summary(found int, one, many string) string {
	if l.refused() && l.Requested == 0 {
		return "Nothing was looked up"
	}
	return foundSummary(found, l.Requested, one, many)
}

func (l Lookup) flagged() bool {
	return len(l.NotFound)+len(l.Forbidden)+len(l.UnknownRefs) > 0
}

// shareLocation tells a copy button to copy the page's own address: every
// page, and every lookup once htmx has pushed its URL, is a shareable link.
const shareLocation = "location"
