// Package axe hands the browser tests axe-core, the accessibility engine
// they inject into every page. axe-core is a test tool, never shipped in
// static/: it is fetched from npm the first time a test needs it (with npm
// itself, `npm pack`), checked against the tarball integrity pinned here,
// and cached on the machine.
package axe

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The axe-core release the tests run, and the integrity npm publishes for
// its tarball (`npm view axe-core@4.14.1 dist.integrity`). To upgrade,
// change both together.
const (
	Version   = "4.14.1"
	Integrity = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

// EnvPath names an environment variable that, when set, is the path of an
// axe.min.js to use as is (a machine with no npm or no registry).
const EnvPath = "VODBOARD_AXE_CORE"

// ErrNoNPM is returned when axe-core is neither cached nor fetchable
// because npm is not installed.
var ErrNoNPM = errors.New("npm is not installed (needed once, to fetch axe-core)")

// Script returns the text of axe-core's axe.min.js: the file $VODBOARD_AXE_CORE
// names, else the cached copy of Version, else one fetched with npm now and
// cached for the next run.
func Script(ctx context.Context) (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("%s: %w", EnvPath, err)
		}
		return string(b), nil
	}
	cached, err := cachePath()
	if err != nil {
		return "", err
	}
	if b, err := os.ReadFile(cached); err == nil {
		return string(b), nil
	}
	script, err := fetch(ctx)
	if err != nil {
		return "", err
	}
	if err := writeAtomically(cached, script); err != nil {
		return "", fmt.Errorf("cache axe-core: %w", err)
	}
	return string(script), nil
}

// cachePath is where the verified axe.min.js of Version is kept.
func cachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for axe-core (set %s to an axe.min.js): %w", EnvPath, err)
	}
	return filepath.Join(dir, "vodboard", "axe-core-"+Version, "axe.min.js"), nil
}

// fetch packs axe-core@Version with npm into a temporary directory, checks
// the tarball against Integrity and returns its axe.min.js.
func fetch(ctx context.Context) ([]byte, error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, ErrNoNPM
	}
	tmp, err := os.MkdirTemp("", "vodboard-axe-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--pack-destination", tmp, "axe-core@"+Version)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("npm pack axe-core@%s: %w\n%s", Version, err, out)
	}
	tarball, err := os.ReadFile(filepath.Join(tmp, "axe-core-"+Version+".tgz"))
	if err != nil {
		return nil, fmt.Errorf("npm pack axe-core@%s: %w", Version, err)
	}
	if got := integrity(tarball); got != Integrity {
		return nil, fmt.Errorf("axe-core@%s tarball integrity is %s, want %s", Version, got, Integrity)
	}
	return fileInTarball(tarball, "package/axe.min.js")
}

// integrity is a Subresource Integrity string (npm's dist.integrity).
func integrity(b []byte) string {
	sum := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// fileInTarball returns the contents of one file of a .tgz.
func fileInTarball(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s is not in the axe-core tarball", name)
		}
		if err != nil {
			return nil, err
		}
		if strings.TrimPrefix(h.Name, "./") == name {
			return io.ReadAll(tr)
		}
	}
}

// writeAtomically writes b to path through a temporary file, so a test
// running at the same time never reads half a script.
func writeAtomically(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".axe-*.js")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
