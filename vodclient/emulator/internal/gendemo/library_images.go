package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func libraryImageSpecs() []imageSpec {
	return slices.Concat(eventPhotoSpecs(), productPhotoSpecs(), socialCardSpecs(), brandSpecs(), snapshotSpecs())
}

// photo is a photo of a set: its caption and tags; status "" is Normal.
type photo struct{ slug, title, tags, status string }

// photoSet is one camera card uploaded in the evening after a shoot:
// consecutive frame numbers, mostly landscape, some portrait; a failed
// upload is the phone's HEIC that VOD would not take.
func photoSet(cat category, shootDay time.Time, frame int, tags string, photos []photo) []imageSpec {
	var out []imageSpec
	for k, p := range photos {
		frame += 1 + vary(40, p.slug, "frame")
		s := imageSpec{
			slug: p.slug, title: p.title, typ: "default", status: cmpOr(p.status, "Normal"),
			w: 6000, h: 4000, ext: "jpg", cat: cat,
			tags:    strings.Trim(tags+","+p.tags, ","),
			file:    fmt.Sprintf("DSC%05d.JPG", frame),
			created: shootDay.Add(18*time.Hour + time.Duration(k*3+vary(3, p.slug, "min"))*time.Minute),
		}
		if vary(4, p.slug, "portrait") == 0 {
			s.w, s.h = 4000, 6000
		}
		if s.status == "UploadFail" {
			s.file = fmt.Sprintf("IMG_%04d.HEIC", frame%10000)
		}
		out = append(out, s)
	}
	return out
}

func eventPhotoSpecs() []imageSpec {
	launch24 := photoSet(catLaunch24, date(2024, 5, 14), 4520, "launch-2024,aurora-x1,event", []photo{
		{slug: "launch24-press-line", title: "Aurora X1 launch: the press line before doors", tags: "press"},
		{slug: "launch24-demo-tables", title: "Demo tables after the keynote", tags: "demo"},
		{slug: "launch24-team-on-stage", title: "The whole team on stage at the close", tags: "team"},
		{slug: "launch24-audience-qa", title: "Audience Q&A, second row", tags: "audience,q-and-a"},
	})
	x2 := photoSet(catX2Launch25, date(2025, 5, 13), 1180, "launch-2025,aurora-x2,event", []photo{
		{slug: "x2launch-venue-morning", title: "Aurora X2 launch: venue at 7 a.m.", tags: "venue"},
		{slug: "x2launch-rehearsal", title: "Keynote rehearsal, lighting check", tags: "rehearsal,stage"},
		{slug: "x2launch-ceo-reveal", title: "CEO reveals the Aurora X2", tags: "keynote,ceo"},
		{slug: "x2launch-crowd-wide", title: "Crowd wide shot from the balcony", tags: "audience"},
		{slug: "x2launch-hands-on", title: "Hands-on area, first visitors", tags: "demo"},
		{slug: "x2launch-press-interview", title: "Press interview with the design lead", tags: "press,interview"},
		{slug: "x2launch-backstage", title: "Backstage after the show", tags: "backstage,team"},
		{slug: "x2launch-phone-pano", title: "Panorama from a phone (HEIC)", tags: "audience", status: "UploadFail"},
	})
	expo := photoSet(catExpo25, date(2025, 9, 24), 2890, "expo-2025,trade-show,event", []photo{
		{slug: "expo25-booth-build", title: "Expo 2025: building the booth", tags: "booth"},
		{slug: "expo25-booth-open", title: "Expo 2025: booth on opening day", tags: "booth"},
		{slug: "expo25-nimbus-demo", title: "Nimbus Earbuds demo at the booth", tags: "nimbus,demo"},
		{slug: "expo25-panel", title: "Panel: the future of short video", tags: "panel,speaker"},
		{slug: "expo25-partner-dinner", title: "Partner dinner, day 2", tags: "partners"},
		{slug: "expo25-badge-scan", title: "Badge scanning at the booth (HEIC)", tags: "booth", status: "UploadFail"},
	})
	offsite := photoSet(catOffsite25, date(2025, 10, 21), 3400, "offsite-2025,team,hangzhou", []photo{
		{slug: "offsite25-group-photo", title: "团建 2025：西湖边的合影", tags: "group-photo"},
		{slug: "offsite25-tea-fields", title: "Tea fields at Longjing village", tags: "tea"},
		{slug: "offsite25-workshop", title: "Storytelling workshop, afternoon session", tags: "workshop"},
		{slug: "offsite25-dinner", title: "Team dinner, 楼外楼", tags: "dinner"},
		{slug: "offsite25-boat", title: "Boat ride at dusk", tags: "lake"},
		{slug: "offsite25-awards", title: "Offsite awards: editor of the year", tags: "awards"},
	})
	return slices.Concat(launch24, x2, expo, offsite)
}

