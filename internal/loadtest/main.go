// Command loadtest measures vodboard under load, on this machine only:
//
//	go run ./internal/loadtest                 # the README's figures (about 6 minutes)
//	go run ./internal/loadtest -duration 5s    # a short run while iterating
//
// It starts the VOD emulator on a loopback port with 40 ms of latency, and
// the real server (web.ParseConfig and web.Run, as main runs them) in a
// child process of its own, so that the memory and goroutines it reports
// are the server's alone. It signs in two sessions over HTTP and, with
// vegeta as a library, sends one session's requests at a constant rate,
// one scenario at a time (a media detail page, a 20-ID media list, a
// 40-image grid), while the other session looks up one image every
// probe-every. After each scenario it watches the server settle. Then it
// finds the detail page's ceiling and sends twice that. Every target is
// on 127.0.0.1, every loop is bounded by its duration, and the child is
// stopped at the end.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"vodboard/vodclient/emulator"
	"vodboard/web"
)

// childEnv marks the child process that serves vodboard.
const childEnv = "VODBOARD_LOADTEST_SERVER"

func main() {
	if os.Getenv(childEnv) == "1" {
		os.Exit(serve())
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// serve is the child: vodboard itself, reporting its goroutines and RSS on
// stdout every statsEvery.
func serve() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := web.ParseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var mu sync.Mutex
	out := &lockedWriter{mu: &mu, w: os.Stdout}
	go func() {
		t := time.NewTicker(statsEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fmt.Fprintf(out, "stats %d %d\n", runtime.NumGoroutine(), rss())
			}
		}
	}()
	if err := web.Run(ctx, cfg, out, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

const statsEvery = 250 * time.Millisecond

// rss is the process's resident set size in bytes (VmRSS).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

type options struct {
	duration, settle, latency, probeEvery, timeout time.Duration
	rate                                           int
	scenarios                                      string
	overload                                       bool
	serverFlags                                    []string
}

func run() error {
	var o options
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "how long each scenario sends requests")
	flag.IntVar(&o.rate, "rate", 50, "requests per second of each scenario")
	flag.DurationVar(&o.settle, "settle", 30*time.Second, "how long to watch the server settle after each scenario")
	flag.DurationVar(&o.latency, "latency", 40*time.Millisecond, "latency of the emulated VOD API")
	flag.DurationVar(&o.probeEvery, "probe-every", 500*time.Millisecond, "how often the second session looks up one image")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "client timeout of one request")
	flag.StringVar(&o.scenarios, "scenarios", "detail,list,grid", "scenarios to run, comma-separated")
	flag.BoolVar(&o.overload, "overload", true, "then find the detail page's ceiling and send twice that")
	maxInflight := flag.String("max-inflight", "", "passed to the server (empty: its default)")
	requestTimeout := flag.String("request-timeout", "", "passed to the server (empty: its default)")
	flag.Parse()
	if *maxInflight != "" {
		o.serverFlags = append(o.serverFlags, "-max-inflight", *maxInflight)
	}
	if *requestTimeout != "" {
		o.serverFlags = append(o.serverFlags, "-request-timeout", *requestTimeout)
	}
	if o.duration <= 0 || o.duration > 10*time.Minute || o.rate <= 0 || o.rate > 5000 || o.settle < 0 || o.settle > 5*time.Minute {
		return errors.New("want -duration up to 10m, -rate up to 5000 and -settle up to 5m")
	}

	emu, emuURL, key, stopEmu, err := startEmulator(o.latency)
	if err != nil {
		return err
	}
	defer stopEmu()
	srv, err := startServer(emuURL, o.serverFlags)
	if err != nil {
		return err
	}
	defer srv.stop()

	user, err := signIn(srv.url, key)
	if err != nil {
		return fmt.Errorf("sign in the main session: %w", err)
	}
	probe, err := signIn(srv.url, key)
	if err != nil {
		return fmt.Errorf("sign in the probe session: %w", err)
	}
	cat := emu.Catalog()
	images, media := cat.ImageIDs(), cat.MediaIDs()
	if len(images) < 41 || len(media) < 20 {
		return errors.New("the demo catalog is too small")
	}
	targets := map[string]string{
		"detail": "/media/" + media[0],
		"list":   "/media?ids=" + strings.Join(media[:20], ","),
		"grid":   "/images?ids=" + strings.Join(images[:40], ","),
	}
	probePath := "/images?ids=" + images[40]

	fmt.Printf("vodboard load test: %d CPUs, GOMAXPROCS %d, %s, upstream latency %v, %d requests/s for %v per scenario\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), loadavg(), o.latency, o.rate, o.duration)
	for _, path := range []string{targets["detail"], targets["list"], targets["grid"], probePath} {
		for range 3 {
			if code, _, err := get(user, srv.url+path); err != nil || code != http.StatusOK {
				return fmt.Errorf("warm-up %s: %d %v", path, code, err)
			}
		}
	}
	time.Sleep(3 * time.Second)
	base := srv.last()
	fmt.Printf("baseline: %d goroutines, RSS %s\n\n", base.goroutines, mb(base.rss))

	var rows []row
	for _, name := range strings.Split(o.scenarios, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		path, ok := targets[name]
		if !ok {
			return fmt.Errorf("no scenario %q (want detail, list or grid)", name)
		}
		fmt.Fprintf(os.Stderr, "scenario %s: %d/s for %v...\n", name, o.rate, o.duration)
		r := scenario(srv, user, probe, name, srv.url+path, srv.url+probePath, o.rate, o.duration, o)
		r.settled, r.after = srv.settle(base, o.settle)
		rows = append(rows, r)
	}
	if len(rows) > 0 {
		printRows(rows, o)
	}

	if o.overload {
		if err := overload(srv, user, srv.url+targets["detail"], o); err != nil {
			return err
		}
	}
	fmt.Printf("\nmachine load at the end: %s\n", loadavg())
	return nil
}

// startEmulator serves the demo catalog on a loopback port with a fresh
// key and the given latency.
func startEmulator(latency time.Duration) (*emulator.Emulator, string, emulator.Key, func(), error) {
	key := emulator.Key{AccessKeyID: "LTAI5tLoadTest" + randomHex(4), AccessKeySecret: randomHex(16)}
	emu, err := emulator.New(emulator.Options{Keys: []emulator.Key{key}})
	if err != nil {
		return nil, "", key, nil, err
	}
	emu.SetLatency(latency)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", key, nil, err
	}
	hs := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return emu, "http://" + ln.Addr().String(), key, func() { hs.Close() }, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// server is the child process and what it reports.
type server struct {
	url  string
	cmd  *exec.Cmd
	done chan struct{}

	mu      sync.Mutex
	samples []sample
}

type sample struct {
	at         time.Time
	goroutines int
	rss        int64
}

var servingLine = regexp.MustCompile(`serving on (http://\S+)`)

func startServer(emuURL string, extra []string) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	logFile, err := os.CreateTemp("", "vodboard-loadtest-*.log")
	if err != nil {
		return nil, err
	}
	args := append([]string{"-mode", "cloud", "-endpoint", emuURL, "-addr", "127.0.0.1:0",
		"-log-level", "warn", "-session-key", randomHex(32)}, extra...)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "server log: %s\n", logFile.Name())
	s := &server{cmd: cmd, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if m := servingLine.FindStringSubmatch(line); m != nil {
				urls <- m[1]
				continue
			}
			var g int
			var r int64
			if _, err := fmt.Sscanf(line, "stats %d %d", &g, &r); err == nil {
				s.mu.Lock()
				s.samples = append(s.samples, sample{time.Now(), g, r})
				s.mu.Unlock()
			}
		}
	}()
	select {
	case u := <-urls:
		pu, err := url.Parse(u)
		if err != nil || !net.ParseIP(pu.Hostname()).IsLoopback() {
			s.stop()
			return nil, fmt.Errorf("the server is not on loopback: %q", u)
		}
		s.url = u
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("the server exited; see %s", logFile.Name())
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, errors.New("the server did not start within 30 s")
	}
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
	}
	s.cmd.Wait()
}

