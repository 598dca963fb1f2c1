package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// imageInfo is an ImageInfo object as GetImageInfo returns it.
type imageInfo struct {
	ImageId         string
	Title           string
	Description     string `json:",omitempty"`
	ImageType       string
	Status          string
	CreationTime    string
	CateId          int64  `json:",omitempty"`
	CateName        string `json:",omitempty"`
	Tags            string `json:",omitempty"`
	AppId           string
	StorageLocation string
	URL             string `json:",omitempty"`
	Mezzanine       any
	// Fields of the older GetImageInfo document, on a few entries only.
	AuditStatus string `json:",omitempty"`
	RegionId    string `json:",omitempty"`
}

// imageMezzanine is the newer shape: FileSize is a string.
type imageMezzanine struct {
	FileURL          string `json:",omitempty"`
	OriginalFileName string
	Width            int    `json:",omitempty"`
	Height           int    `json:",omitempty"`
	FileSize         string `json:",omitempty"`
}

// imageMezzanineOld is the older document's shape: FileSize is a number.
type imageMezzanineOld struct {
	FileURL          string
	OriginalFileName string
	Width            int
	Height           int
	FileSize         int64
}

type imageSpec struct {
	slug, title, desc string
	typ, status       string
	w, h              int
	ext               string
	cat               category
	tags              string
	file              string    // original file name
	older             bool      // older document shape
	created           time.Time // zero: spread from the epoch by position
}

