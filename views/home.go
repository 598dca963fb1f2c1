package views

// Home is the lookup page: three lookup forms, the session's recent
// lookups and, in demo mode, example ID sets. The same view wraps the
// results of /images and /media when those are requested as full pages.
type Home struct {
	// ImageIDs, MediaIDs and ReferenceIDs pre-fill the forms with what was
	// looked up (as typed; text longer than MaxEchoedInput is left out).
	ImageIDs     string
	MediaIDs     string
	ReferenceIDs string
	// MaxIDs is the most IDs one lookup accepts (0: not mentioned).
	MaxIDs int
	Recent []RecentLookup
	// Examples are "Try these" links, shown when not empty (demo mode).
	Examples []Example
}

// LookupKind is what a lookup asked for.
type LookupKind string

// Lookup kinds.
const (
	LookupImages     LookupKind = "images"
	LookupMedia      LookupKind = "media"
	LookupReferences LookupKind = "references"
)

func (k LookupKind) label() string {
	switch k {
	case LookupImages:
		return "Images"
	case LookupMedia:
		return "Media"
	case LookupReferences:
		return "Refs"
	}
	return string(k)
}

// RecentLookup is one lookup made in this session.
type RecentLookup struct {
	Kind LookupKind
	// Label summarises the IDs ("1a2b…, 3c4d… +3").
	Label string
	Count int
	// URL is the local path that repeats the lookup ("/images?ids=...").
	URL string
}

// Example is a demo "Try these" link.
type Example struct {
	Label       string
	Description string
	// URL is a local path ("/media?ids=...").
	URL string
}