func (s *server) last() sample {
	time.Sleep(2 * statsEvery)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) == 0 {
		return sample{}
	}
	return s.samples[len(s.samples)-1]
}

// peak returns the highest goroutines and RSS reported since from.
func (s *server) peak(from time.Time) (g int, r int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.samples {
		if !x.at.Before(from) {
			g, r = max(g, x.goroutines), max(r, x.rss)
		}
	}
	return g, r
}

// settle waits up to d and returns how long it took the server to be back
// near base (goroutines within 10, RSS within 25% or 10 MB), or -1, and
// the last sample.
func (s *server) settle(base sample, d time.Duration) (time.Duration, sample) {
	start := time.Now()
	settled := time.Duration(-1)
	for time.Since(start) < d {
		time.Sleep(statsEvery)
		x := s.last()
		near := x.goroutines <= base.goroutines+10 && x.rss <= max(base.rss*5/4, base.rss+10<<20)
		if near && settled < 0 {
			settled = time.Since(start)
		}
		if !near {
			settled = -1
		}
	}
	return settled, s.last()
}

// session is a signed-in browser: its cookie and an HTTP client.
type session struct {
	cookie string
	client *http.Client
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func signIn(base string, key emulator.Key) (*session, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return nil, errors.New("no CSRF token on the sign-in page")
	}
	res, err = c.PostForm(base+"/login", url.Values{
		"_csrf": {string(m[1])}, "region": {"cn-shanghai"},
		"access_key_id": {key.AccessKeyID}, "access_key_secret": {key.AccessKeySecret},
	})
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in answered %d", res.StatusCode)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return &session{cookie: strings.Join(parts, "; "), client: c}, nil
}