func productPhotoSpecs() []imageSpec {
	type still struct{ slug, title, tags, status string }
	sets := []struct {
		start  time.Time
		tags   string
		stills []still
	}{
		{date(2025, 4, 8), "aurora-x2,product", []still{
			{"x2-front-white", "Aurora X2, front, studio white", "hero", ""},
			{"x2-back-graphite", "Aurora X2, back, graphite", "", ""},
			{"x2-side-profile", "Aurora X2, side profile", "", ""},
			{"x2-in-hand", "Aurora X2 in hand, lifestyle", "lifestyle", ""},
			{"x2-box-contents", "Aurora X2, box contents flat lay", "flat-lay,unboxing", ""},
			{"x2-colours", "Aurora X2, all four colours", "colours", ""},
		}},
		{date(2025, 8, 27), "nimbus,earbuds,product", []still{
			{"nimbus-case-open", "Nimbus Earbuds, case open", "hero", ""},
			{"nimbus-in-ear", "Nimbus Earbuds, in-ear close-up", "lifestyle", ""},
			{"nimbus-colours", "Nimbus Earbuds, colourways", "colours", ""},
			{"nimbus-exploded", "Nimbus Earbuds, exploded view render", "render", ""},
			{"nimbus-packshot-es", "Nimbus Earbuds: foto de producto para España", "espanol", "Uploading"},
		}},
	}
	var out []imageSpec
	for _, set := range sets {
		for k, p := range set.stills {
			s := imageSpec{
				slug: p.slug, title: p.title, typ: "default", status: cmpOr(p.status, "Normal"),
				w: 4000, h: 4000, ext: "png", cat: catProductPics,
				tags:    strings.Trim(set.tags+","+p.tags, ","),
				file:    strings.ReplaceAll(p.slug, "-", "_") + "_final.png",
				created: at(set.start, 1.5, k, p.slug),
			}
			if vary(2, p.slug, "shape") == 0 {
				s.w, s.h, s.ext, s.file = 5000, 3333, "jpg", strings.ReplaceAll(p.slug, "-", "_")+"_final.jpg"
			}
			out = append(out, s)
		}
	}
	return out
}

// socialCardSpecs: each campaign's cards, sized for their network.
func socialCardSpecs() []imageSpec {
	type network struct {
		cat  category
		w, h int
	}
	instagram, douyin, linkedin := network{catInstagram, 1080, 1350}, network{catDouyin, 1080, 1920}, network{catLinkedIn, 1200, 627}
	cards := []struct {
		slug, title, tags string
		on                network
		when              time.Time
		status            string
	}{
		{"card-summer24-ig", "Summer Sale 2024 card, Instagram 4:5", "summer-sale-2024,campaign", instagram, date(2024, 6, 4), ""},
		{"card-summer24-li", "Summer Sale 2024 card, LinkedIn", "summer-sale-2024,campaign", linkedin, date(2024, 6, 4), ""},
		{"card-singles24-douyin", "双十一 2024 抖音封面", "singles-day-2024,campaign,双十一", douyin, date(2024, 10, 21), ""},
		{"card-singles24-ig", "Singles' Day 2024 card, Instagram 4:5", "singles-day-2024,campaign", instagram, date(2024, 10, 22), ""},
		{"card-year-in-review-li", "Year in review 2024, LinkedIn card", "year-in-review", linkedin, date(2024, 12, 19), ""},
		{"card-hiring-li", "We're hiring: senior editor (LinkedIn)", "hiring", linkedin, date(2025, 2, 11), ""},
		{"card-spring25-ig", "Spring Refresh 2025 card, Instagram 4:5", "spring-refresh-2025,campaign", instagram, date(2025, 3, 4), ""},
		{"card-spring25-es", "Renovación de primavera 2025: tarjeta para Instagram", "spring-refresh-2025,campaign,espanol", instagram, date(2025, 3, 5), ""},
		{"card-x2-douyin", "Aurora X2 发布会 抖音竖版海报", "aurora-x2,launch-2025", douyin, date(2025, 5, 9), ""},
		{"card-nimbus-teaser-ig", "Nimbus Earbuds teaser: coming soon (Instagram 4:5)", "nimbus,teaser", instagram, date(2025, 7, 15), ""},
		{"card-holiday25-ig", "Holiday 2025 card, Instagram 4:5", "holiday-2025,campaign", instagram, date(2025, 11, 18), ""},
		{"card-holiday25-douyin", "Holiday 2025 card, Douyin 9:16", "holiday-2025,campaign", douyin, date(2025, 12, 10), "Uploading"},
	}
	var out []imageSpec
	for _, c := range cards {
		out = append(out, imageSpec{
			slug: c.slug, title: c.title, typ: "default", status: cmpOr(c.status, "Normal"),
			w: c.on.w, h: c.on.h, ext: "jpg", cat: c.on.cat, tags: "social," + c.tags,
			file:    c.slug + ".jpg",
			created: at(c.when, 0, 0, c.slug),
		})
	}
	return out
}

