package views

// LiveLookup is a lookup whose results stream in while its calls end: a
// lookup of more than one call. The page listens to StreamURL, the
// lookup's own URL, for server-sent events: "progress" (a new
// LookupProgress), "found" (cards or rows to append) and "done" (the
// finished results, which replace the live view).
type LiveLookup struct {
	Kind      LookupKind
	StreamURL string
	Progress  Progress
}

// Progress is how far a live lookup has come, in IDs.
type Progress struct {
	Done, Total int
	// Found counts the IDs that returned an asset; Flagged those the API
	// did not return (missing, forbidden, unknown reference); Failed those
	// whose call failed.
	Found, Flagged, Failed int
}

func (p Progress) text() string {
	s := itoa(p.Done) + " of " + plural(p.Total, "ID", "IDs") + " looked up"
	if p.Done == 0 {
		return "Looking up " + plural(p.Total, "ID", "IDs") + "…"
	}
	s += " · " + itoa(p.Found) + " found"
	if p.Flagged > 0 {
		s += " · " + itoa(p.Flagged) + " flagged"
	}
	if p.Failed > 0 {
		s += " · " + itoa(p.Failed) + " failed"
	}
	return s
}
