package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Profiles: how the team shoots and delivers each kind of video.
var (
	episodeProfile = mediaSpec{
		w: 1920, h: 1080, fps: 25, langs: []string{"eng"},
		defs: []string{"LD", "SD", "HD"}, formats: []string{"m3u8", "mp4"},
	}
	uhdProfile = mediaSpec{
		w: 3840, h: 2160, fps: 25, hdr: "HLG", codec: "hevc", langs: []string{"eng"},
		defs: []string{"SD", "HD", "4K"}, formats: []string{"m3u8", "mp4"},
	}
	spotProfile = mediaSpec{
		w: 1920, h: 1080, fps: 30, dur: 30, langs: []string{"eng"},
		defs: []string{"SD", "HD"}, formats: []string{"mp4"},
	}
	verticalProfile = mediaSpec{
		w: 1080, h: 1920, fps: 30, dur: 20, langs: []string{"eng"},
		defs: []string{"LD", "SD", "HD"}, formats: []string{"mp4"},
	}
	courseProfile = mediaSpec{
		w: 1280, h: 720, fps: 30, dur: 720, langs: []string{"eng"},
		defs: []string{"FD", "LD", "SD"}, formats: []string{"m3u8"}, encrypt: "HLSEncryption", download: "off",
	}
	podcastProfile = mediaSpec{
		audio: true, dur: 2900, langs: []string{"eng"}, mezzExt: "wav",
		defs: []string{"SQ", "HQ"}, audioFormat: map[string]string{"SQ": "mp3", "HQ": "m4a"},
	}
)

func with(p mediaSpec, cat category, tags string, dur float64) mediaSpec {
	p.cat, p.tags = cat, tags
	if dur > 0 {
		p.dur = dur
	}
	return p
}

func libraryMediaSpecs() []mediaSpec {
	return slices.Concat(
		cookingSpecs(), documentarySpecs(), brollSpecs(), launchSpecs(), customerSpecs(),
		campaignSpecs(), trainingSpecs(), internalSpecs(), podcastSpecs(), soundSpecs(),
	)
}

type dish struct{ title, tags, status string }

// season numbers a season's dishes into Kitchen Table episodes.
func season(n int, cat category, start time.Time, first int, dishes []dish) []mediaSpec {
	rows := make([]row, len(dishes))
	for k, d := range dishes {
		e := first + k
		rows[k] = row{
			slug:   fmt.Sprintf("kitchen-table-s%02de%02d", n, e),
			title:  fmt.Sprintf("Kitchen Table S%dE%d: %s", n, e, d.title),
			tags:   d.tags,
			status: d.status,
		}
	}
	return run(with(episodeProfile, cat, fmt.Sprintf("kitchen-table,season-%d", n), 1560), start, 7, rows)
}

