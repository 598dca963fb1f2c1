package redistest

import "testing"

func TestStartStopRestart(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr); err != nil {
		t.Fatalf("ping %s: %v", s.Addr, err)
	}
	s.Stop()
	if ping(s.Addr) == nil {
		t.Fatal("a stopped server still answers")
	}
	s.Restart()
	if err := ping(s.Addr); err != nil {
		t.Fatalf("after restart: %v", err)
	}
}
