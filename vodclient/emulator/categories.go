package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// Category limits of the real service.
const (
	maxCategoryLevel    = 2 // levels 0, 1 and 2
	maxCategoryChildren = 100
	rootCateID          = -1 // the ParentId of level-0 categories
)

// Category is a media category, as GetCategories describes it. Categories
// form a tree of at most three levels: level-0 categories have ParentID -1,
// every other category is one level below its parent and of its parent's
// Type.
type Category struct {
	CateID   int64  `json:"CateId"`
	CateName string `json:"CateName"`
	ParentID int64  `json:"ParentId"`
	Level    int    `json:"Level"`
	Type     string `json:"Type"` // "default" (audio, video, images) or "material"
}

// Categories returns the catalog's categories in catalog order, which is
// their creation order.
func (c *Catalog) Categories() []Category { return slices.Clone(c.categories) }

// categoryKey reports whether a category entry may have the key k;
// SubTotal, as a saved GetCategories answer carries it, is ignored (it is
// computed).
func categoryKey(k string) bool {
	switch k {
	case "CateId", "CateName", "ParentId", "Level", "Type", "SubTotal":
		return true
	}
	return false
}

// loadCategories decodes and checks the "categories" list: each entry on
// its own first, then the tree.
func (c *Catalog) loadCategories(raws []json.RawMessage) error {
	c.cateIndex = make(map[int64]int, len(raws))
	c.children = make(map[int64][]int)
	for i, raw := range raws {
		cat, err := decodeCategory(raw)
		if err != nil {
			return fmt.Errorf("categories[%d]%s: %w", i, cateSuffix(cat), err)
		}
		if first, dup := c.cateIndex[cat.CateID]; dup {
			return fmt.Errorf("categories[%d]%s: duplicate CateId, first at categories[%d]", i, cateSuffix(cat), first)
		}
		c.cateIndex[cat.CateID] = i
		c.categories = append(c.categories, cat)
	}
	for i, cat := range c.categories {
		if err := c.checkPlace(cat); err != nil {
			return fmt.Errorf("categories[%d]%s: %w", i, cateSuffix(cat), err)
		}
		c.children[cat.ParentID] = append(c.children[cat.ParentID], i)
		if n := len(c.children[cat.ParentID]); n > maxCategoryChildren {
			return fmt.Errorf("categories[%d]%s: more than %d categories under ParentId %d", i, cateSuffix(cat), maxCategoryChildren, cat.ParentID)
		}
	}
	return nil
}

func cateSuffix(cat Category) string {
	if cat.CateID == 0 {
		return ""
	}
	return fmt.Sprintf(" (CateId %d)", cat.CateID)
}

func decodeCategory(raw json.RawMessage) (Category, error) {
	var cat Category
	m, err := decodeObject(raw)
	if err != nil {
		return cat, err
	}
	integer := func(name string) (int64, error) {
		v, ok := m[name]
		if !ok {
			return 0, fmt.Errorf("missing %s", name)
		}
		n, isNum := v.(json.Number)
		if !isNum {
			return 0, fmt.Errorf("%s: want an integer, got %s", name, jsonKind(v))
		}
		i, err := n.Int64()
		if err != nil {
			return 0, fmt.Errorf("%s: want an integer, got %s", name, n)
		}
		return i, nil
	}
	if cat.CateID, err = integer("CateId"); err != nil {
		return cat, err
	}
	if cat.CateID <= 0 {
		return cat, fmt.Errorf("CateId %d: want a positive integer", cat.CateID)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !categoryKey(k) {
			return cat, fmt.Errorf("unknown field %q", k)
		}
	}
	if cat.ParentID, err = integer("ParentId"); err != nil {
		return cat, err
	}
	level, err := integer("Level")
	if err != nil {
		return cat, err
	}
	if level < 0 || level > maxCategoryLevel {
		return cat, fmt.Errorf("Level %d: categories have at most three levels (0 to %d)", level, maxCategoryLevel)
	}
	cat.Level = int(level)
	name, ok := m["CateName"].(string)
	if !ok || name == "" {
		return cat, fmt.Errorf("CateName: want a non-empty string, got %s", jsonKind(m["CateName"]))
	}
	cat.CateName = name
	cat.Type = "default"
	if v, ok := m["Type"]; ok {
		t, _ := v.(string)
		if t != "default" && t != "material" {
			return cat, fmt.Errorf(`Type: want "default" or "material", got %s`, describe(v))
		}
		cat.Type = t
	}
	return cat, nil
}

