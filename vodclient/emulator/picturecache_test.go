package emulator

import (
	"bytes"
	"sync/atomic"
	"testing"
)

func TestPictureCacheKeepsWithinItsBound(t *testing.T) {
	c := newPictureCache(100)
	var renders atomic.Int32
	render := func(n int) func() ([]byte, error) {
		return func() ([]byte, error) {
			renders.Add(1)
			return bytes.Repeat([]byte{'x'}, n), nil
		}
	}
	for _, key := range []string{"a", "b", "c"} {
		if _, err := c.get(key, render(40)); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.bytes(); got != 80 {
		t.Errorf("kept %d bytes, want 80: the oldest of three 40-byte pictures dropped", got)
	}
	renders.Store(0)
	c.get("c", render(40))
	c.get("b", render(40))
	if n := renders.Load(); n != 0 {
		t.Errorf("%d renders of kept pictures, want 0", n)
	}
	c.get("a", render(40))
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders of a dropped picture, want 1", n)
	}
	if _, err := c.get("huge", render(101)); err != nil || c.bytes() > 100 {
		t.Errorf("a picture over the bound: %v, kept %d bytes", err, c.bytes())
	}
}
