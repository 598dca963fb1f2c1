package vodclient

import (
	"context"
	"fmt"
	"strconv"
)

// RootCategory is the parent ID that asks GetCategories for the level-0
// categories.
const RootCategory = -1

// Category types.
const (
	CategoryDefault  = "default"  // audio, video and image categories
	CategoryMaterial = "material" // auxiliary media
)

// Limits of the category tree.
const (
	// MaxCategoryLevels is how deep categories nest (Level 0 to 2).
	MaxCategoryLevels = 3
	// maxCategoryPage is GetCategories' largest PageSize, and the most
	// children a category can have.
	maxCategoryPage = 100
	// maxCategoryPages bounds the pages read of one level, in case an
	// answer's SubTotal is wrong.
	maxCategoryPages = 10
)

// Category is one category as GetCategories returns it.
type Category struct {
	CateID   Int    `json:"CateId"`
	CateName string `json:"CateName"`
	Level    Int    `json:"Level"`
	ParentID Int    `json:"ParentId"`
	// SubTotal is the number of the category's own subcategories.
	SubTotal Int    `json:"SubTotal"`
	Type     string `json:"Type"`
}

type getCategoriesResponse struct {
	RequestID     string   `json:"RequestId"`
	SubTotal      Int      `json:"SubTotal"`
	Category      Category `json:"Category"`
	SubCategories struct {
		Category []Category `json:"Category"`
	} `json:"SubCategories"`
}

// GetCategories returns the subcategories of parentID (RootCategory for
// the level-0 ones) of type typ ("" means CategoryDefault), reading every
// page of 100 (GetCategories).
func (c *Client) GetCategories(ctx context.Context, parentID int64, typ string) ([]Category, error) {
	if typ == "" {
		typ = CategoryDefault
	}
	if typ != CategoryDefault && typ != CategoryMaterial {
		return nil, invalidArgument("category type %q: want default or material", typ)
	}
	var out []Category
	for page := 1; page <= maxCategoryPages; page++ {
		var resp getCategoriesResponse
		err := c.call(ctx, "GetCategories", map[string]string{
			"CateId":   strconv.FormatInt(parentID, 10),
			"Type":     typ,
			"PageNo":   strconv.Itoa(page),
			"PageSize": strconv.Itoa(maxCategoryPage),
			"SortBy":   "CreationTime:Asc",
		}, &resp)
		if err != nil {
			return nil, fmt.Errorf("get categories of %d: %w", parentID, err)
		}
		out = append(out, resp.SubCategories.Category...)
		if len(resp.SubCategories.Category) < maxCategoryPage || int64(len(out)) >= int64(resp.SubTotal) {
			break
		}
	}
	return out, nil
}

// CategoryNode is a category with its subcategories.
type CategoryNode struct {
	Category
	Children []CategoryNode
}

// CategoryTree returns the whole tree of default categories: the level-0
// categories with their descendants, at most three levels. It makes one
// GetCategories call for the root and one for each category of levels 0
// and 1 that has subcategories (its SubTotal), those of a level
// concurrently, all within the account's rate limit.
func (c *Client) CategoryTree(ctx context.Context) ([]CategoryNode, error) {
	roots, err := c.GetCategories(ctx, RootCategory, CategoryDefault)
	if err != nil {
		return nil, fmt.Errorf("category tree: %w", err)
	}
	tree := categoryNodes(roots)
	level := parents(tree)
	for depth := 1; depth < MaxCategoryLevels && len(level) > 0; depth++ {
		errs := eachChunk(ctx, len(level), c.cfg.Concurrency, func(ctx context.Context, i int) error {
			kids, err := c.GetCategories(ctx, int64(level[i].CateID), CategoryDefault)
			level[i].Children = categoryNodes(kids)
			return err
		})
		if err := firstError(errs); err != nil {
			return nil, fmt.Errorf("category tree: %w", err)
		}
		var next []*CategoryNode
		for _, n := range level {
			next = append(next, parents(n.Children)...)
		}
		level = next
	}
	return tree, nil
}

// parents are the nodes whose SubTotal says they have subcategories: only
// they are worth a call.
func parents(nodes []CategoryNode) []*CategoryNode {
	var out []*CategoryNode
	for i := range nodes {
		if nodes[i].SubTotal > 0 {
			out = append(out, &nodes[i])
		}
	}
	return out
}

func categoryNodes(cats []Category) []CategoryNode {
	nodes := make([]CategoryNode, len(cats))
	for i, cat := range cats {
		nodes[i] = CategoryNode{Category: cat}
	}
	return nodes
}