func cookingSpecs() []mediaSpec {
	s1 := season(1, catKTSeason1, date(2024, 3, 14), 7, []dish{
		{title: "Breakfast tacos for a crowd", tags: "mexican,breakfast"},
		{title: "Season finale: a dinner party for eight", tags: "dinner-party,finale"},
	})
	trailer := run(with(episodeProfile, catKTSeason1, "kitchen-table,season-1,trailer", 95), date(2024, 1, 19), 0, []row{
		{slug: "kitchen-table-s01-trailer", title: "Kitchen Table season 1: official trailer"},
	})
	s2 := season(2, catKTSeason2, date(2024, 9, 5), 1, []dish{
		{title: "Risotto, stirred and unstirred", tags: "italian,rice"},
		{title: "Tacos al pastor at home", tags: "mexican,pork"},
		{title: "The perfect omelette, three ways", tags: "french,eggs"},
		{title: "Hand-pulled noodles", tags: "chinese,noodles"},
		{title: "Paella for a crowd", tags: "spanish,rice"},
		{title: "Ramen broth in one afternoon", tags: "japanese,noodles"},
		{title: "Vegetarian Sunday: a whole roasted cauliflower", tags: "vegetarian"},
		{title: "Mapo tofu with Grandma Li", tags: "chinese,family,spicy"},
		{title: "Croissants, a three-day project", tags: "french,baking"},
		{title: "Weeknight fish in parchment", tags: "seafood,weeknight"},
		{title: "Mole negro with guest chef Ana Ruiz", tags: "mexican,guest-chef"},
		{title: "Holiday special: the big family feast", tags: "holiday,family"},
	})
	s3 := season(3, catKTSeason3, date(2025, 10, 2), 1, []dish{
		{title: "Dim sum brunch", tags: "chinese,dim-sum"},
		{title: "Fermentation 101: kimchi and sauerkraut", tags: "korean,fermentation"},
		{title: "Pizza in a home oven", tags: "italian,baking"},
		{title: "Street food of Mexico City", tags: "mexican,street-food"},
		{title: "Hot pot night", tags: "chinese,spicy"},
		{title: "Gluten-free baking that works", tags: "baking,gluten-free", status: "TranscodeFail"},
		{title: "Thai curries, red and yellow", tags: "thai"},
		{title: "Spanish tapas party", tags: "spanish,tapas", status: "Checking"},
		{title: "Sichuan pepper and the numbing heat", tags: "chinese,spicy", status: "Transcoding"},
		{title: "Season finale: the knife-skills rematch", tags: "technique,finale", status: "Uploading"},
	})
	spanish := with(episodeProfile, catKTSpanish, "kitchen-table,la-mesa,espanol", 1560)
	spanish.langs = []string{"spa"}
	es := run(spanish, date(2024, 6, 6), 30, []row{
		{slug: "la-mesa-t01e01", title: "La Mesa de Cocina T1E1: Pasta fresca desde cero", tags: "pasta,italian"},
		{slug: "la-mesa-t01e02", title: "La Mesa de Cocina T1E2: Técnicas de cuchillo para cada día", tags: "technique"},
		{slug: "la-mesa-t01e03", title: "La Mesa de Cocina T1E3: Pan de masa madre, paso a paso", tags: "baking"},
		{slug: "la-mesa-t01e04", title: "La Mesa de Cocina T1E4: Curry verde en 30 minutos", tags: "thai"},
		{slug: "la-mesa-t01e05", title: "La Mesa de Cocina T1E5: Empanadillas con la abuela Li", tags: "chinese,family"},
		{slug: "la-mesa-t02e01", title: "La Mesa de Cocina T2E1: Risotto, con y sin remover", tags: "italian,rice", status: "Blocked",
			desc: "Bloqueado: la música de fondo no tiene licencia para este territorio."},
	})
	return slices.Concat(trailer, s1, es, s2, s3)
}

func documentarySpecs() []mediaSpec {
	pitch := run(with(uhdProfile, catDocs, "documentary,pitch,taipei", 240), date(2025, 8, 12), 0, []row{
		{slug: "doc-pitch-night-markets", title: "Documentary pitch: The night markets of Taipei (sizzle)"},
	})
	series := run(with(uhdProfile, catMadeByHand, "made-by-hand,documentary,craft", 2650), date(2025, 2, 6), 30, []row{
		{slug: "made-by-hand-trailer", title: "Made by Hand: series trailer", tags: "trailer"},
		{slug: "made-by-hand-e01", title: "Made by Hand E1: The last letterpress in Suzhou", tags: "suzhou,printing"},
		{slug: "made-by-hand-e02", title: "Made by Hand E2: The guitar makers of Paracho", tags: "mexico,music"},
		{slug: "made-by-hand-e03", title: "Made by Hand E3: Porcelain in Jingdezhen", tags: "jingdezhen,ceramics"},
		{slug: "made-by-hand-e04", title: "Made by Hand E4: Indigo dyers of Oaxaca", tags: "oaxaca,textiles"},
		{slug: "made-by-hand-e05", title: "Made by Hand E5: A bladesmith in Seki", tags: "japan,knives"},
	})
	series[0].dur = 118.4
	return slices.Concat(pitch, series)
}

