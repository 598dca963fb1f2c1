package handlers

import (
	"cmp"
	"slices"

	"github.com/a-h/templ"

	"vodboard/views"
	"vodboard/vodclient"
)

// foundSet gathers a lookup's outcomes as its calls end, and puts them in
// the order asked when the lookup is done.
type foundSet struct {
	in  lookupInput
	pos map[string]int // ID -> position asked (media IDs, then references)

	images []views.Image
	media  []views.Media
	listed map[string]bool // media IDs shown: an asset asked for by ID and by reference is listed once

	notFound, forbidden, unknownRefs []string
	failedIDs                        []string
	failedErrs                       []error
	answered                         int // IDs accounted for
}

func newFoundSet(in lookupInput) *foundSet {
	pos := make(map[string]int, in.size())
	for i, id := range in.ids {
		pos[id] = i
	}
	for i, ref := range in.refs {
		pos["ref:"+ref] = len(in.ids) + i
	}
	return &foundSet{in: in, pos: pos, listed: map[string]bool{}}
}

// addImages takes the outcomes of one call and returns the images it found.
func (f *foundSet) addImages(rs []vodclient.ImageResult) []views.Image {
	var added []views.Image
	for _, r := range rs {
		f.answered++
		switch r.Outcome {
		case vodclient.Found:
			img := toImage(r.Image)
			added = append(added, img)
			f.images = append(f.images, img)
		case vodclient.Failed:
			f.failed(r.ID, r.Err)
		default:
			f.notFound = append(f.notFound, r.ID)
		}
	}
	return added
}

// addMedia takes the outcomes of one call and returns the assets it found
// that were not listed yet.
func (f *foundSet) addMedia(rs []vodclient.MediaResult) []views.Media {
	var added []views.Media
	for _, r := range rs {
		f.answered++
		switch r.Outcome {
		case vodclient.Found:
			if !f.listed[r.Media.MediaID] {
				f.listed[r.Media.MediaID] = true
				m := toMedia(r.Media)
				added = append(added, m)
				f.media = append(f.media, m)
			}
		case vodclient.Forbidden:
			f.forbidden = append(f.forbidden, r.ID)
		case vodclient.NonExistentReference:
			f.unknownRefs = append(f.unknownRefs, r.ID)
		case vodclient.Failed:
			f.failed(r.ID, r.Err)
		default:
			f.notFound = append(f.notFound, r.ID)
		}
	}
	return added
}

func (f *foundSet) failed(id string, err error) {
	f.failedIDs, f.failedErrs = append(f.failedIDs, id), append(f.failedErrs, err)
}

// progress says how far the lookup has come.
func (f *foundSet) progress() views.Progress {
	return views.Progress{
		Done:    f.answered,
		Total:   f.in.size(),
		Found:   len(f.images) + len(f.listed),
		Flagged: len(f.notFound) + len(f.forbidden) + len(f.unknownRefs),
		Failed:  len(f.failedIDs),
	}
}

// results renders the finished lookup, everything in the order asked.
func (f *foundSet) results() templ.Component {
	byPos := func(key func(string) string) func(a, b string) int {
		return func(a, b string) int { return cmp.Compare(f.pos[key(a)], f.pos[key(b)]) }
	}
	id := func(s string) string { return s }
	ref := func(s string) string { return "ref:" + s }
	slices.SortStableFunc(f.images, func(a, b views.Image) int { return byPos(id)(a.ID, b.ID) })
	slices.SortStableFunc(f.media, func(a, b views.Media) int { return cmp.Compare(f.mediaPos(a), f.mediaPos(b)) })
	slices.SortStableFunc(f.notFound, byPos(id))
	slices.SortStableFunc(f.forbidden, byPos(id))
	slices.SortStableFunc(f.unknownRefs, byPos(ref))
	// Failed IDs keep their order within each call, and calls their order
	// of failure: the error groups them anyway.

	l := views.Lookup{NotFound: f.notFound, Forbidden: f.forbidden, UnknownRefs: f.unknownRefs, ChunkErrors: chunkErrors(f.failedIDs, f.failedErrs)}
	// An asset asked for twice (by ID and by reference) counts once.
	l.Requested = len(f.images) + len(f.media) + len(f.notFound) + len(f.forbidden) + len(f.unknownRefs) + len(f.failedIDs)
	return f.in.results(l, f.images, f.media)
}

// mediaPos is where an asset was first asked for: by its ID, else by its
// reference.
func (f *foundSet) mediaPos(m views.Media) int {
	if p, ok := f.pos[m.ID]; ok {
		return p
	}
	if p, ok := f.pos["ref:"+m.ReferenceID]; ok {
		return p
	}
	return len(f.pos)
}
