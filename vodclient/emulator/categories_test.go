package emulator

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestLoadCatalogCategories(t *testing.T) {
	cats := func(entries ...string) string { return `{"categories": [` + strings.Join(entries, ",") + `]}` }
	root := `{"CateId": 1, "CateName": "Root", "ParentId": -1, "Level": 0}`
	tests := []struct {
		name, json string
		wantErr    string // substring; "" means success
	}{
		{"none", `{"categories": []}`, ""},
		{"three levels", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 1}`, `{"CateId": 3, "CateName": "B", "ParentId": 2, "Level": 2, "Type": "default", "SubTotal": 0}`), ""},
		{"child before parent", cats(`{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 1}`, root), ""},
		{"not an object", cats(`7`), "categories[0]: want a JSON object, got a number"},
		{"missing CateId", cats(`{"CateName": "x", "ParentId": -1, "Level": 0}`), "categories[0]: missing CateId"},
		{"string CateId", cats(`{"CateId": "1", "CateName": "x", "ParentId": -1, "Level": 0}`), "categories[0]: CateId: want an integer, got a string"},
		{"fractional CateId", cats(`{"CateId": 1.5, "CateName": "x", "ParentId": -1, "Level": 0}`), "CateId: want an integer, got 1.5"},
		{"negative CateId", cats(`{"CateId": -1, "CateName": "x", "ParentId": -1, "Level": 0}`), "CateId -1: want a positive integer"},
		{"missing ParentId", cats(`{"CateId": 1, "CateName": "x", "Level": 0}`), "categories[0] (CateId 1): missing ParentId"},
		{"missing Level", cats(`{"CateId": 1, "CateName": "x", "ParentId": -1}`), "categories[0] (CateId 1): missing Level"},
		{"empty name", cats(`{"CateId": 1, "CateName": "", "ParentId": -1, "Level": 0}`), "CateName: want a non-empty string"},
		{"bad Type", cats(`{"CateId": 1, "CateName": "x", "ParentId": -1, "Level": 0, "Type": "video"}`), `Type: want "default" or "material", got "video"`},
		{"unknown field", cats(`{"CateId": 1, "CateName": "x", "ParentId": -1, "Level": 0, "Parent": 3}`), `categories[0] (CateId 1): unknown field "Parent"`},
		{"duplicate CateId", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 1}`, `{"CateId": 1, "CateName": "again", "ParentId": -1, "Level": 0}`), "categories[2] (CateId 1): duplicate CateId, first at categories[0]"},
		{"unknown parent", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 9, "Level": 1}`), "categories[1] (CateId 2): ParentId 9 is not a category"},
		{"level 0 with a parent", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 0}`), "categories[1] (CateId 2): ParentId 1: a level-0 category has ParentId -1"},
		{"level skipped", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 2}`), "categories[1] (CateId 2): Level 2, want 1"},
		{"fourth level", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 1}`, `{"CateId": 3, "CateName": "B", "ParentId": 2, "Level": 2}`, `{"CateId": 4, "CateName": "C", "ParentId": 3, "Level": 3}`), "categories[3] (CateId 4): Level 3: categories have at most three levels"},
		{"type differs from parent", cats(root, `{"CateId": 2, "CateName": "A", "ParentId": 1, "Level": 1, "Type": "material"}`), `Type "material" differs from its parent's "default"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCatalog(strings.NewReader(tt.json))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("LoadCatalog: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}

	// At most 100 children per parent, the root included.
	many := func(n int, parent string) string {
		var entries []string
		if parent != "-1" {
			entries = append(entries, root)
		}
		level := map[bool]int{true: 0, false: 1}[parent == "-1"]
		for i := range n {
			entries = append(entries, fmt.Sprintf(`{"CateId": %d, "CateName": "c%d", "ParentId": %s, "Level": %d}`, 100+i, i, parent, level))
		}
		return cats(entries...)
	}
	for _, parent := range []string{"-1", "1"} {
		if _, err := LoadCatalog(strings.NewReader(many(100, parent))); err != nil {
			t.Errorf("100 children of %s: %v", parent, err)
		}
		if _, err := LoadCatalog(strings.NewReader(many(101, parent))); err == nil || !strings.Contains(err.Error(), "more than 100 categories under ParentId "+parent) {
			t.Errorf("101 children of %s: %v", parent, err)
		}
	}
}

func TestCatalogCategories(t *testing.T) {
	got := loadSearchCatalog(t).Categories()
	want := []Category{
		{100, "Marketing", -1, 0, "default"},
		{110, "Launches", 100, 1, "default"},
		{111, "Keynotes", 110, 2, "default"},
		{200, "Training", -1, 0, "default"},
		{120, "Social", 100, 1, "default"},
		{900, "Materials", -1, 0, "material"},
		{910, "Fonts", 900, 1, "material"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Categories() = %+v", got)
	}
	got[0].CateName = "changed"
	if loadSearchCatalog(t).Categories()[0].CateName != "Marketing" {
		t.Error("Categories shares its slice")
	}
}

// subCats lists "CateId:SubTotal" of a GetCategories answer.
func subCats(body map[string]any) []string {
	out := []string{}
	for _, c := range list(obj(body["SubCategories"])["Category"]) {
		out = append(out, str(obj(c)["CateId"])+":"+str(obj(c)["SubTotal"]))
	}
	return out
}

func TestGetCategories(t *testing.T) {
	_, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	tests := []struct {
		q        url.Values
		parent   string // the Category object as "CateId/Level/ParentId/Type"; "" for none
		subTotal string
		want     []string
	}{
		// The root: level-0 categories, newest (last in the catalog) first.
		{url.Values{}, "", "2", []string{"200:0", "100:2"}},
		{url.Values{"CateId": {"-1"}, "SortBy": {"CreationTime:Asc"}}, "", "2", []string{"100:2", "200:0"}},
		{url.Values{"CateId": {"-1"}, "Type": {"material"}}, "", "1", []string{"900:1"}},
		// Level 1 and 2.
		{url.Values{"CateId": {"100"}}, "100/0/-1/default", "2", []string{"120:0", "110:1"}},
		{url.Values{"CateId": {"100"}, "SortBy": {"CreationTime:Asc"}}, "100/0/-1/default", "2", []string{"110:1", "120:0"}},
		{url.Values{"CateId": {"110"}}, "110/1/100/default", "1", []string{"111:0"}},
		{url.Values{"CateId": {"111"}}, "111/2/110/default", "0", []string{}},
		{url.Values{"CateId": {"900"}, "Type": {"material"}}, "900/0/-1/material", "1", []string{"910:0"}},
		// Type filters the children; the parent is answered regardless.
		{url.Values{"CateId": {"900"}}, "900/0/-1/material", "0", []string{}},
		// Paging: SubTotal counts every child.
		{url.Values{"PageSize": {"1"}}, "", "2", []string{"200:0"}},
		{url.Values{"PageSize": {"1"}, "PageNo": {"2"}}, "", "2", []string{"100:2"}},
		{url.Values{"PageSize": {"1"}, "PageNo": {"3"}}, "", "2", []string{}},
		{url.Values{"CateId": {"100"}, "PageSize": {"100"}, "PageNo": {"1"}}, "100/0/-1/default", "2", []string{"120:0", "110:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.q.Encode(), func(t *testing.T) {
			status, body := api(t, srv, "GetCategories", tt.q)
			if status != 200 {
				t.Fatalf("%d %v", status, body)
			}
			if str(body["RequestId"]) == "" || str(body["SubTotal"]) != tt.subTotal {
				t.Errorf("RequestId %v, SubTotal %v, want %s", body["RequestId"], body["SubTotal"], tt.subTotal)
			}
			if got := subCats(body); !slices.Equal(got, tt.want) {
				t.Errorf("SubCategories %v, want %v", got, tt.want)
			}
			parent, has := body["Category"]
			switch {
			case tt.parent == "" && has:
				t.Errorf("Category %v for the root", parent)
			case tt.parent != "":
				p := obj(parent)
				got := fmt.Sprintf("%s/%s/%s/%s", str(p["CateId"]), str(p["Level"]), str(p["ParentId"]), str(p["Type"]))
				if got != tt.parent || str(p["CateName"]) == "" {
					t.Errorf("Category %v, want %s", p, tt.parent)
				}
				if _, ok := p["SubTotal"]; ok {
					t.Error("the parent carries a SubTotal")
				}
			}
		})
	}

	// Each child carries every field.
	_, body := api(t, srv, "GetCategories", url.Values{"CateId": {"110"}})
	child := obj(list(obj(body["SubCategories"])["Category"])[0])
	want := map[string]string{"CateId": "111", "CateName": "Keynotes", "Level": "2", "ParentId": "110", "SubTotal": "0", "Type": "default"}
	for k, v := range want {
		if str(child[k]) != v {
			t.Errorf("child %s = %v, want %s", k, child[k], v)
		}
	}
	if len(child) != len(want) {
		t.Errorf("child %v", child)
	}

	// A catalog without categories has an empty root.
	empty, err := LoadCatalog(strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	_, srv2, _ := newSearchServer(t, empty)
	if status, body := api(t, srv2, "GetCategories", url.Values{}); status != 200 || str(body["SubTotal"]) != "0" || len(subCats(body)) != 0 {
		t.Errorf("empty catalog: %d %v", status, body)
	}
}

func TestGetCategoriesErrors(t *testing.T) {
	_, srv, _ := newSearchServer(t, loadSearchCatalog(t))
	tests := []struct {
		q          url.Values
		wantStatus int
		wantCode   string
		wantIn     string
	}{
		{url.Values{"CateId": {"999"}}, 404, "InvalidCateId.NotFound", "The specified CateId does not exist."},
		{url.Values{"CateId": {"-2"}}, 404, "InvalidCateId.NotFound", "CateId"},
		{url.Values{"CateId": {"abc"}}, 400, "InvalidParameter", `"CateId"`},
		{url.Values{"PageSize": {"101"}}, 400, "InvalidParameter", `"PageSize"`},
		{url.Values{"PageNo": {"0"}}, 400, "InvalidParameter", `"PageNo"`},
		{url.Values{"SortBy": {"Name"}}, 400, "InvalidParameter", `"SortBy"`},
		{url.Values{"Type": {"video"}}, 400, "InvalidParameter", `"Type"`},
	}
	for _, tt := range tests {
		t.Run(tt.q.Encode(), func(t *testing.T) {
			status, body := api(t, srv, "GetCategories", tt.q)
			if status != tt.wantStatus || str(body["Code"]) != tt.wantCode || !strings.Contains(str(body["Message"]), tt.wantIn) {
				t.Errorf("%d %v, want %d %s mentioning %s", status, body, tt.wantStatus, tt.wantCode, tt.wantIn)
			}
		})
	}
}
