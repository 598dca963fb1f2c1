package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"vodboard/views"
	"vodboard/vodclient"
)

// Limits of the library's parameters.
const (
	maxSearchText = 500
	maxTagText    = 64
	maxLibPage    = 1_000_000
)

// ParamError is a library parameter with a value the library cannot use.
// Nothing is sent upstream; the user sees which parameter and value.
type ParamError struct {
	Name, Value, Why string
}

func (e *ParamError) Error() string {
	v := e.Value
	if utf8.RuneCountInString(v) > 80 {
		v = string([]rune(v)[:77]) + "..."
	}
	return fmt.Sprintf("%s=%q: %s", e.Name, v, e.Why)
}

// Library is /library: browse and search the account's videos, audio and
// images (SearchMedia), filtered, sorted and paged as the URL says. An htmx
// request targeting #library-results gets the results alone; any other
// htmx request gets the library without the layout.
func Library(r Renderer) echo.HandlerFunc {
	return func(c echo.Context) error {
		vod := CurrentSession(c).VOD
		q, err := parseLibraryQuery(c.QueryParams())
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		tree, err := vod.CategoryTree(ctx)
		if err != nil {
			return err
		}
		sq, err := searchQuery(q, tree)
		if err != nil {
			return err
		}
		page, err := vod.SearchMedia(ctx, sq)
		if err != nil {
			return err
		}
		v := views.Library{
			Query:      q,
			Statuses:   statusesOf(q.Type),
			Categories: categoryOptions(tree),
			Total:      page.Total,
			NextCursor: page.ScrollToken,
			Window:     vodclient.SearchWindow,
		}
		for _, it := range page.Items {
			v.Items = append(v.Items, toLibraryItem(it))
		}
		p := Page{Title: "Library", Nav: views.NavLibrary, Content: views.LibraryContent(v)}
		if c.Request().Header.Get("HX-Target") == "library-results" {
			p.Fragment = views.LibraryResults(v)
		}
		if c.Request().Header.Get("HX-Request") == "true" {
			// A form GET sends its empty fields too; the address bar gets
			// the canonical URL of the view instead.
			c.Response().Header().Set("HX-Push-Url", q.URL())
		}
		return r.Render(c, http.StatusOK, p)
	}
}

// parseLibraryQuery reads and checks the parameters of /library. Unknown
// parameters are ignored; a known one given twice (status excepted) or
// with a value the library does not offer is a *ParamError.
func parseLibraryQuery(v url.Values) (views.LibraryQuery, error) {
	q := views.LibraryQuery{
		Type: views.LibraryDefaultType, Sort: views.LibraryDefaultSort,
		Page: 1, Size: views.LibraryDefaultSize, View: views.LibraryDefaultView,
	}
	one := func(name string) (string, error) {
		vals := v[name]
		switch {
		case len(vals) > 1:
			return "", &ParamError{name, strings.Join(vals, ","), "give it once"}
		case len(vals) == 0:
			return "", nil
		}
		val := strings.TrimSpace(vals[0])
		if !utf8.ValidString(val) {
			return "", &ParamError{name, val, "not valid UTF-8 text"}
		}
		return val, nil
	}
	choice := func(name string, dst *string, allowed ...string) error {
		val, err := one(name)
		if err != nil || val == "" {
			return err
		}
		if !slices.Contains(allowed, val) {
			return &ParamError{name, val, "want one of " + strings.Join(allowed, ", ")}
		}
		*dst = val
		return nil
	}
	number := func(name string, dst *int, lo, hi int) error {
		val, err := one(name)
		if err != nil || val == "" {
			return err
		}
		n, err := strconv.Atoi(val)
		if err != nil || n < lo || n > hi {
			return &ParamError{name, val, fmt.Sprintf("want a whole number from %d to %d", lo, hi)}
		}
		*dst = n
		return nil
	}
	date := func(name string, dst *string) error {
		val, err := one(name)
		if err != nil || val == "" {
			return err
		}
		if _, err := time.Parse(time.DateOnly, val); err != nil {
			return &ParamError{name, val, "want a date as YYYY-MM-DD"}
		}
		*dst = val
		return nil
	}
	text := func(name string, dst *string, limit int) error {
		val, err := one(name)
		if err != nil {
			return err
		}
		if utf8.RuneCountInString(val) > limit {
			return &ParamError{name, val, fmt.Sprintf("at most %d characters", limit)}
		}
		*dst = val
		return nil
	}
	for _, err := range []error{
		choice("type", &q.Type, "video", "audio", "image"),
		text("q", &q.Q, maxSearchText),
		text("tag", &q.Tag, maxTagText),
		date("from", &q.From),
		date("to", &q.To),
		choice("sort", &q.Sort, "newest", "oldest"),
		number("page", &q.Page, 1, maxLibPage),
		choice("view", &q.View, "grid", "list"),
	} {
		if err != nil {
			return q, err
		}
	}
	size := ""
	if err := choice("size", &size, "20", "50", "100"); err != nil {
		return q, err
	}
	if size != "" {
		q.Size, _ = strconv.Atoi(size)
	}
	cate, err := one("cate")
	if err != nil {
		return q, err
	}
	if cate != "" {
		n, err := strconv.ParseInt(cate, 10, 64)
		if err != nil || n <= 0 {
			return q, &ParamError{"cate", cate, "want a category ID (a positive number)"}
		}
		q.Cate = n
	}
	statuses := statusesOf(q.Type)
	for _, s := range v["status"] {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(statuses, s) {
			return q, &ParamError{"status", s, fmt.Sprintf("%s can be %s", views.TypeNoun(q.Type, 2), strings.Join(statuses, ", "))}
		}
		if !slices.Contains(q.Statuses, s) {
			q.Statuses = append(q.Statuses, s)
		}
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		return q, &ParamError{"to", q.To, "the end date is before the start date " + q.From}
	}
	cursor, err := one("cursor")
	if err != nil {
		return q, err
	}
	if cursor != "" {
		if q.Type == "image" {
			return q, &ParamError{"cursor", cursor, "images cannot be paged past the first 5,000 results; narrow the filters instead"}
		}
		if !vodclient.ValidScrollToken(cursor) {
			return q, &ParamError{"cursor", cursor, "not a page token vodboard handed out"}
		}
		q.Cursor = cursor
	} else if q.Page*q.Size > vodclient.SearchWindow {
		why := fmt.Sprintf("pages of %d reach the first %d results only (page %d at most); past them use Next on the last page", q.Size, vodclient.SearchWindow, vodclient.SearchWindow/q.Size)
		if q.Type == "image" {
			why = fmt.Sprintf("pages of %d reach the first %d images only (page %d at most); narrow the filters to see the rest", q.Size, vodclient.SearchWindow, vodclient.SearchWindow/q.Size)
		}
		return q, &ParamError{"page", strconv.Itoa(q.Page), why}
	}
	return q, nil
}