// brollSpecs: short silent clips, delivered as MP4 only for editors.
func brollSpecs() []mediaSpec {
	type shot struct {
		cat               category
		slug, title, tags string
		status            string
	}
	shots := []shot{
		{catCities, "singapore-marina-bay", "Singapore Marina Bay at night", "singapore,night", ""},
		{catNature, "ocean-black-sand", "Ocean waves on black sand", "ocean,waves", ""},
		{catCities, "hangzhou-west-lake", "杭州西湖晨雾 (Hangzhou West Lake, morning mist)", "hangzhou,lake,mist", ""},
		{catAerials, "great-wall-mutianyu", "Drone: the Great Wall at Mutianyu", "great-wall,drone", ""},
		{catNature, "pine-forest-rain", "Pine forest in light rain", "forest,rain", ""},
		{catCities, "seoul-gangnam-timelapse", "Seoul Gangnam traffic timelapse", "seoul,timelapse,traffic", ""},
		{catAerials, "yunnan-rice-terraces", "Drone: rice terraces in Yunnan", "yunnan,drone,terraces", ""},
		{catNature, "huangshan-clouds", "黄山云海 (Huangshan sea of clouds)", "huangshan,mountains,clouds", ""},
		{catCities, "mexico-city-zocalo", "Mexico City: el Zócalo al mediodía", "mexico-city,plaza", ""},
		{catAerials, "container-port-dawn", "Drone: container port at dawn", "port,logistics,drone,sunrise", ""},
		{catNature, "autumn-leaves-slowmo", "Autumn leaves falling, slow motion", "autumn,slow-motion", ""},
		{catCities, "shenzhen-bay-lights", "深圳湾灯光秀 (Shenzhen Bay light show)", "shenzhen,night", "TranscodeFail"},
		{catCities, "madrid-gran-via", "Gran Vía al atardecer, Madrid", "madrid,dusk,traffic", ""},
		{catAerials, "costa-brava-coast", "Drone: the Costa Brava coastline", "spain,coast,drone", ""},
		{catNature, "iceland-waterfall", "Waterfall close-up, Iceland", "iceland,waterfall", ""},
		{catCities, "shanghai-nanjing-road", "Shanghai Nanjing Road crowds", "shanghai,crowd", ""},
		{catNature, "kyoto-cherry-blossoms", "Cherry blossoms in Kyoto", "kyoto,spring,flowers", ""},
		{catAerials, "wind-farm-fog", "Drone: wind farm in fog", "energy,fog,drone", "Blocked"},
		{catAerials, "guilin-karst-river", "Drone: the Li River and the Guilin karst", "guilin,river,drone", ""},
		{catCities, "new-york-subway", "New York subway platform, rush hour", "new-york,transit,crowd", "UploadSucc"},
	}
	dump := with(uhdProfile, catFootage, "unsorted,expo-2025", 1840)
	dump.hdr, dump.codec, dump.langs = "", "", []string{"und"}
	out := run(dump, date(2025, 9, 26), 0, []row{
		{slug: "card-dump-expo-2025", title: "Camera card dump, Expo 2025 (unsorted)", status: "UploadSucc",
			desc: "Everything from cameras A and B, day 1. Not transcoded: pull selects into the b-roll library."},
	})
	notes := map[string]string{
		"broll-shenzhen-bay-lights": "Transcode failed: variable frame rate phone footage. Conform to 25 fps and upload again.",
		"broll-wind-farm-fog":       "Blocked: the operator has not cleared filming of the site.",
		"broll-new-york-subway":     "Uploaded without a template group; choose one and start transcoding.",
	}
	hdrs := []string{"", "", "HLG", "HDR10", "DolbyVision", "HDRVivid"}
	for k, b := range shots {
		slug := "broll-" + b.slug
		s := mediaSpec{
			slug: slug, title: b.title, desc: notes[slug], cat: b.cat, status: cmpOr(b.status, "Normal"),
			tags: "b-roll," + b.tags,
			w:    3840, h: 2160, fps: []float64{25, 30, 50}[vary(3, slug, "fps")], dur: float64(20 + vary(160, slug, "length")),
			defs: []string{"SD", "HD", "4K"}, formats: []string{"mp4"},
			hdr:     hdrs[vary(len(hdrs), slug, "hdr")],
			created: at(date(2024, 3, 25), 25, k, slug),
			mezzExt: "mov",
		}
		if s.hdr != "" {
			s.codec = "hevc"
		}
		if vary(3, slug, "od") == 0 {
			s.defs = append(s.defs, "OD")
		}
		if strings.Contains(b.tags, "drone") && vary(2, slug, "2k") == 0 {
			s.w, s.h, s.defs = 2720, 1530, []string{"SD", "HD", "2K"}
		}
		if b.cat == catAerials || strings.Contains(b.tags, "waves") || strings.Contains(b.tags, "waterfall") {
			s.langs = []string{"und"} // wind and water, kept as ambience
		}
		out = append(out, finish(s))
	}
	return out
}

