package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"vodboard/vodclient/emulator"
)

// runEmulator serves the VOD API emulator alone: `vodboard emulator`.
func runEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vodboard emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on")
	catalogFile := fs.String("catalog", "", `catalog JSON file in the API's own shapes: {"images": [...], "media": [...], "forbidden": [...], "categories": [...]}; default: the built-in demo catalog`)
	synthetic := fs.Int("synthetic", 0, "add `N` generated videos, N audio files and N images to the catalog (e.g. 6000 to page past SearchMedia's 5,000-hit window)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vodboard emulator [-addr 127.0.0.1:9000] [-catalog FILE] [-synthetic N]")
		fmt.Fprintln(stderr, "\nServes an ApsaraVideo VOD API emulator (GetImageInfo, GetImageInfos, BatchGetMediaInfos,")
		fmt.Fprintln(stderr, "SearchMedia, GetCategories).")
		fmt.Fprintln(stderr, "It accepts the key pair in ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET when set,")
		fmt.Fprintln(stderr, "otherwise a demo pair that it prints at start.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("emulator: unexpected argument %q", fs.Arg(0))
	}
	if *synthetic < 0 {
		return fmt.Errorf("emulator: -synthetic %d: want 0 or more", *synthetic)
	}

	opts := emulator.Options{Synthetic: *synthetic}
	if *catalogFile != "" {
		f, err := os.Open(*catalogFile)
		if err != nil {
			return fmt.Errorf("emulator: -catalog: %w", err)
		}
		cat, err := emulator.LoadCatalog(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("emulator: -catalog %s: %w", *catalogFile, err)
		}
		opts.Catalog = cat
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	id, secret := getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	if id != "" && secret != "" {
		opts.Keys = []emulator.Key{{AccessKeyID: id, AccessKeySecret: secret}}
		fmt.Fprintf(stdout, "accepting the AccessKey %s from ALIBABA_CLOUD_ACCESS_KEY_ID\n", id)
	} else {
		k := emulator.DemoKey()
		opts.Keys = []emulator.Key{k}
		fmt.Fprintf(stdout, "accepting the demo key pair:\n  AccessKey ID:     %s\n  AccessKey secret: %s\n", k.AccessKeyID, k.AccessKeySecret)
	}
	fmt.Fprintf(stdout, "point a client at http://%s (vodboard -mode cloud -endpoint http://%s)\n", *addr, *addr)
	return emulator.Serve(ctx, *addr, opts, log)
}
