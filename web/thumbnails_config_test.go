package web

import (
	"bytes"
	"strings"
	"testing"
)

func TestThumbnailSettings(t *testing.T) {
	parse := func(args []string, env map[string]string) (Config, error) {
		return ParseConfig(args, func(k string) string { return env[k] }, &bytes.Buffer{})
	}
	cfg, err := parse(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Thumbnails || cfg.ThumbCacheSize != 256<<20 || cfg.ThumbCacheDir != "" {
		t.Errorf("defaults: thumbnails %v, size %d, dir %q; want on, 256 MiB, the default directory", cfg.Thumbnails, cfg.ThumbCacheSize, cfg.ThumbCacheDir)
	}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		on   bool
		size int64
		dir  string
	}{
		{"off by flag", []string{"-thumbnails=false"}, nil, false, 256 << 20, ""},
		{"off by env", nil, map[string]string{"VODBOARD_THUMBNAILS": "false"}, false, 256 << 20, ""},
		{"flag wins", []string{"-thumbnails"}, map[string]string{"VODBOARD_THUMBNAILS": "false"}, true, 256 << 20, ""},
		{"size and dir", []string{"-thumb-cache-size", "2GiB", "-thumb-cache-dir", "/var/cache/vodboard"}, nil, true, 2 << 30, "/var/cache/vodboard"},
		{"size by env", nil, map[string]string{"VODBOARD_THUMB_CACHE_SIZE": "500MB"}, true, 500 << 20, ""},
		{"bytes", []string{"-thumb-cache-size", "1048576"}, nil, true, 1 << 20, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parse(tc.args, tc.env)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Thumbnails != tc.on || cfg.ThumbCacheSize != tc.size || cfg.ThumbCacheDir != tc.dir {
				t.Errorf("thumbnails %v, size %d, dir %q; want %v, %d, %q", cfg.Thumbnails, cfg.ThumbCacheSize, cfg.ThumbCacheDir, tc.on, tc.size, tc.dir)
			}
		})
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-thumb-cache-size", "lots"}, nil, "-thumb-cache-size"},
		{[]string{"-thumb-cache-size", "512KiB"}, nil, "at least 1MiB"},
		{[]string{"-thumb-cache-size", "-5MiB"}, nil, "-thumb-cache-size"},
		{nil, map[string]string{"VODBOARD_THUMBNAILS": "sometimes"}, "VODBOARD_THUMBNAILS"},
	} {
		if _, err := parse(tc.args, tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %v: %v, want an error naming %q", tc.args, tc.env, err, tc.want)
		}
	}
}