func brandSpecs() []imageSpec {
	specs := []imageSpec{
		{slug: "logo-dark", title: "Northwind Media logo, for dark backgrounds", typ: "default", w: 1024, h: 1024, ext: "png", cat: catBrand, tags: "logo,brand", file: "nwm_logo_dark.png", created: date(2024, 6, 18)},
		{slug: "logo-2025-refresh", title: "Logo lockup, 2025 refresh", desc: "Replaces the 2024 lockup from 1 March 2025.", typ: "default", w: 2048, h: 1024, ext: "png", cat: catBrand, tags: "logo,brand,refresh-2025", file: "nwm_lockup_2025.png", created: date(2025, 2, 24)},
		{slug: "brand-palette-2025", title: "Brand colour palette 2025", typ: "default", w: 1920, h: 1080, ext: "png", cat: catBrand, tags: "brand,colour,refresh-2025", file: "palette_2025.png", created: date(2025, 2, 25)},
		{slug: "render-queue-art-2025", title: "The Render Queue, cover art 2025", typ: "default", w: 3000, h: 3000, ext: "jpg", cat: catRenderQueue, tags: "podcast,render-queue,artwork", file: "rq_cover_2025.jpg", created: date(2025, 1, 3)},
		{slug: "cola-render-art", title: "La Cola de Render, portada del pódcast", typ: "default", w: 3000, h: 3000, ext: "jpg", cat: catColaRender, tags: "podcast,render-queue,espanol,artwork", file: "cola_de_render_portada.jpg", created: date(2024, 4, 9)},
		{slug: "beyond-lens-art", title: "镜头之外 播客封面", typ: "default", w: 3000, h: 3000, ext: "jpg", cat: catBeyondLens, tags: "podcast,beyond-the-lens,artwork", file: "beyond_the_lens_cover.jpg", created: date(2025, 3, 17)},
		{slug: "kt-s2-poster", title: "Kitchen Table season 2 poster", typ: "default", w: 2000, h: 3000, ext: "jpg", cat: catKTSeason2, tags: "kitchen-table,season-2,key-art", file: "KT_S2_poster_final.jpg", created: date(2024, 8, 29)},
		{slug: "kt-s3-poster", title: "Kitchen Table season 3 poster", typ: "default", w: 2000, h: 3000, ext: "jpg", cat: catKTSeason3, tags: "kitchen-table,season-3,key-art", file: "KT_S3_poster_v4.jpg", created: date(2025, 9, 25)},
		{slug: "made-by-hand-key-art", title: "Made by Hand, key art", typ: "default", w: 3840, h: 2160, ext: "jpg", cat: catMadeByHand, tags: "made-by-hand,documentary,key-art", file: "MBH_keyart_16x9.jpg", created: date(2025, 1, 30)},
		{slug: "production-calendar-2025", title: "Production calendar 2025", typ: "default", w: 3508, h: 2480, ext: "png", cat: catProductions, tags: "planning,calendar", file: "production_calendar_2025_v3.png", created: date(2025, 1, 7)},
		{slug: "studio-import-unsorted", title: "Studio camera import (unsorted)", typ: "default", ext: "jpg", cat: catPhotography, tags: "unsorted", file: "DSC09912.JPG", created: date(2025, 12, 11), status: "Uploading"},
		{slug: "studio-portraits-contact", title: "Studio portraits, contact sheet", typ: "default", w: 2480, h: 3508, ext: "jpg", cat: catPhotography, tags: "portraits,contact-sheet", file: "portraits_contact_A4.jpg", created: date(2024, 11, 5)},
	}
	for k := range specs {
		specs[k].status = cmpOr(specs[k].status, "Normal")
		specs[k].created = at(specs[k].created, 0, 0, specs[k].slug)
	}
	return specs
}