func launchSpecs() []mediaSpec {
	x1 := run(with(episodeProfile, catAuroraX1, "aurora-x1,product", 240), date(2024, 2, 20), 40, []row{
		{slug: "aurora-x1-unboxing", title: "Aurora X1 unboxing", tags: "unboxing"},
		{slug: "aurora-x1-night-mode", title: "Aurora X1 feature tour: Night mode", tags: "feature-tour,night-mode"},
		{slug: "aurora-x1-battery", title: "Aurora X1 feature tour: Battery and charging", tags: "feature-tour,battery"},
		{slug: "aurora-x1-setup-es", title: "Aurora X1: guía de configuración", tags: "how-to,espanol"},
		{slug: "aurora-x1-intro-zh", title: "Aurora X1 产品介绍 (中文版)", tags: "product-tour,chinese"},
	})
	x1[3].langs, x1[4].langs = []string{"spa"}, []string{"zho"}

	keynote := with(uhdProfile, catAuroraX2, "aurora-x2,keynote,launch-2025,replay", 3900)
	keynote.hdr, keynote.langs = "HDR10", []string{"eng", "zho", "spa"}
	keynote.defs, keynote.auto, keynote.watermark = []string{"LD", "SD", "HD", "4K"}, true, 2
	keynote.userData = `{"Extend":{"campaign":"aurora-x2","owner":"events-team"}}`
	x2 := run(with(episodeProfile, catAuroraX2, "aurora-x2,launch-2025", 150), date(2025, 4, 22), 6, []row{
		{slug: "aurora-x2-teaser", title: "Aurora X2 teaser: Something brighter", tags: "teaser"},
		{slug: "aurora-x2-design-team", title: "Aurora X2 hands-on with the design team", tags: "behind-the-scenes,design"},
		{slug: "aurora-x2-vs-x1", title: "Aurora X2 vs Aurora X1: what changed", tags: "comparison,aurora-x1"},
	})
	x2 = append(x2, run(keynote, date(2025, 5, 13), 0, []row{
		{slug: "aurora-x2-keynote", title: "Aurora X2 Launch Keynote (full stream)",
			desc: "Full replay of the Aurora X2 launch, with Mandarin and Spanish interpretation."},
	})...)
	x2 = append(x2, run(with(episodeProfile, catAuroraX2, "aurora-x2,launch-2025,highlights", 125), date(2025, 5, 14), 1, []row{
		{slug: "aurora-x2-recap", title: "Aurora X2 Launch: 2-minute recap"},
		{slug: "aurora-x2-recap-zh", title: "Aurora X2 发布会精彩回顾", tags: "chinese"},
	})...)
	x2[len(x2)-1].langs = []string{"zho"}
	x2 = append(x2, run(with(verticalProfile, catAuroraX2, "aurora-x2,teaser,vertical,social", 0), date(2025, 5, 20), 0, []row{
		{slug: "aurora-x2-vertical", title: "Aurora X2 teaser (vertical 9:16)"},
	})...)

	nimbus := run(with(episodeProfile, catNimbus, "nimbus,earbuds,launch-2025", 180), date(2025, 9, 16), 22, []row{
		{slug: "nimbus-reveal", title: "Nimbus Earbuds reveal film", tags: "reveal"},
		{slug: "nimbus-anc-explained", title: "Nimbus Earbuds: noise cancelling explained", tags: "feature-tour,audio"},
		{slug: "nimbus-livestream", title: "Nimbus Earbuds launch livestream (replay)", tags: "livestream,replay"},
	})
	nimbus[2].dur, nimbus[2].auto = 4480.5, true
	nimbus = append(nimbus, run(with(verticalProfile, catNimbus, "nimbus,earbuds,vertical,how-to", 45), date(2025, 12, 9), 0, []row{
		{slug: "nimbus-fit-guide", title: "Nimbus Earbuds fit guide (vertical)", status: "Checking"},
	})...)
	roadmap := run(with(episodeProfile, catLaunches, "roadmap,sizzle", 150), date(2025, 1, 14), 0, []row{
		{slug: "product-sizzle-2025", title: "Product sizzle reel 2025: everything we are shipping"},
	})
	return slices.Concat(x1, roadmap, x2, nimbus)
}

