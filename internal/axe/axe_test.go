package axe

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// tarball is a .tgz holding files, the way npm packs a package.
func tarball(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFileInTarball(t *testing.T) {
	tgz := tarball(t, map[string]string{"package/README.md": "readme", "package/axe.min.js": "window.axe = {};"})
	got, err := fileInTarball(tgz, "package/axe.min.js")
	if err != nil || string(got) != "window.axe = {};" {
		t.Errorf("fileInTarball = %q, %v; want the script", got, err)
	}
	if _, err := fileInTarball(tgz, "package/missing.js"); err == nil {
		t.Error("a file missing from the tarball was found")
	}
	if _, err := fileInTarball([]byte("not gzip"), "package/axe.min.js"); err == nil {
		t.Error("a tarball that is not gzip was read")
	}
}

// TestIntegrity checks the Subresource Integrity form against a value
// computed elsewhere: printf abc | openssl dgst -sha512 -binary | base64.
func TestIntegrity(t *testing.T) {
	const want = "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
	if got := integrity([]byte("abc")); got != want {
		t.Errorf("integrity(abc) = %s, want %s", got, want)
	}
}

func TestScriptFromEnv(t *testing.T) {
	p := filepath.Join(t.TempDir(), "axe.min.js")
	if err := os.WriteFile(p, []byte("window.axe = {};"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvPath, p)
	got, err := Script(context.Background())
	if err != nil || got != "window.axe = {};" {
		t.Errorf("Script with %s set = %q, %v; want that file", EnvPath, got, err)
	}
	t.Setenv(EnvPath, filepath.Join(t.TempDir(), "absent.js"))
	if _, err := Script(context.Background()); err == nil {
		t.Errorf("Script with %s naming no file succeeded", EnvPath)
	}
}

// TestScriptFromCache: a cached script is used as it is, with no npm.
func TestScriptFromCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir on Linux
	t.Setenv("HOME", cache)           // and on macOS
	t.Setenv("PATH", "")              // no npm
	t.Setenv(EnvPath, "")
	p, err := cachePath()
	if err != nil {
		t.Skipf("no user cache directory here: %v", err)
	}
	if _, err := Script(context.Background()); err != ErrNoNPM {
		t.Fatalf("Script with an empty cache and no npm: %v, want ErrNoNPM", err)
	}
	if err := writeAtomically(p, []byte("cached")); err != nil {
		t.Fatal(err)
	}
	if got, err := Script(context.Background()); err != nil || got != "cached" {
		t.Errorf("Script = %q, %v; want the cached copy", got, err)
	}
}
