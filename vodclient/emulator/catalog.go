package emulator

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
)

//go:embed demo_catalog.json
var demoCatalogJSON []byte

// Catalog is the media library an emulator serves. Entries are kept as the
// raw JSON objects they were loaded from (numbers as json.Number), so field
// names and string-versus-number shapes are replayed exactly. A Catalog is
// immutable and safe for concurrent use.
//
// Its JSON form is
//
//	{
//	  "images":    [ImageInfo objects exactly as GetImageInfo returns them],
//	  "media":     [MediaInfos entries exactly as BatchGetMediaInfos returns
//	                them: {"MediaId","MediaInfo","MezzanineInfo","PlayInfoList"}],
//	  "forbidden": ["media IDs answered as ForbiddenMediaIds"],
//	  "categories": [{"CateId","CateName","ParentId","Level","Type"}, ...]
//	}
//
// Every key is optional. Categories are listed in creation order (see
// Category for the rules of the tree).
type Catalog struct {
	images       []map[string]any
	imageIndex   map[string]int // ImageId -> index for imageAt
	media        []map[string]any
	mediaIndex   map[string]int // MediaId -> index for mediaAt
	refIndex     map[string]int // MediaInfo.ReferenceId -> media index
	forbidden    []string
	forbiddenSet map[string]bool
	categories   []Category
	cateIndex    map[int64]int
	children     map[int64][]int // ParentID (-1: the root) -> category indexes, in catalog order
	synth        *synthetic      // generated assets after the loaded ones; nil: none
	search       searchIndex
}

type catalogFile struct {
	Images     []json.RawMessage `json:"images"`
	Media      []json.RawMessage `json:"media"`
	Forbidden  []json.RawMessage `json:"forbidden"`
	Categories []json.RawMessage `json:"categories"`
}

// DemoCatalog returns the embedded demo catalog: the images and media of a
// fictional media team (launch keynote, a cooking series, a podcast, city
// b-roll, customer stories, training), covering every image type and
// status, video and audio, HDR and SDR, encrypted and clear streams, every
// definition, every media status and several storage classes.
func DemoCatalog() *Catalog {
	c, err := LoadCatalog(bytes.NewReader(demoCatalogJSON))
	if err != nil {
		panic("emulator: embedded demo catalog: " + err.Error())
	}
	return c
}

// LoadCatalog reads a catalog (see Catalog for the format). It is strict on
// structure: unknown top-level keys, entries that are not objects, missing
// or duplicate ImageId / MediaId / ReferenceId / CateId, fields of the
// wrong JSON type and categories out of place in the tree are errors
// naming the entry.
func LoadCatalog(r io.Reader) (*Catalog, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f catalogFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("load catalog: unexpected data after the catalog object")
	}
	c := &Catalog{
		imageIndex:   make(map[string]int),
		mediaIndex:   make(map[string]int),
		refIndex:     make(map[string]int),
		forbiddenSet: make(map[string]bool),
	}
	for i, raw := range f.Images {
		m, err := c.addImage(i, raw)
		if err != nil {
			return nil, fmt.Errorf("load catalog: images[%d]%s: %w", i, idSuffix(m, "ImageId"), err)
		}
	}
	for i, raw := range f.Media {
		m, err := c.addMedia(i, raw)
		if err != nil {
			return nil, fmt.Errorf("load catalog: media[%d]%s: %w", i, idSuffix(m, "MediaId"), err)
		}
	}
	for i, raw := range f.Forbidden {
		var id string
		if err := json.Unmarshal(raw, &id); err != nil || id == "" {
			return nil, fmt.Errorf("load catalog: forbidden[%d]: want a non-empty media ID string, got %s", i, raw)
		}
		if c.forbiddenSet[id] {
			return nil, fmt.Errorf("load catalog: forbidden[%d]: duplicate ID %q", i, id)
		}
		c.forbiddenSet[id] = true
		c.forbidden = append(c.forbidden, id)
	}
	if err := c.loadCategories(f.Categories); err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	c.search = c.buildSearchIndex()
	return c, nil
}

func idSuffix(m map[string]any, field string) string {
	if id, ok := m[field].(string); ok && id != "" {
		return fmt.Sprintf(" (%s %q)", field, id)
	}
	return ""
}

func decodeObject(raw json.RawMessage) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object, got %s", jsonKind(v))
	}
	return m, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// field checks the type of an optional field: kind is "string", "object",