func imageSpecs() []imageSpec {
	const (
		def    = "default"
		cover  = "CoverSnapshot"
		normal = "NormalSnapshot"
		sprite = "SpriteSnapshot"
		origin = "SpriteOriginSnapshot"
		ok     = "Normal"
		up     = "Uploading"
		fail   = "UploadFail"
	)
	return []imageSpec{
		// Brand, event and social images.
		{slug: "aurora-hero", title: "Aurora X1 hero shot, studio white", desc: "Primary product hero for the launch page and press kit.", typ: def, status: ok, w: 2400, h: 1350, ext: "png", cat: catBrand, tags: "aurora-x1,hero,product", file: "AuroraX1_hero_white_v7.png"},
		{slug: "aurora-hero-portrait", title: "Aurora X1 hero, portrait crop for stories", typ: def, status: ok, w: 1080, h: 1920, ext: "jpg", cat: catSocial, tags: "aurora-x1,stories,vertical", file: "AuroraX1_hero_9x16.jpg"},
		{slug: "logo-lockup", title: "Northwind Media logo lockup (square)", desc: "Use on light backgrounds only.", typ: def, status: ok, w: 1024, h: 1024, ext: "png", cat: catBrand, tags: "logo,brand", file: "nwm_logo_lockup_square.png"},
		{slug: "keynote-stage-wide", title: "Keynote stage, wide angle from the balcony", typ: def, status: ok, w: 4032, h: 3024, ext: "jpg", cat: catEvents, tags: "keynote,stage,launch-2024", file: "DSC04418.jpg"},
		{slug: "keynote-ceo-closeup", title: "CEO on stage during the Aurora X1 reveal", typ: def, status: ok, w: 3024, h: 4032, ext: "jpg", cat: catEvents, tags: "keynote,ceo,launch-2024", file: "DSC04502.jpg"},
		{slug: "kitchen-table-poster", title: "Kitchen Table season 1 poster", desc: "Key art for the season; chef Lucia Romano at the pass.", typ: def, status: ok, w: 2000, h: 3000, ext: "jpg", cat: catCooking, tags: "kitchen-table,season-1,key-art", file: "KT_S1_poster_final.jpg"},
		{slug: "render-queue-art", title: "The Render Queue, podcast cover art", typ: def, status: ok, w: 3000, h: 3000, ext: "jpg", cat: catPodcasts, tags: "podcast,render-queue,artwork", file: "render_queue_cover_3000.jpg"},
		{slug: "bund-still", title: "Shanghai Bund at blue hour (still)", typ: def, status: ok, w: 5472, h: 3078, ext: "jpg", cat: catBroll, tags: "shanghai,city,blue-hour", file: "bund_bluehour_0412.jpg"},
		{slug: "northwind-portrait", title: "Northwind Logistics: Maria Chen, Head of Operations", typ: def, status: ok, w: 1600, h: 2000, ext: "jpg", cat: catCustomers, tags: "customer-story,northwind,portrait", file: "maria_chen_4x5.jpg"},
		{slug: "onboarding-banner", title: "Onboarding 101 course banner", typ: def, status: ok, w: 1920, h: 480, ext: "png", cat: catTraining, tags: "training,onboarding,banner", file: "onboarding101_banner.png"},
		{slug: "launch-teaser-card", title: "Launch teaser card for social (1:1)", typ: def, status: up, ext: "png", cat: catSocial, tags: "aurora-x1,teaser,social", file: "teaser_card_1x1.png"},
		{slug: "trade-show-booth", title: "Trade show booth, day 2", typ: def, status: fail, ext: "jpg", cat: catEvents, tags: "trade-show,booth", file: "IMG_4471.HEIC"},
		{slug: "brand-guidelines", title: "Brand guidelines, cover page", typ: def, status: ok, w: 1240, h: 1754, ext: "png", cat: catBrand, tags: "brand,guidelines", file: "brand_guidelines_2024_p1.png", older: true},
		{slug: "press-kit-collage", title: "Press kit collage", typ: def, status: ok, w: 1200, h: 628, ext: "png", cat: catBrand, tags: "press,collage", file: "press_kit_og.png", older: true},

		// Cover snapshots.
		{slug: "cover-keynote", title: "Aurora X1 Launch Keynote, cover", typ: cover, status: ok, w: 1920, h: 1080, ext: "jpg", cat: catThumbs, tags: "keynote,cover"},
		{slug: "cover-highlights", title: "Aurora X1 90-second highlights, cover", typ: cover, status: ok, w: 1920, h: 1080, ext: "jpg", cat: catThumbs, tags: "highlights,cover"},
		{slug: "cover-teaser-vertical", title: "Aurora X1 vertical teaser, cover", typ: cover, status: ok, w: 1080, h: 1920, ext: "jpg", cat: catThumbs, tags: "teaser,vertical,cover"},
		{slug: "cover-kt-s1e1", title: "Kitchen Table S1E1, cover", typ: cover, status: ok, w: 1280, h: 720, ext: "jpg", cat: catThumbs, tags: "kitchen-table,cover"},
		{slug: "cover-kt-s1e3", title: "Kitchen Table S1E3, cover", typ: cover, status: ok, w: 1280, h: 720, ext: "jpg", cat: catThumbs, tags: "kitchen-table,cover"},
		{slug: "cover-rq-41", title: "The Render Queue #41, episode art", typ: cover, status: ok, w: 1400, h: 1400, ext: "jpg", cat: catThumbs, tags: "podcast,cover"},
		{slug: "cover-northwind", title: "Customer story: Northwind Logistics, cover", typ: cover, status: ok, w: 1920, h: 1080, ext: "jpg", cat: catThumbs, tags: "customer-story,cover"},
		{slug: "cover-onboarding", title: "Onboarding 101, cover", typ: cover, status: ok, w: 1920, h: 1080, ext: "png", cat: catThumbs, tags: "training,cover"},
		{slug: "cover-montage-4x5", title: "Testimonial montage, 4:5 cover", typ: cover, status: up, ext: "jpg", cat: catThumbs, tags: "customer-story,cover"},
		{slug: "cover-allhands", title: "Q2 all-hands, cover", typ: cover, status: fail, ext: "jpg", cat: catThumbs, tags: "internal,cover"},

		// Normal snapshots.
		{slug: "snap-keynote-0012", title: "Keynote at 00:12:04, product reveal", typ: normal, status: ok, w: 3840, h: 2160, ext: "jpg", cat: catThumbs, tags: "keynote,snapshot"},
		{slug: "snap-keynote-0047", title: "Keynote at 00:47:31, pricing slide", typ: normal, status: ok, w: 3840, h: 2160, ext: "jpg", cat: catThumbs, tags: "keynote,snapshot"},
		{slug: "snap-kt-pasta", title: "Kitchen Table S1E1, rolling the dough", typ: normal, status: ok, w: 1920, h: 1080, ext: "jpg", cat: catThumbs, tags: "kitchen-table,snapshot"},
		{slug: "snap-kt-sourdough", title: "Kitchen Table S1E3, the first loaf", typ: normal, status: ok, w: 3840, h: 2160, ext: "jpg", cat: catThumbs, tags: "kitchen-table,snapshot"},
		{slug: "snap-teaser-vertical", title: "Vertical teaser, end card", typ: normal, status: ok, w: 1080, h: 1920, ext: "jpg", cat: catThumbs, tags: "teaser,snapshot"},
		{slug: "snap-bund", title: "Bund b-roll, ferry crossing", typ: normal, status: ok, w: 3840, h: 2160, ext: "jpg", cat: catThumbs, tags: "b-roll,snapshot"},
		{slug: "snap-tokyo", title: "Tokyo crosswalk, peak crowd", typ: normal, status: ok, w: 3840, h: 2160, ext: "jpg", cat: catThumbs, tags: "b-roll,snapshot"},
		{slug: "snap-fieldstone", title: "Fieldstone Schools, classroom wide", typ: normal, status: ok, w: 1920, h: 1080, ext: "jpg", cat: catThumbs, tags: "customer-story,snapshot"},
		{slug: "snap-phishing", title: "Phishing module, example email", typ: normal, status: up, ext: "jpg", cat: catThumbs, tags: "training,snapshot"},
		{slug: "snap-square-montage", title: "Testimonial montage, square frame", typ: normal, status: ok, w: 1080, h: 1080, ext: "jpg", cat: catThumbs, tags: "customer-story,snapshot"},

		// Sprite sheets and their source frames.
		{slug: "sprite-keynote-1", title: "Keynote sprite sheet 1 of 3", typ: sprite, status: ok, w: 1600, h: 900, ext: "jpg", cat: catThumbs, tags: "keynote,sprite"},
		{slug: "sprite-keynote-2", title: "Keynote sprite sheet 2 of 3", typ: sprite, status: ok, w: 1600, h: 900, ext: "jpg", cat: catThumbs, tags: "keynote,sprite"},
		{slug: "sprite-highlights", title: "Highlights sprite sheet", typ: sprite, status: ok, w: 1600, h: 900, ext: "jpg", cat: catThumbs, tags: "highlights,sprite"},
		{slug: "sprite-teaser", title: "Vertical teaser sprite sheet", typ: sprite, status: ok, w: 900, h: 1600, ext: "jpg", cat: catThumbs, tags: "teaser,sprite"},
		{slug: "sprite-kt-s1e2", title: "Kitchen Table S1E2 sprite sheet", typ: sprite, status: ok, w: 1600, h: 900, ext: "png", cat: catThumbs, tags: "kitchen-table,sprite"},
		{slug: "sprite-rain", title: "Rain loop sprite sheet", typ: sprite, status: fail, ext: "jpg", cat: catThumbs, tags: "b-roll,sprite"},
		{slug: "origin-keynote-001", title: "Keynote sprite frame 001", typ: origin, status: ok, w: 160, h: 90, ext: "jpg", cat: catThumbs, tags: "keynote,sprite-frame"},
		{slug: "origin-keynote-002", title: "Keynote sprite frame 002", typ: origin, status: ok, w: 160, h: 90, ext: "jpg", cat: catThumbs, tags: "keynote,sprite-frame"},
		{slug: "origin-keynote-003", title: "Keynote sprite frame 003", typ: origin, status: ok, w: 160, h: 90, ext: "jpg", cat: catThumbs, tags: "keynote,sprite-frame"},
		{slug: "origin-teaser-001", title: "Vertical teaser sprite frame 001", typ: origin, status: ok, w: 90, h: 160, ext: "jpg", cat: catThumbs, tags: "teaser,sprite-frame"},
		{slug: "origin-kt-s1e2-001", title: "Kitchen Table S1E2 sprite frame 001", typ: origin, status: ok, w: 320, h: 180, ext: "png", cat: catThumbs, tags: "kitchen-table,sprite-frame"},
		{slug: "origin-kt-s1e2-002", title: "Kitchen Table S1E2 sprite frame 002", typ: origin, status: ok, w: 320, h: 180, ext: "png", cat: catThumbs, tags: "kitchen-table,sprite-frame"},
	}
}