func customerSpecs() []mediaSpec {
	p := with(episodeProfile, catCustomers, "customer-story", 230)
	p.langs = []string{"eng", "zho"}
	out := run(p, date(2024, 4, 18), 75, []row{
		{slug: "cs-bluewater-shipping", title: "Customer story: Bluewater Shipping", tags: "logistics,shipping"},
		{slug: "cs-lakeside-university", title: "Customer story: Lakeside University online courses", tags: "education,university"},
		{slug: "cs-maple-and-co", title: "Customer story: Maple & Co. store training", tags: "retail,training"},
		{slug: "cs-colegio-san-martin", title: "Historia de cliente: Colegio San Martín", tags: "education,espanol"},
		{slug: "cs-peak-couriers", title: "Customer story: Peak Couriers goes same-day", tags: "logistics,delivery"},
		{slug: "cs-hangzhou-tea", title: "客户案例：杭州茶叶铺的直播带货", tags: "retail,livestream,chinese"},
		{slug: "cs-sol-de-mayo", title: "Historia de cliente: Panadería Sol de Mayo", tags: "retail,bakery,espanol"},
		{slug: "cs-riverside-academy", title: "Customer story: Riverside Academy flips the classroom", tags: "education,k-12",
			status: "Blocked", desc: "Blocked: a parent withdrew consent for a student's appearance. Re-edit before publishing."},
	})
	for k := range out {
		switch {
		case strings.Contains(out[k].tags, "logistics"):
			out[k].cat = catLogistics
		case strings.Contains(out[k].tags, "education"):
			out[k].cat = catEducation
		default:
			out[k].cat = catRetail
		}
		switch {
		case strings.Contains(out[k].tags, "espanol"):
			out[k].langs = []string{"spa", "eng"}
		case strings.Contains(out[k].tags, "chinese"):
			out[k].langs = []string{"zho"}
		}
	}
	return out
}

func campaignSpecs() []mediaSpec {
	summer := run(with(spotProfile, catSummer24, "campaign,summer-sale-2024,ad", 0), date(2024, 6, 3), 2, []row{
		{slug: "summer-sale-2024-30s", title: "Summer Sale 2024: 30-second spot", tags: "30s"},
		{slug: "summer-sale-2024-15s", title: "Summer Sale 2024: 15-second cutdown", tags: "15s"},
	})
	summer[1].dur = 15
	summer = append(summer, run(with(verticalProfile, catSummer24, "campaign,summer-sale-2024,ad,vertical", 0), date(2024, 6, 10), 0, []row{
		{slug: "summer-sale-2024-vertical", title: "Summer Sale 2024: vertical cut for stories"},
	})...)

	zh := with(spotProfile, catSinglesDay, "campaign,singles-day-2024,双十一", 15)
	zh.langs = []string{"zho"}
	singles := run(zh, date(2024, 10, 14), 5, []row{
		{slug: "singles-day-2024-15s", title: "双十一 2024：Aurora X1 限时优惠 (15秒)", tags: "ad,15s"},
		{slug: "singles-day-2024-preview", title: "双十一 2024：直播预告", tags: "livestream,teaser"},
		{slug: "singles-day-2024-vertical", title: "双十一 2024：竖屏广告 (9:16)", tags: "ad,vertical"},
	})
	singles[2].w, singles[2].h = 1080, 1920
	live := with(episodeProfile, catSinglesDay, "campaign,singles-day-2024,livestream,replay", 7200)
	live.langs, live.auto = []string{"zho"}, true
	singles = append(singles, run(live, date(2024, 11, 11), 0, []row{
		{slug: "singles-day-2024-live", title: "Singles' Day 2024 livestream replay (双十一直播回放)"},
	})...)

	spring := run(with(spotProfile, catSpring25, "campaign,spring-refresh-2025", 60), date(2025, 3, 3), 4, []row{
		{slug: "spring-refresh-2025-hero", title: "Spring Refresh 2025: hero film", tags: "hero-film"},
		{slug: "spring-refresh-2025-15s", title: "Spring Refresh 2025: 15-second spot", tags: "ad,15s"},
		{slug: "spring-refresh-2025-es", title: "Renovación de primavera 2025: anuncio de 20 segundos", tags: "ad,espanol"},
		{slug: "spring-refresh-2025-bts", title: "Spring Refresh 2025: behind the scenes", tags: "behind-the-scenes"},
	})
	spring[1].dur, spring[2].dur, spring[2].langs, spring[3].dur = 15, 20, []string{"spa"}, 420

	holiday := run(with(spotProfile, catHoliday25, "campaign,holiday-2025", 60), date(2025, 11, 17), 5, []row{
		{slug: "holiday-2025-hero", title: "Holiday 2025: hero film", tags: "hero-film"},
		{slug: "holiday-2025-gift-guide", title: "Holiday 2025: gift guide with the Aurora X2", tags: "aurora-x2,gift-guide", status: "UploadFail",
			desc: "Upload stopped at 71% when the edit suite went to sleep. Upload again."},
		{slug: "holiday-2025-15s", title: "Holiday 2025: 15-second spot", tags: "ad,15s", status: "Checking"},
		{slug: "holiday-2025-vertical", title: "Holiday 2025: vertical cut (9:16)", tags: "ad,vertical", status: "Transcoding"},
		{slug: "holiday-2025-directors-cut", title: "Holiday 2025: director's cut", tags: "hero-film", status: "Uploading"},
	})
	holiday[2].dur, holiday[3].w, holiday[3].h = 15, 1080, 1920

	retro := run(with(episodeProfile, catCampaigns, "campaign,retrospective", 540), date(2025, 1, 22), 0, []row{
		{slug: "campaigns-2024-retrospective", title: "Campaigns 2024: what worked, what we would change"},
	})
	reels := run(with(uhdProfile, catMarketing, "showreel,brand", 150), date(2024, 12, 18), 357, []row{
		{slug: "showreel-2024", title: "Northwind Media showreel 2024"},
		{slug: "showreel-2025", title: "Northwind Media showreel 2025", status: "Uploading"},
	})
	return slices.Concat(summer, singles, retro, spring, holiday, reels)
}