// browserEncodings is what a current browser accepts.
const browserEncodings = "gzip, deflate, br, zstd"

func get(s *session, u string) (int, time.Duration, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Encoding", browserEncodings)
	start := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, time.Since(start), nil
}

// row is one scenario's figures.
type row struct {
	name          string
	sent          int
	codes         map[int]int // 0: no answer (timeout, reset)
	ok            []time.Duration
	all           []time.Duration
	probe         []time.Duration
	probeBad      int
	peakG         int
	peakRSS       int64
	settled       time.Duration
	after         sample
	okPerSecond   float64
	shedPerSecond float64
}

// attack sends rate requests a second to u for d with s's cookie.
func attack(s *session, u string, rate int, d, timeout time.Duration, name string) row {
	tr := &http.Transport{MaxIdleConnsPerHost: 10000, IdleConnTimeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	atk := vegeta.NewAttacker(vegeta.Client(client), vegeta.MaxBody(0))
	target := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: u,
		Header: http.Header{"Cookie": {s.cookie}, "Accept-Encoding": {browserEncodings}}})
	r := row{name: name, codes: map[int]int{}}
	for res := range atk.Attack(target, vegeta.Rate{Freq: rate, Per: time.Second}, d, name) {
		r.sent++
		r.codes[int(res.Code)]++
		r.all = append(r.all, res.Latency)
		if res.Code == http.StatusOK {
			r.ok = append(r.ok, res.Latency)
		}
	}
	r.okPerSecond = float64(r.codes[http.StatusOK]) / d.Seconds()
	r.shedPerSecond = float64(r.codes[http.StatusServiceUnavailable]) / d.Seconds()
	return r
}

