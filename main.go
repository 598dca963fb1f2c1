// Command vodboard is a self-hosted web dashboard for browsing the images,
// videos and audio of an Alibaba Cloud ApsaraVideo VOD account.
//
//	vodboard [flags]            serve the dashboard (demo mode by default)
//	vodboard emulator [flags]   serve only the VOD API emulator
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"vodboard/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "vodboard:", err)
		os.Exit(1)
	}
}

// run is the whole program; tests call it too.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 1 && args[1] == "emulator" {
		return runEmulator(ctx, args[2:], getenv, stdout, stderr)
	}
	cfg, err := web.ParseConfig(args[1:], getenv, stderr)
	if web.IsHelp(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return web.Run(ctx, cfg, stdout, stderr)
}
