package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// startEmulator runs `vodboard emulator` in the background on a free port
// and returns its endpoint.
func startEmulator(t *testing.T, env map[string]string, args ...string) (endpoint string, stdout *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"vodboard", "emulator", "-addr", addr}, args...), envOf(env), stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("emulator did not shut down cleanly: %v\n%s", err, stderr)
		}
	})
	endpoint = "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/healthz")
		if err == nil {
			resp.Body.Close()
			return endpoint, stdout
		}
		select {
		case err := <-done:
			t.Fatalf("emulator exited: %v\n%s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("emulator not up: %v\n%s", err, stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func lookupWith(t *testing.T, endpoint, id, secret string, mediaIDs []string) ([]vodclient.MediaResult, error) {
	t.Helper()
	cred, err := vodclient.AccessKey(id, secret)
	if err != nil {
		t.Fatal(err)
	}
	c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: endpoint, Credential: cred})
	if err != nil {
		t.Fatal(err)
	}
	return c.BatchGetMediaInfos(context.Background(), mediaIDs, nil)
}

func TestEmulatorCommand(t *testing.T) {
	demo := emulator.DemoKey()
	media := emulator.DemoCatalog().MediaIDs()[:2]

	t.Run("demo key pair, printed at start", func(t *testing.T) {
		endpoint, stdout := startEmulator(t, nil)
		if !strings.Contains(stdout.String(), demo.AccessKeyID) || !strings.Contains(stdout.String(), demo.AccessKeySecret) {
			t.Errorf("the demo pair is not printed:\n%s", stdout)
		}
		res, err := lookupWith(t, endpoint, demo.AccessKeyID, demo.AccessKeySecret, media)
		if err != nil || res[0].Outcome != vodclient.Found {
			t.Fatalf("lookup with the demo key: %v", err)
		}
	})

	t.Run("key pair from the environment", func(t *testing.T) {
		env := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tFromEnvironment", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret-value"}
		endpoint, stdout := startEmulator(t, env)
		if strings.Contains(stdout.String(), "env-secret-value") {
			t.Error("the secret from the environment is printed")
		}
		if _, err := lookupWith(t, endpoint, "LTAI5tFromEnvironment", "env-secret-value", media); err != nil {
			t.Errorf("lookup with the environment's key: %v", err)
		}
		if _, err := lookupWith(t, endpoint, demo.AccessKeyID, demo.AccessKeySecret, media); !vodclient.IsBadCredentials(err) {
			t.Errorf("the demo key still works: err = %v", err)
		}
	})

	t.Run("catalog file in the API's shapes", func(t *testing.T) {
		catalog := `{"images": [], "media": [{"MediaId": "replayed0001", "MediaInfo": {"MediaId": "replayed0001", "Title": "Saved from a real account", "Status": "Normal"}, "PlayInfoList": []}], "forbidden": ["secret0001"]}`
		file := filepath.Join(t.TempDir(), "catalog.json")
		if err := os.WriteFile(file, []byte(catalog), 0o600); err != nil {
			t.Fatal(err)
		}
		endpoint, _ := startEmulator(t, nil, "-catalog", file)
		res, err := lookupWith(t, endpoint, demo.AccessKeyID, demo.AccessKeySecret, []string{"replayed0001", "secret0001", media[0]})
		if err != nil {
			t.Fatal(err)
		}
		want := []vodclient.Outcome{vodclient.Found, vodclient.Forbidden, vodclient.NonExistent}
		for i, r := range res {
			if r.Outcome != want[i] {
				t.Errorf("%s: %v, want %v", r.ID, r.Outcome, want[i])
			}
		}
		if res[0].Media.MediaInfo.Title != "Saved from a real account" {
			t.Errorf("replayed title %q", res[0].Media.MediaInfo.Title)
		}
	})

	t.Run("synthetic assets", func(t *testing.T) {
		endpoint, _ := startEmulator(t, nil, "-synthetic", "3")
		// Generation is deterministic: an emulator built the same way
		// names the same assets, after the demo catalog's own.
		e, err := emulator.New(emulator.Options{Synthetic: 3})
		if err != nil {
			t.Fatal(err)
		}
		ids := e.Catalog().MediaIDs()
		if len(ids) != len(emulator.DemoCatalog().MediaIDs())+6 {
			t.Fatalf("%d media with 3 synthetic videos and 3 audio files", len(ids))
		}
		synthetic := ids[len(ids)-6:]
		res, err := lookupWith(t, endpoint, demo.AccessKeyID, demo.AccessKeySecret, synthetic)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Outcome != vodclient.Found || !strings.Contains(r.Media.MediaInfo.Tags, "synthetic") {
				t.Errorf("%s: %v, tags %q", r.ID, r.Outcome, r.Media.MediaInfo.Tags)
			}
		}
	})

	t.Run("a negative -synthetic is refused", func(t *testing.T) {
		err := run(context.Background(), []string{"vodboard", "emulator", "-synthetic", "-1"}, envOf(nil), &lockedBuffer{}, &lockedBuffer{})
		if err == nil || !strings.Contains(err.Error(), "-synthetic") {
			t.Errorf("err = %v, want one naming -synthetic", err)
		}
	})

	t.Run("a bad catalog stops it with the file named", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "broken.json")
		os.WriteFile(file, []byte(`{"media": [{"Title": "no ID"}]}`), 0o600)
		err := run(context.Background(), []string{"vodboard", "emulator", "-catalog", file}, envOf(nil), &lockedBuffer{}, &lockedBuffer{})
		if err == nil || !strings.Contains(err.Error(), "broken.json") {
			t.Errorf("err = %v, want one naming the file", err)
		}
	})
}