// describe quotes a string and names the kind of anything else.
func describe(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return jsonKind(v)
}

// checkPlace checks a category against its parent.
func (c *Catalog) checkPlace(cat Category) error {
	if cat.Level == 0 {
		if cat.ParentID != rootCateID {
			return fmt.Errorf("ParentId %d: a level-0 category has ParentId -1", cat.ParentID)
		}
		return nil
	}
	pi, ok := c.cateIndex[cat.ParentID]
	if !ok {
		return fmt.Errorf("ParentId %d is not a category", cat.ParentID)
	}
	parent := c.categories[pi]
	if cat.Level != parent.Level+1 {
		return fmt.Errorf("Level %d, want %d: one below its parent's", cat.Level, parent.Level+1)
	}
	if cat.Type != parent.Type {
		return fmt.Errorf("Type %q differs from its parent's %q", cat.Type, parent.Type)
	}
	return nil
}

// categoryJSON is a category as GetCategories answers it.
type categoryJSON struct {
	CateId   int64
	CateName string
	Level    int
	ParentId int64
	SubTotal *int `json:",omitempty"` // children only
	Type     string
}

type getCategoriesResponse struct {
	RequestId     string
	SubTotal      int
	Category      *categoryJSON `json:",omitempty"`
	SubCategories struct {
		Category []categoryJSON
	}
}

var errCategoryNotFound = &apiError{http.StatusNotFound, "InvalidCateId.NotFound", "The specified CateId does not exist."}

// getCategories answers GetCategories(CateId, PageNo, PageSize, SortBy,
// Type): the parent (omitted for -1, the root) and a page of its children
// of that Type, oldest first with SortBy CreationTime:Asc. Catalog order is
// creation order.
func (e *Emulator) getCategories(req *apiRequest, requestID string) (any, *apiError) {
	p := req.params
	parent := int64(rootCateID)
	if v := p.Get("CateId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, errInvalid("CateId", "It must be an integer; -1 asks for the level-0 categories.")
		}
		parent = n
	}
	pageNo, pageSize, aerr := parsePaging(p)
	if aerr != nil {
		return nil, aerr
	}
	sortBy, aerr := parseSortBy(p)
	if aerr != nil {
		return nil, aerr
	}
	typ := cmpOr(p.Get("Type"), "default")
	if typ != "default" && typ != "material" {
		return nil, errInvalid("Type", "Valid values: default, material.")
	}
	c := e.catalog
	resp := getCategoriesResponse{RequestId: requestID}
	if parent != rootCateID {
		i, ok := c.cateIndex[parent]
		if !ok {
			return nil, errCategoryNotFound
		}
		resp.Category = c.categoryJSON(i, false)
	}
	var kids []int
	for _, i := range c.children[parent] {
		if c.categories[i].Type == typ {
			kids = append(kids, i)
		}
	}
	if sortBy == sortDesc {
		slices.Reverse(kids)
	}
	resp.SubTotal = len(kids)
	from, to := pageOf(len(kids), 0, pageNo, pageSize)
	resp.SubCategories.Category = []categoryJSON{}
	for _, i := range kids[from:to] {
		resp.SubCategories.Category = append(resp.SubCategories.Category, *c.categoryJSON(i, true))
	}
	return resp, nil
}

func (c *Catalog) categoryJSON(i int, withSubTotal bool) *categoryJSON {
	cat := c.categories[i]
	out := &categoryJSON{CateId: cat.CateID, CateName: cat.CateName, Level: cat.Level, ParentId: cat.ParentID, Type: cat.Type}
	if withSubTotal {
		n := len(c.children[cat.CateID])
		out.SubTotal = &n
	}
	return out
}