func trainingSpecs() []mediaSpec {
	onboarding := run(with(courseProfile, catOnboarding, "training,onboarding", 0), date(2024, 3, 27), 120, []row{
		{slug: "training-onb-102", title: "Onboarding 102: Uploading and tagging your footage", tags: "upload,tags"},
		{slug: "training-onb-103", title: "Onboarding 103: Review and approval in the dashboard", tags: "review"},
		{slug: "training-onb-es", title: "Formación: Cómo subir vídeos a la biblioteca", tags: "upload,espanol"},
		{slug: "training-onb-zh", title: "新员工入职培训：媒体库使用指南", tags: "chinese"},
	})
	onboarding[2].langs, onboarding[3].langs = []string{"spa"}, []string{"zho"}
	security := with(courseProfile, catSecurity, "training,security,mandatory", 360)
	security.encrypt, security.langs = "AliyunVoDEncryption", []string{"eng", "zho", "spa"}
	sec := run(security, date(2025, 1, 9), 100, []row{
		{slug: "training-sec-passkeys-2025", title: "Security awareness 2025: Passwords and passkeys"},
		{slug: "training-sec-wifi-2025", title: "Security awareness 2025: Working safely on public Wi-Fi"},
		{slug: "training-sec-embargo", title: "Data handling: Sharing embargoed footage", tags: "embargo"},
	})
	craft := with(episodeProfile, catCraft, "training,editing", 1500)
	craft.download = "off"
	crafts := run(craft, date(2024, 5, 21), 110, []row{
		{slug: "training-craft-dialogue", title: "Editing craft: Cutting dialogue scenes", tags: "dialogue"},
		{slug: "training-craft-colour", title: "Editing craft: Colour management in Resolve", tags: "colour,resolve"},
		{slug: "training-craft-audio-mix", title: "Editing craft: Mixing audio for the web", tags: "audio,mixing"},
		{slug: "training-craft-multicam", title: "Editing craft: Multicam interviews", tags: "multicam,interviews", status: "UploadSucc"},
		{slug: "training-craft-hdr-grading", title: "Editing craft: Grading HDR for SDR screens", tags: "hdr,colour", status: "UploadFail",
			desc: "Upload failed: the source exceeded the 48 GB limit for a single file."},
	})
	return slices.Concat(onboarding, crafts, sec)
}