func images() []any {
	var out []any
	for i, s := range slices.Concat(imageSpecs(), libraryImageSpecs()) {
		imgID := id("image", s.slug)
		created := s.created
		if created.IsZero() {
			created = epoch.Add(time.Duration(i)*37*time.Hour + time.Duration(i*7)*time.Minute)
		}
		file := s.file
		if file == "" {
			file = fmt.Sprintf("%s.%s", strings.ToUpper(imgID[:12]), s.ext)
		}
		folder := "default"
		if s.typ != "default" {
			folder = "snapshot"
		}
		objectName := strings.ToUpper(id("object", s.slug))
		info := imageInfo{
			ImageId:         imgID,
			Title:           s.title,
			Description:     s.desc,
			ImageType:       s.typ,
			Status:          s.status,
			CreationTime:    ts(created),
			CateId:          s.cat.id,
			CateName:        s.cat.name,
			Tags:            s.tags,
			AppId:           appID,
			StorageLocation: bucket,
		}
		if s.status != "Normal" {
			// Nothing stored yet (or the upload failed): no URL, no size.
			info.Mezzanine = imageMezzanine{OriginalFileName: file}
			out = append(out, info)
			continue
		}
		size := int64(s.w*s.h) * 3 / 10 // a believable compressed size
		if s.ext == "png" {
			size = int64(s.w*s.h) * 9 / 10
		}
		info.URL = fmt.Sprintf("%s/image/%s/%s-6-2.%s?auth_key=1704707400-0-0-%s", imgHost, folder, objectName, s.ext, id("auth", s.slug))
		fileURL := fmt.Sprintf("https://%s/image/%s/%s.%s?Expires=1704711000&OSSAccessKeyId=LTAI5tExampleOSSKey&Signature=%s",
			bucket, folder, objectName, s.ext, id("ossig", s.slug)[:24]+"%3D")
		if s.older {
			info.Mezzanine = imageMezzanineOld{FileURL: fileURL, OriginalFileName: file, Width: s.w, Height: s.h, FileSize: size}
			info.AuditStatus = "Normal"
			info.RegionId = regionID
		} else {
			info.Mezzanine = imageMezzanine{FileURL: fileURL, OriginalFileName: file, Width: s.w, Height: s.h, FileSize: fmt.Sprint(size)}
		}
		out = append(out, info)
	}
	return out
}
