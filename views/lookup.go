package views

// Lookup is what every ID lookup reports besides the assets it found: IDs
// that were rejected before the call, IDs the API did not return, and
// chunks of IDs whose call failed.
type Lookup struct {
	// Requested is how many valid IDs were asked for.
	Requested int
	Invalid   []InvalidID
	// NotFound, Forbidden and UnknownRefs are the IDs the API listed in
	// NonExist*Ids / ForbiddenMediaIds / NonExistReferenceIds (or that it
	// silently left out).
	NotFound    []string
	Forbidden   []string
	UnknownRefs []string
	ChunkErrors []ChunkError
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

func (l Lookup) flagged() bool {
	return len(l.NotFound)+len(l.Forbidden)+len(l.UnknownRefs) > 0
}

// shareLocation tells a copy button to copy the page's own address: every
// page, and every lookup once htmx has pushed its URL, is a shareable link.
const shareLocation = "location"