func internalSpecs() []mediaSpec {
	hands := with(episodeProfile, catAllHands, "internal,all-hands", 3300)
	hands.download, hands.userData = "off", `{"Extend":{"visibility":"employees"}}`
	var rows []row
	for _, q := range []string{"Q3 2024", "Q4 2024", "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"} {
		rows = append(rows, row{
			slug:  "all-hands-" + strings.ToLower(strings.ReplaceAll(q, " ", "-")),
			title: q + " all-hands: CEO update",
			tags:  strings.ToLower(q[:2]),
		})
	}
	out := run(hands, date(2024, 7, 11), 91.5, rows)
	out = append(out, run(with(episodeProfile, catInternal, "internal", 480), date(2024, 8, 26), 120, []row{
		{slug: "internal-new-studio", title: "Welcome to the new studio (office move)", tags: "office,studio"},
		{slug: "internal-holiday-party-2024", title: "Holiday party 2024 highlights", tags: "party,holiday"},
		{slug: "internal-year-in-review-2024", title: "Year in review 2024 (internal)", tags: "year-in-review"},
	})...)
	out = append(out, run(with(episodeProfile, catCompany, "company,values", 300), date(2024, 10, 1), 0, []row{
		{slug: "company-values", title: "Northwind Media: what we value"},
	})...)
	return out
}

