package thumbs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// entryName is a valid entry name derived from s.
func entryName(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// diskBytes sums the sizes of the thumbnails under dir.
func diskBytes(t *testing.T, dir string) (total int64, files int) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() && filepath.Ext(path) == ".jpg" {
			info, _ := d.Info()
			total += info.Size()
			files++
		}
		return nil
	})
	return total, files
}

func TestCacheStaysWithinItsBoundOnDisk(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenCache(dir, 10_000, time.Hour, "g1")
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte{0xab}, 3_000)
	for i := range 10 {
		if err := c.Put(entryName(string(rune('a'+i))), body); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			// Used again: "a" becomes more recent than "b".
			if _, ok := c.Get(entryName("a")); !ok {
				t.Fatal("a missing")
			}
		}
	}
	size, files := diskBytes(t, dir)
	if size > 10_000 || c.Size() != size || files != 3 {
		t.Errorf("%d bytes in %d files on disk, %d counted; want three 3,000-byte files", size, files, c.Size())
	}
	for _, kept := range []string{"h", "i", "j"} {
		if b, ok := c.Get(entryName(kept)); !ok || !bytes.Equal(b, body) {
			t.Errorf("%s: not kept", kept)
		}
	}
	if _, ok := c.Get(entryName("a")); ok {
		t.Error("a was kept past the bound")
	}
	// An entry larger than the whole bound is not kept.
	c.Put(entryName("huge"), make([]byte, 10_001))
	if _, ok := c.Get(entryName("huge")); ok {
		t.Error("an entry over the bound was kept")
	}
}

func TestCacheLeastRecentlyUsedGoFirst(t *testing.T) {
	c, err := OpenCache(t.TempDir(), 3, time.Hour, "g1")
	if err != nil {
		t.Fatal(err)
	}
	c.Put(entryName("a"), []byte("a"))
	c.Put(entryName("b"), []byte("b"))
	c.Put(entryName("c"), []byte("c"))
	c.Get(entryName("a"))
	c.Put(entryName("d"), []byte("d"))
	for name, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.Get(entryName(name)); ok != want {
			t.Errorf("%s kept: %v, want %v", name, ok, want)
		}
	}
}

func TestCacheEntriesExpire(t *testing.T) {
	c, err := OpenCache(t.TempDir(), 1000, time.Hour, "g1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c.now = func() time.Time { return now }
	c.Put(entryName("a"), []byte("a"))
	now = now.Add(59 * time.Minute)
	if _, ok := c.Get(entryName("a")); !ok {
		t.Fatal("a fresh entry is missing")
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.Get(entryName("a")); ok {
		t.Error("an entry older than the maximum age was found")
	}
	if c.Len() != 0 || c.Size() != 0 {
		t.Errorf("%d entries, %d bytes left", c.Len(), c.Size())
	}
}

func TestCacheSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenCache(dir, 1000, time.Hour, "g1")
	if err != nil {
		t.Fatal(err)
	}
	c.Put(entryName("a"), []byte("kept"))
	// Leftovers of a write cut short, and a file that is not the cache's.
	sub := filepath.Dir(c.path(entryName("a")))
	os.WriteFile(filepath.Join(sub, tempPrefix+"123"), []byte("half"), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)

	c, err = OpenCache(dir, 1000, time.Hour, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := c.Get(entryName("a")); !ok || string(b) != "kept" {
		t.Errorf("after a restart: %q, %v", b, ok)
	}
	if _, err := os.Stat(filepath.Join(sub, tempPrefix+"123")); err == nil {
		t.Error("the leftover of an interrupted write is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Error("a file that is not the cache's was removed")
	}

	// Under another generation (another secret) the names could never be
	// found again: the entries go.
	c, err = OpenCache(dir, 1000, time.Hour, "g2")
	if err != nil {
		t.Fatal(err)
	}
	if _, files := diskBytes(t, dir); files != 0 || c.Len() != 0 {
		t.Errorf("%d files and %d entries left from another generation", files, c.Len())
	}
}

func TestCacheIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "thumbs")
	c, err := OpenCache(dir, 1000, time.Hour, "g1")
	if err != nil {
		t.Fatal(err)
	}
	c.Put(entryName("a"), []byte("a"))
	for _, p := range []string{dir, c.path(entryName("a"))} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group and others", p, perm)
		}
	}
}
