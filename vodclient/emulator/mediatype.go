package emulator

// MediaType returns the SearchType a media entry of the catalog is found
// under, "video" or "audio", and "" for an ID the catalog does not have.
func (c *Catalog) MediaType(id string) string {
	m, ok := c.mediaEntry(id)
	switch {
	case !ok:
		return ""
	case isAudio(m):
		return "audio"
	}
	return "video"
}