func podcastSpecs() []mediaSpec {
	type episode struct {
		n                         int
		topic, tags, status, desc string
	}
	episodes := []episode{
		{n: 44, topic: "Shooting vertical without hating it", tags: "vertical,social"},
		{n: 46, topic: "Proxy workflows that don't bite", tags: "workflow,proxies"},
		{n: 47, topic: "Sound is half the picture", tags: "audio"},
		{n: 48, topic: "Interview lighting with one lamp", tags: "lighting,interviews"},
		{n: 49, topic: "Codecs explained: H.264, HEVC and AV1", tags: "codecs"},
		{n: 50, topic: "Fifty episodes: your questions answered", tags: "listener-qa,milestone"},
		{n: 51, topic: "Remote editing across time zones", tags: "remote,workflow"},
		{n: 52, topic: "Captions, subtitles and SDH", tags: "accessibility,captions"},
		{n: 53, topic: "Working with agencies", tags: "agencies,business", status: "TranscodeFail",
			desc: "Transcode failed: the WAV header reports a length past the end of the file. Re-export from the DAW."},
		{n: 54, topic: "Drones: rules and results", tags: "drone,aerial"},
		{n: 55, topic: "Archiving footage for the next decade", tags: "archive,storage"},
		{n: 56, topic: "Colour grading on a budget, revisited", tags: "colour"},
		{n: 57, topic: "AI tools in the edit suite", tags: "ai,tools"},
		{n: 58, topic: "Live streaming a product launch", tags: "live,streaming"},
		{n: 59, topic: "Music licensing without tears", tags: "music,licensing", status: "Blocked",
			desc: "Blocked: the episode plays 40 seconds of a track we had not cleared."},
		{n: 60, topic: "HDR deliverables in 2025", tags: "hdr"},
		{n: 61, topic: "Mobile journalism kits", tags: "mobile,gear", status: "UploadFail",
			desc: "Upload failed on the conference Wi-Fi. Upload again from the office."},
		{n: 62, topic: "Year two of the studio", tags: "studio", status: "UploadSucc"},
		{n: 63, topic: "Versioning a film for twelve markets", tags: "localization"},
		{n: 64, topic: "What we learned from the X2 launch", tags: "live,aurora-x2", status: "Checking"},
		{n: 65, topic: "Holiday special: gear of the year", tags: "gear,holiday", status: "Transcoding"},
	}
	var rows []row
	for _, e := range episodes {
		rows = append(rows, row{
			slug:   fmt.Sprintf("render-queue-%03d", e.n),
			title:  fmt.Sprintf("The Render Queue #%d: %s", e.n, e.topic),
			tags:   e.tags,
			status: e.status,
			desc:   e.desc,
		})
	}
	out := run(with(podcastProfile, catRenderQueue, "podcast,render-queue", 0), date(2024, 2, 22), 33, rows)
	for k := range out {
		if vary(4, out[k].slug, "mp3") == 0 {
			out[k].mezzExt = "mp3"
		}
	}

	es := with(podcastProfile, catColaRender, "podcast,render-queue,espanol", 2300)
	es.langs = []string{"spa"}
	out = append(out, run(es, date(2024, 4, 11), 92, []row{
		{slug: "render-queue-es-002", title: "La Cola de Render #2: Cómo grabar entrevistas con una sola cámara", tags: "interviews"},
		{slug: "render-queue-es-003", title: "La Cola de Render #3: Color con poco presupuesto", tags: "colour"},
		{slug: "render-queue-es-004", title: "La Cola de Render #4: Subtítulos y accesibilidad", tags: "accessibility"},
		{slug: "render-queue-es-005", title: "La Cola de Render #5: Drones, normas y resultados", tags: "drone"},
		{slug: "render-queue-es-006", title: "La Cola de Render #6: Edición remota entre continentes", tags: "remote"},
		{slug: "render-queue-es-007", title: "La Cola de Render #7: Música con licencia, sin dolores de cabeza", tags: "music,licensing"},
		{slug: "render-queue-es-008", title: "La Cola de Render #8: Lo que aprendimos del lanzamiento del X2", tags: "aurora-x2"},
	})...)

	zh := with(podcastProfile, catBeyondLens, "podcast,beyond-the-lens,镜头之外", 2600)
	zh.langs, zh.mezzExt, zh.audioFormat = []string{"zho"}, "m4a", map[string]string{"SQ": "m4a", "HQ": "m4a"}
	out = append(out, run(zh, date(2025, 3, 20), 52, []row{
		{slug: "beyond-the-lens-01", title: "镜头之外 第1期：纪录片导演的一天", tags: "documentary"},
		{slug: "beyond-the-lens-02", title: "镜头之外 第2期：如何把美食拍得好看", tags: "food"},
		{slug: "beyond-the-lens-03", title: "镜头之外 第3期：无人机航拍入门", tags: "drone"},
		{slug: "beyond-the-lens-04", title: "镜头之外 第4期：剪辑师的工具箱", tags: "tools"},
		{slug: "beyond-the-lens-05", title: "镜头之外 第5期：声音设计的秘密", tags: "audio"},
		{slug: "beyond-the-lens-06", title: "镜头之外 第6期：年终特辑", tags: "year-in-review", status: "Uploading"},
	})...)
	out = append(out, run(with(podcastProfile, catPodcasts, "podcast,render-queue,trailer", 95), date(2025, 1, 6), 0, []row{
		{slug: "render-queue-trailer-2025", title: "The Render Queue: 2025 trailer"},
	})...)
	return out
}

func soundSpecs() []mediaSpec {
	sound := with(podcastProfile, catSound, "sound-library", 0)
	sound.defs, sound.audioFormat = []string{"HQ"}, map[string]string{"HQ": "mp3"}
	out := run(sound, date(2024, 4, 2), 64, []row{
		{slug: "music-bed-upbeat", title: "Music bed: Upbeat corporate (60 s)", tags: "music-bed,upbeat"},
		{slug: "music-bed-piano", title: "Music bed: Calm piano (90 s)", tags: "music-bed,piano"},
		{slug: "ambience-cafe", title: "Ambience: Busy café, Barcelona", tags: "ambience,cafe,barcelona"},
		{slug: "ambience-rain-roof", title: "Ambience: Rain on a tin roof", tags: "ambience,rain"},
		{slug: "sfx-whooshes", title: "SFX pack: Whooshes and transitions", tags: "sfx,transitions"},
		{slug: "vo-aurora-x2-tour", title: "Voice-over: Aurora X2 product tour (English)", tags: "voice-over,aurora-x2"},
		{slug: "vo-aurora-x2-tour-zh", title: "配音：Aurora X2 产品导览 (中文)", tags: "voice-over,aurora-x2,chinese"},
	})
	for k, d := range []float64{60, 90, 600, 900, 45, 210, 215} {
		out[k].dur = d
	}
	out[len(out)-1].langs = []string{"zho"}
	return out
}