func scenario(srv *server, user, probe *session, name, u, probeURL string, rate int, d time.Duration, o options) row {
	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	var probes []time.Duration
	bad := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(o.probeEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				code, took, err := get(probe, probeURL)
				probes = append(probes, took)
				if err != nil || code != http.StatusOK {
					bad++
				}
			}
		}
	}()
	r := attack(user, u, rate, d, o.timeout, name)
	cancel()
	<-done
	probe.client.CloseIdleConnections()
	r.probe, r.probeBad = probes, bad
	r.peakG, r.peakRSS = srv.peak(start)
	return r
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func mb(b int64) string { return fmt.Sprintf("%d MB", (b+1<<19)>>20) }

func codes(c map[int]int) string {
	var keys []int
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		name := strconv.Itoa(k)
		if k == 0 {
			name = "none"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, c[k]))
	}
	return strings.Join(parts, " ")
}

func printRows(rows []row, o options) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "scenario\tsent\tanswers\t200/s\t503/s\t200 p50\t200 p99\t200 max\tprobe p50\tprobe p99\tprobe max\tprobe not 200\tpeak goroutines\tpeak RSS\tsettled in\tgoroutines after\tRSS after\t")
	for _, r := range rows {
		settled := "not within " + o.settle.String()
		if r.settled >= 0 {
			settled = fmt.Sprintf("%.1f s", r.settled.Seconds())
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t%d\t%s\t%s\t%d\t%s\t\n",
			r.name, r.sent, codes(r.codes), r.okPerSecond, r.shedPerSecond,
			ms(pct(r.ok, 50)), ms(pct(r.ok, 99)), ms(pct(r.ok, 100)),
			ms(pct(r.probe, 50)), ms(pct(r.probe, 99)), ms(pct(r.probe, 100)), r.probeBad, len(r.probe),
			r.peakG, mb(r.peakRSS), settled, r.after.goroutines, mb(r.after.rss))
	}
	w.Flush()
}

// overload finds the detail page's ceiling (the highest rate answered
// whole: no 503, p99 under a second, in steps of 10 s) and then sends
// twice that for the scenario duration (at most 30 s).
func overload(srv *server, s *session, u string, o options) error {
	fmt.Fprintln(os.Stderr, "finding the detail page's ceiling...")
	ceiling := 0.0
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "\ndetail page at\tsent\tanswers\t200/s\t503/s\t200 p50\t200 p99\tpeak goroutines\tpeak RSS\t")
	line := func(label string, r row) {
		fmt.Fprintf(w, "%s\t%d\t%s\t%.1f\t%.1f\t%s\t%s\t%d\t%s\t\n", label, r.sent, codes(r.codes), r.okPerSecond, r.shedPerSecond,
			ms(pct(r.ok, 50)), ms(pct(r.ok, 99)), r.peakG, mb(r.peakRSS))
	}
	step := min(10*time.Second, o.duration)
	for _, rate := range []int{100, 200, 300, 400, 500, 600, 800, 1000} {
		start := time.Now()
		r := attack(s, u, rate, step, o.timeout, "ceiling")
		r.peakG, r.peakRSS = srv.peak(start)
		line(fmt.Sprintf("%d/s", rate), r)
		srv.settle(sample{}, 2*time.Second)
		if r.codes[http.StatusOK] < r.sent || pct(r.ok, 99) > time.Second {
			break
		}
		ceiling = r.okPerSecond
	}
	if ceiling == 0 {
		w.Flush()
		return errors.New("the detail page did not hold even 100 requests/s")
	}
	rate := int(2 * ceiling)
	start := time.Now()
	r := attack(s, u, rate, min(30*time.Second, o.duration), o.timeout, "overload")
	r.peakG, r.peakRSS = srv.peak(start)
	line(fmt.Sprintf("%d/s (2× the ceiling)", rate), r)
	w.Flush()
	fmt.Printf("ceiling %.0f/s; at twice that %.0f/s answered 200 (%.0f%% of the ceiling), %.0f/s shed with 503\n",
		ceiling, r.okPerSecond, 100*r.okPerSecond/ceiling, r.shedPerSecond)
	return nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	return "load average " + strings.Join(f[:3], " ")
}