// "array" or "number" (a JSON number or a numeric string).
func field(m map[string]any, name, kind string) error {
	v, ok := m[name]
	if !ok {
		return nil
	}
	good := false
	switch kind {
	case "string":
		_, good = v.(string)
	case "object":
		_, good = v.(map[string]any)
	case "array":
		_, good = v.([]any)
	case "number":
		_, good = numberOf(v)
	}
	if !good {
		return fmt.Errorf("%s: want %s, got %s", name, kind, jsonKind(v))
	}
	return nil
}

func checkFields(m map[string]any, prefix string, kinds map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(kinds)) {
		if err := field(m, name, kinds[name]); err != nil {
			return fmt.Errorf("%s%w", prefix, err)
		}
	}
	return nil
}

// numberOf reads a JSON number or a numeric string.
func numberOf(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(n, 64)
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}

func requiredID(m map[string]any, name string) (string, error) {
	v, ok := m[name]
	if !ok {
		return "", fmt.Errorf("missing %s", name)
	}
	id, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want string, got %s", name, jsonKind(v))
	}
	if id == "" {
		return "", fmt.Errorf("empty %s", name)
	}
	return id, nil
}

func (c *Catalog) addImage(i int, raw json.RawMessage) (map[string]any, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	id, err := requiredID(m, "ImageId")
	if err != nil {
		return m, err
	}
	if first, dup := c.imageIndex[id]; dup {
		return m, fmt.Errorf("duplicate ImageId, first at images[%d]", first)
	}
	if err := checkFields(m, "", map[string]string{
		"URL": "string", "Mezzanine": "object", "ImageType": "string", "Status": "string", "Title": "string",
		"CateId": "number", "CateName": "string", "Tags": "string", "CreationTime": "string", "StorageLocation": "string",
	}); err != nil {
		return m, err
	}
	if mz, ok := m["Mezzanine"].(map[string]any); ok {
		if err := checkFields(mz, "Mezzanine.", map[string]string{
			"FileURL": "string", "Width": "number", "Height": "number", "OriginalFileName": "string",
		}); err != nil {
			return m, err
		}
	}
	c.imageIndex[id] = i
	c.images = append(c.images, m)
	return m, nil
}

func (c *Catalog) addMedia(i int, raw json.RawMessage) (map[string]any, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	id, err := requiredID(m, "MediaId")
	if err != nil {
		return m, err
	}
	if first, dup := c.mediaIndex[id]; dup {
		return m, fmt.Errorf("duplicate MediaId, first at media[%d]", first)
	}
	info, ok := m["MediaInfo"].(map[string]any)
	if !ok {
		if _, present := m["MediaInfo"]; present {
			return m, fmt.Errorf("MediaInfo: want object, got %s", jsonKind(m["MediaInfo"]))
		}
		return m, errors.New("missing MediaInfo")
	}
	if err := checkFields(m, "", map[string]string{"MezzanineInfo": "object", "PlayInfoList": "array"}); err != nil {
		return m, err
	}
	if err := checkFields(info, "MediaInfo.", map[string]string{
		"MediaId": "string", "CoverURL": "string", "Snapshots": "array", "SpriteSnapshots": "array", "ReferenceId": "string",
		"Status": "string", "Title": "string", "CateId": "number", "CateName": "string", "Tags": "string",
		"CreationTime": "string", "StorageLocation": "string",
	}); err != nil {
		return m, err
	}
	if got, ok := info["MediaId"].(string); ok && got != id {
		return m, fmt.Errorf("MediaInfo.MediaId %q differs from MediaId", got)
	}
	for _, list := range []string{"Snapshots", "SpriteSnapshots"} {
		for j, s := range asArray(info[list]) {
			if _, ok := s.(string); !ok {
				return m, fmt.Errorf("MediaInfo.%s[%d]: want string, got %s", list, j, jsonKind(s))
			}
		}
	}
	if mz, ok := m["MezzanineInfo"].(map[string]any); ok {
		if err := checkFields(mz, "MezzanineInfo.", map[string]string{
			"MediaId": "string", "FileURL": "string", "FileName": "string", "Width": "number", "Height": "number",
			"VideoStreamList": "array", "AudioStreamList": "array",
		}); err != nil {
			return m, err
		}
		if got, ok := mz["MediaId"].(string); ok && got != id {
			return m, fmt.Errorf("MezzanineInfo.MediaId %q differs from MediaId", got)
		}
	}
	jobs := map[string]int{}
	for j, p := range asArray(m["PlayInfoList"]) {
		pi, ok := p.(map[string]any)
		if !ok {
			return m, fmt.Errorf("PlayInfoList[%d]: want object, got %s", j, jsonKind(p))
		}
		if err := checkFields(pi, fmt.Sprintf("PlayInfoList[%d].", j), map[string]string{
			"PlayURL": "string", "JobId": "string", "Format": "string", "Definition": "string", "StreamType": "string",
		}); err != nil {
			return m, err
		}
		if job, _ := pi["JobId"].(string); job != "" {
			if first, dup := jobs[job]; dup {
				return m, fmt.Errorf("PlayInfoList[%d]: duplicate JobId %q, first at PlayInfoList[%d]", j, job, first)
			}
			jobs[job] = j
		}
	}
	if ref, _ := info["ReferenceId"].(string); ref != "" {
		if first, dup := c.refIndex[ref]; dup {
			return m, fmt.Errorf("duplicate MediaInfo.ReferenceId %q, first at media[%d]", ref, first)
		}
		c.refIndex[ref] = i
	}
	c.mediaIndex[id] = i
	c.media = append(c.media, m)
	return m, nil
}

