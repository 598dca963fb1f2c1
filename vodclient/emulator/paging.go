package emulator

import (
	"fmt"
	"net/url"
	"strconv"
)

// Paging limits shared by SearchMedia and GetCategories.
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// Sort orders of SortBy.
const (
	sortDesc = "CreationTime:Desc"
	sortAsc  = "CreationTime:Asc"
)

// parsePaging reads PageNo (default 1) and PageSize (default 10, at most
// 100).
func parsePaging(p url.Values) (pageNo, pageSize int, aerr *apiError) {
	pageNo, pageSize = 1, defaultPageSize
	if v := p.Get("PageNo"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 {
			return 0, 0, errInvalid("PageNo", "It must be an integer of at least 1.")
		}
		pageNo = int(n)
	}
	if v := p.Get("PageSize"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 || n > maxPageSize {
			return 0, 0, errInvalid("PageSize", fmt.Sprintf("It must be an integer from 1 to %d.", maxPageSize))
		}
		pageSize = int(n)
	}
	return pageNo, pageSize, nil
}

// parseSortBy reads SortBy: CreationTime:Desc (the default) or
// CreationTime:Asc.
func parseSortBy(p url.Values) (string, *apiError) {
	switch v := p.Get("SortBy"); v {
	case "":
		return sortDesc, nil
	case sortDesc, sortAsc:
		return v, nil
	}
	return "", errInvalid("SortBy", "Valid values: "+sortDesc+", "+sortAsc+".")
}

// pageOf returns the bounds [from, to) of n items that a page covers,
// starting at offset start, clamped to n.
func pageOf(n, start, pageNo, pageSize int) (from, to int) {
	from = min(start+(pageNo-1)*pageSize, n)
	return from, min(from+pageSize, n)
}