// snapshotSpecs: covers, snapshots and sprites VOD made for the library's
// videos, in Thumbnails.
func snapshotSpecs() []imageSpec {
	type snap struct {
		slug, title, typ, tags string
		w, h                   int
		when                   time.Time
		status                 string
	}
	snaps := []snap{
		{"cover-kt-s2e01", "Kitchen Table S2E1, cover", "CoverSnapshot", "kitchen-table,season-2,cover", 1280, 720, date(2024, 9, 5), ""},
		{"cover-kt-s2e08", "Kitchen Table S2E8, cover", "CoverSnapshot", "kitchen-table,season-2,cover", 1280, 720, date(2024, 10, 24), ""},
		{"cover-summer24-30s", "Summer Sale 2024 30-second spot, cover", "CoverSnapshot", "summer-sale-2024,cover", 1920, 1080, date(2024, 7, 2), ""},
		{"cover-x2-keynote", "Aurora X2 Launch Keynote, cover", "CoverSnapshot", "aurora-x2,keynote,cover", 1920, 1080, date(2025, 5, 13), ""},
		{"cover-made-by-hand-e01", "Made by Hand E1, cover", "CoverSnapshot", "made-by-hand,cover", 3840, 2160, date(2025, 3, 8), ""},
		{"cover-made-by-hand-e04", "Made by Hand E4, cover", "CoverSnapshot", "made-by-hand,cover", 3840, 2160, date(2025, 6, 6), ""},
		{"cover-singles24-live", "双十一直播回放 封面", "CoverSnapshot", "singles-day-2024,cover", 1920, 1080, date(2024, 11, 11), ""},
		{"cover-kt-s3e09", "Kitchen Table S3E9, cover", "CoverSnapshot", "kitchen-table,season-3,cover", 1280, 720, date(2025, 11, 27), "Uploading"},
		{"snap-x2-reveal", "Aurora X2 keynote at 00:31:12, the reveal", "NormalSnapshot", "aurora-x2,keynote,snapshot", 3840, 2160, date(2025, 5, 13), ""},
		{"snap-guilin", "Li River b-roll, morning boat", "NormalSnapshot", "b-roll,guilin,snapshot", 3840, 2160, date(2025, 10, 2), ""},
		{"snap-nimbus-live", "Nimbus livestream, product close-up", "NormalSnapshot", "nimbus,livestream,snapshot", 1920, 1080, date(2025, 11, 3), "UploadFail"},
		{"sprite-x2-keynote", "Aurora X2 keynote sprite sheet", "SpriteSnapshot", "aurora-x2,keynote,sprite", 1600, 900, date(2025, 5, 13), ""},
		{"sprite-kt-s2e05", "Kitchen Table S2E5 sprite sheet", "SpriteSnapshot", "kitchen-table,season-2,sprite", 1600, 900, date(2024, 10, 3), ""},
		{"origin-x2-keynote-001", "Aurora X2 keynote sprite frame 001", "SpriteOriginSnapshot", "aurora-x2,keynote,sprite-frame", 160, 90, date(2025, 5, 13), ""},
	}
	var out []imageSpec
	for _, s := range snaps {
		out = append(out, imageSpec{
			slug: s.slug, title: s.title, typ: s.typ, status: cmpOr(s.status, "Normal"),
			w: s.w, h: s.h, ext: "jpg", cat: catThumbs, tags: s.tags,
			created: at(s.when, 0, 0, s.slug).Add(2 * time.Hour),
		})
	}
	return out
}
