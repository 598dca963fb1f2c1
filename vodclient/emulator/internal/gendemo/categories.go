package main

// category is a node of the demo category tree. The level-1 IDs are the
// ones the first catalog used; the tree was grown around them.
type category struct {
	id     int64
	name   string
	parent int64 // -1 at the top level
}

var (
	catMarketing  = category{1000200, "Marketing", -1}
	catLaunches   = category{1000201, "Product Launches", 1000200}
	catAuroraX1   = category{1000801, "Aurora X1", 1000201}
	catAuroraX2   = category{1000802, "Aurora X2", 1000201}
	catNimbus     = category{1000803, "Nimbus Earbuds", 1000201}
	catCustomers  = category{1000205, "Customer Stories", 1000200}
	catLogistics  = category{1000804, "Logistics", 1000205}
	catEducation  = category{1000805, "Education", 1000205}
	catRetail     = category{1000806, "Retail", 1000205}
	catCampaigns  = category{1000208, "Campaigns", 1000200}
	catSummer24   = category{1000807, "Summer Sale 2024", 1000208}
	catSinglesDay = category{1000808, "Singles' Day 2024", 1000208}
	catSpring25   = category{1000809, "Spring Refresh 2025", 1000208}
	catHoliday25  = category{1000810, "Holiday 2025", 1000208}
	catBrand      = category{1000301, "Brand Assets", 1000200}
	catSocial     = category{1000303, "Social Media", 1000200}
	catInstagram  = category{1000811, "Instagram", 1000303}
	catDouyin     = category{1000812, "Douyin", 1000303}
	catLinkedIn   = category{1000813, "LinkedIn", 1000303}

	catProductions = category{1000400, "Productions", -1}
	catCooking     = category{1000202, "Cooking Series", 1000400}
	catKTSeason1   = category{1000814, "Season 1", 1000202}
	catKTSeason2   = category{1000815, "Season 2", 1000202}
	catKTSeason3   = category{1000816, "Season 3", 1000202}
	catKTSpanish   = category{1000817, "Edición en español", 1000202}
	catPodcasts    = category{1000203, "Podcasts", 1000400}
	catRenderQueue = category{1000818, "The Render Queue", 1000203}
	catColaRender  = category{1000819, "La Cola de Render", 1000203}
	catBeyondLens  = category{1000820, "镜头之外 (Beyond the Lens)", 1000203}
	catDocs        = category{1000209, "Documentaries", 1000400}
	catMadeByHand  = category{1000821, "Made by Hand", 1000209}

	catFootage = category{1000500, "Footage", -1}
	catBroll   = category{1000204, "B-roll Library", 1000500}
	catCities  = category{1000822, "Cities", 1000204}
	catNature  = category{1000823, "Nature", 1000204}
	catAerials = category{1000824, "Aerials", 1000204}
	catSound   = category{1000306, "Sound Library", 1000500}
	catThumbs  = category{1000304, "Thumbnails", 1000500}

	catPhotography = category{1000300, "Photography", -1}
	catEvents      = category{1000302, "Event Photos", 1000300}
	catLaunch24    = category{1000825, "Launch 2024", 1000302}
	catX2Launch25  = category{1000826, "Aurora X2 Launch 2025", 1000302}
	catExpo25      = category{1000827, "Expo 2025", 1000302}
	catOffsite25   = category{1000828, "Team Offsite 2025", 1000302}
	catProductPics = category{1000305, "Product Photography", 1000300}

	catCompany    = category{1000600, "Company", -1}
	catTraining   = category{1000206, "Training", 1000600}
	catOnboarding = category{1000829, "Onboarding", 1000206}
	catSecurity   = category{1000830, "Security", 1000206}
	catCraft      = category{1000831, "Editing Craft", 1000206}
	catInternal   = category{1000207, "Internal Comms", 1000600}
	catAllHands   = category{1000832, "All-hands", 1000207}
)

// categoryTree lists every category depth first, parents before children.
var categoryTree = []category{
	catMarketing,
	catLaunches, catAuroraX1, catAuroraX2, catNimbus,
	catCustomers, catLogistics, catEducation, catRetail,
	catCampaigns, catSummer24, catSinglesDay, catSpring25, catHoliday25,
	catBrand,
	catSocial, catInstagram, catDouyin, catLinkedIn,
	catProductions,
	catCooking, catKTSeason1, catKTSeason2, catKTSeason3, catKTSpanish,
	catPodcasts, catRenderQueue, catColaRender, catBeyondLens,
	catDocs, catMadeByHand,
	catFootage,
	catBroll, catCities, catNature, catAerials,
	catSound,
	catThumbs,
	catPhotography,
	catEvents, catLaunch24, catX2Launch25, catExpo25, catOffsite25,
	catProductPics,
	catCompany,
	catTraining, catOnboarding, catSecurity, catCraft,
	catInternal, catAllHands,
}

// categoryInfo is a Category object as GetCategories returns it.
type categoryInfo struct {
	CateId   int64
	CateName string
	ParentId int64
	Level    int
	Type     string
}

func categories() []categoryInfo {
	level := map[int64]int{-1: -1}
	var out []categoryInfo
	for _, c := range categoryTree {
		parent, ok := level[c.parent]
		if !ok {
			panic("gendemo: category " + c.name + " listed before its parent")
		}
		level[c.id] = parent + 1
		out = append(out, categoryInfo{CateId: c.id, CateName: c.name, ParentId: c.parent, Level: parent + 1, Type: "default"})
	}
	return out
}