func asArray(v any) []any {
	a, _ := v.([]any)
	return a
}

// ImageIDs returns the image IDs in catalog order, synthetic images last.
func (c *Catalog) ImageIDs() []string {
	out := make([]string, len(c.images), c.imageCount())
	for i, m := range c.images {
		out[i] = m["ImageId"].(string)
	}
	if c.synth != nil {
		out = append(out, c.synth.ids[synthImage]...)
	}
	return out
}

// MediaIDs returns the IDs of the catalog's media entries in catalog order,
// synthetic videos and then synthetic audio last (the forbidden IDs are
// listed separately by ForbiddenIDs).
func (c *Catalog) MediaIDs() []string {
	out := make([]string, len(c.media), c.mediaCount())
	for i, m := range c.media {
		out[i] = m["MediaId"].(string)
	}
	if c.synth != nil {
		out = append(out, c.synth.ids[synthVideo]...)
		out = append(out, c.synth.ids[synthAudio]...)
	}
	return out
}

func (c *Catalog) imageCount() int {
	if c.synth == nil {
		return len(c.images)
	}
	return len(c.images) + len(c.synth.ids[synthImage])
}

func (c *Catalog) mediaCount() int {
	if c.synth == nil {
		return len(c.media)
	}
	return len(c.media) + len(c.synth.ids[synthVideo]) + len(c.synth.ids[synthAudio])
}

// imageAt returns the image at index i of imageIndex: a loaded entry, or a
// synthetic one generated on the spot.
func (c *Catalog) imageAt(i int) map[string]any {
	if i < len(c.images) {
		return c.images[i]
	}
	return c.synth.entry(synthImage, i-len(c.images))
}

// mediaAt is imageAt for media: loaded entries, then synthetic videos,
// then synthetic audio.
func (c *Catalog) mediaAt(i int) map[string]any {
	if i < len(c.media) {
		return c.media[i]
	}
	i -= len(c.media)
	if n := len(c.synth.ids[synthVideo]); i >= n {
		return c.synth.entry(synthAudio, i-n)
	}
	return c.synth.entry(synthVideo, i)
}

// ReferenceIDs returns the media reference IDs (MediaInfo.ReferenceId) in
// catalog order.
func (c *Catalog) ReferenceIDs() []string {
	var out []string
	for _, m := range c.media {
		if ref, _ := m["MediaInfo"].(map[string]any)["ReferenceId"].(string); ref != "" {
			out = append(out, ref)
		}
	}
	return out
}

// ForbiddenIDs returns the media IDs answered as ForbiddenMediaIds.
func (c *Catalog) ForbiddenIDs() []string { return slices.Clone(c.forbidden) }

// ImageEntry returns the catalog's ImageInfo object for id as JSON, with
// the catalog's original URLs, and whether the image exists.
func (c *Catalog) ImageEntry(id string) (json.RawMessage, bool) {
	m, ok := c.image(id)
	if !ok {
		return nil, false
	}
	return marshal(m), true
}

// MediaEntry returns the catalog's MediaInfos entry for id as JSON, with
// the catalog's original URLs, and whether the media exists.
func (c *Catalog) MediaEntry(id string) (json.RawMessage, bool) {
	m, ok := c.mediaEntry(id)
	if !ok {
		return nil, false
	}
	return marshal(m), true
}

func (c *Catalog) image(id string) (map[string]any, bool) {
	i, ok := c.imageIndex[id]
	if !ok {
		return nil, false
	}
	return c.imageAt(i), true
}

func (c *Catalog) mediaEntry(id string) (map[string]any, bool) {
	i, ok := c.mediaIndex[id]
	if !ok {
		return nil, false
	}
	return c.mediaAt(i), true
}

// deepCopy copies a decoded JSON value so a response can be rewritten
// without touching the catalog.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = deepCopy(x)
		}
		return a
	}
	return v
}
