package emulator

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// addrHandler captures the "addr" attribute of log records.
type addrHandler struct {
	slog.Handler
	mu    sync.Mutex
	addr  string
	texts []string
}

func (h *addrHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "addr" {
			h.addr = a.Value.String()
		}
		b.WriteString(" " + a.String())
		return true
	})
	h.texts = append(h.texts, b.String())
	return nil
}

func (h *addrHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *addrHandler) get() (string, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.addr, append([]string(nil), h.texts...)
}

func TestServe(t *testing.T) {
	h := &addrHandler{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, "127.0.0.1:0", Options{}, slog.New(h)) }()

	var addr string
	for deadline := time.Now().Add(5 * time.Second); addr == "" && time.Now().Before(deadline); {
		addr, _ = h.get()
		time.Sleep(5 * time.Millisecond)
	}
	if addr == "" {
		t.Fatal("Serve did not log its address")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v, want nil after ctx ended", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after ctx ended")
	}
	_, texts := h.get()
	for _, line := range texts {
		if strings.Contains(line, DemoKey().AccessKeySecret) {
			t.Errorf("log line leaks a secret: %s", line)
		}
	}
}

func TestServeBadAddress(t *testing.T) {
	if err := Serve(context.Background(), "256.0.0.1:bad", Options{}, slog.New(&addrHandler{})); err == nil {
		t.Error("Serve on a bad address returned nil")
	}
}

func TestNewRejectsBadKey(t *testing.T) {
	if _, err := New(Options{Keys: []Key{{AccessKeyID: "x"}}}); err == nil {
		t.Error("New accepted a key without a secret")
	}
}