func statusesOf(t string) []string {
	if t == "image" {
		return vodclient.ImageStatuses
	}
	return vodclient.MediaStatuses
}

// searchQuery turns a checked library view into a SearchMedia query: the
// category filter takes in the subcategories, the dates become a
// half-open range of UTC days, and text that is a valid ID also finds that
// asset exactly.
func searchQuery(q views.LibraryQuery, tree []vodclient.CategoryNode) (vodclient.SearchQuery, error) {
	sq := vodclient.SearchQuery{
		Type:     vodclient.MediaType(q.Type),
		Title:    q.Q,
		Statuses: q.Statuses,
		PageNo:   q.Page,
		PageSize: q.Size,
	}
	if q.Sort == "oldest" {
		sq.Sort = vodclient.OldestFirst
	}
	if looksLikeID(q.Q) {
		sq.ID, sq.TitleOrID = q.Q, true
	}
	if q.Tag != "" {
		sq.Tags = []string{q.Tag}
	}
	if q.Cate != 0 {
		ids := subtree(tree, q.Cate)
		if ids == nil {
			return sq, &ParamError{"cate", strconv.FormatInt(q.Cate, 10), "no category of this account has this ID"}
		}
		sq.CategoryIDs = ids
	}
	if q.From != "" {
		sq.CreatedFrom, _ = time.Parse(time.DateOnly, q.From)
	}
	if q.To != "" {
		to, _ := time.Parse(time.DateOnly, q.To)
		sq.CreatedBefore = to.AddDate(0, 0, 1)
	}
	if q.Cursor != "" {
		// Past the window the token says where; PageNo counts from it.
		sq.ScrollToken, sq.PageNo = q.Cursor, 1
	}
	return sq, nil
}

// looksLikeID reports whether search text is a pasted asset ID (real ones
// are 32 hex digits) rather than a word of a title: an ID's shape, at least
// 16 characters, with a digit.
func looksLikeID(s string) bool {
	return len(s) >= 16 && vodclient.ValidID(s) && strings.ContainsAny(s, "0123456789")
}

// subtree returns id and the IDs of all its descendants, or nil when the
// tree has no such category.
func subtree(tree []vodclient.CategoryNode, id int64) []int64 {
	for _, n := range tree {
		if int64(n.CateID) == id {
			var out []int64
			var walk func(n vodclient.CategoryNode)
			walk = func(n vodclient.CategoryNode) {
				out = append(out, int64(n.CateID))
				for _, k := range n.Children {
					walk(k)
				}
			}
			walk(n)
			return out
		}
		if ids := subtree(n.Children, id); ids != nil {
			return ids
		}
	}
	return nil
}

// categoryOptions flattens the tree in display order.
func categoryOptions(tree []vodclient.CategoryNode) []views.CategoryOption {
	var out []views.CategoryOption
	var walk func(nodes []vodclient.CategoryNode, level int)
	walk = func(nodes []vodclient.CategoryNode, level int) {
		for _, n := range nodes {
			out = append(out, views.CategoryOption{ID: int64(n.CateID), Name: n.CateName, Level: level})
			walk(n.Children, level+1)
		}
	}
	walk(tree, 0)
	return out
}

func toLibraryItem(it vodclient.SearchItem) views.LibraryItem {
	out := views.LibraryItem{ID: it.MediaID, Type: string(it.MediaType), Created: toTimestamp(it.CreationTime)}
	media := func(r vodclient.MediaRecord) {
		out.Title, out.Status, out.CateName = r.Title, r.Status, r.CateName
		out.Tags, out.Duration, out.Size, out.StorageClass = r.TagList(), float64(r.Duration), int64(r.Size), r.StorageClass
		out.ThumbURL = r.CoverURL
		if r.CreationTime.Raw != "" {
			out.Created = toTimestamp(r.CreationTime)
		}
	}
	switch {
	case it.Video != nil:
		media(it.Video.MediaRecord)
	case it.Audio != nil:
		media(it.Audio.MediaRecord)
	case it.Image != nil:
		r := it.Image
		out.Title, out.Status, out.CateName = r.Title, r.Status, r.CateName
		out.Tags, out.ImageType, out.Ext, out.ThumbURL = r.TagList(), r.ImageType, r.Ext, r.URL
		if r.CreationTime.Raw != "" {
			out.Created = toTimestamp(r.CreationTime)
		}
	}
	return out
}
