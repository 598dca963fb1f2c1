package main

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The library: two years (2024-2025) of the team's uploads beyond the
// showcase entries, built from compact tables. Whatever a table does not
// say (exact times, durations, storage, snapshot counts) comes from vary,
// so the catalog stays deterministic while looking lived in.

// vary returns a number in [0, n) that is stable for its key.
func vary(n int, key ...any) int {
	v, _ := strconv.ParseUint(id(append([]any{"vary"}, key...)...)[:8], 16, 64)
	return int(v % uint64(n))
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// at is the k-th upload of a run that starts on start and repeats every
// days, during working hours.
func at(start time.Time, days float64, k int, key string) time.Time {
	return start.Add(time.Duration(math.Round(float64(k)*days))*day +
		time.Duration(8+vary(10, key, "hour"))*time.Hour +
		time.Duration(vary(3600, key, "second"))*time.Second)
}

const day = 24 * time.Hour

// row is one line of a library table: what differs between the items of
// a run. The rest comes from the run's profile.
type row struct {
	slug, title, tags string
	status            string // "" is Normal
	desc              string
}

// run lays rows out from start, one every days, on top of profile.
func run(profile mediaSpec, start time.Time, days float64, rows []row) []mediaSpec {
	var out []mediaSpec
	for k, r := range rows {
		s := profile
		s.slug, s.title, s.desc = r.slug, r.title, r.desc
		s.tags = strings.Trim(profile.tags+","+r.tags, ",")
		s.status = cmpOr(r.status, "Normal")
		s.created = at(start, days, k, r.slug)
		out = append(out, finish(s))
	}
	return out
}

// finish fills in what a table leaves to chance or to the status.
func finish(s mediaSpec) mediaSpec {
	s.dur = math.Round(s.dur*(0.85+float64(vary(300, s.slug, "dur"))/1000)*100) / 100
	if s.storage == "" {
		s.storage = "Standard"
		if s.created.Before(date(2025, 1, 1)) && vary(4, s.slug, "storage") == 0 {
			s.storage = "IA"
		}
	}
	s.download = cmpOr(s.download, "on")
	if !s.audio && s.snapshots == 0 {
		s.snapshots = 2 + vary(4, s.slug, "snapshots")
	}
	if s.mezzExt == "" && !s.audio && vary(3, s.slug, "mezz") == 0 {
		s.mezzExt = "mov"
	}
	if s.status == "Transcoding" {
		s.done = s.defs[:max(1, len(s.defs)/2)]
	}
	if s.ref == "" && s.status != "Uploading" && s.status != "UploadFail" && vary(5, s.slug, "ref") != 0 {
		s.ref = s.slug
	}
	return s
}
