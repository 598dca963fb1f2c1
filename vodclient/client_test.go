package vodclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"vodboard/vodclient"
	"vodboard/vodclient/emulator"
)

// world is an emulator on a loopback port and a client signed with its demo key.
type world struct {
	emu    *emulator.Emulator
	srv    *httptest.Server
	client *vodclient.Client
}

func newWorld(t testing.TB, tweak func(*vodclient.Config)) *world {
	t.Helper()
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	key := emulator.DemoKey()
	cred, err := vodclient.AccessKey(key.AccessKeyID, key.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	cfg := vodclient.Config{
		Region:     "cn-shanghai",
		Endpoint:   srv.URL,
		Credential: cred,
		Pacer:      vodclient.NewRateLimits(vodclient.DocumentedRateLimits()),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := vodclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &world{emu: emu, srv: srv, client: c}
}

func demoImageIDs(t testing.TB, n int) []string {
	ids := emulator.DemoCatalog().ImageIDs()
	if len(ids) < n {
		t.Fatalf("demo catalog has %d images, need %d", len(ids), n)
	}
	return ids[:n]
}

func TestGetImageInfo(t *testing.T) {
	w := newWorld(t, nil)
	id := demoImageIDs(t, 1)[0]
	img, err := w.client.GetImageInfo(context.Background(), id, vodclient.URLOptions{AuthTimeout: 120, OutputType: "cdn"})
	if err != nil {
		t.Fatal(err)
	}
	if img.ImageID != id || img.Title == "" || !strings.Contains(img.URL, "auth_key=") || !img.CreationTime.Valid() {
		t.Errorf("GetImageInfo(%s) = %+v", id, img)
	}

	_, err = w.client.GetImageInfo(context.Background(), "0000000000000000000000000000dead", vodclient.URLOptions{})
	var vErr *vodclient.Error
	if !vodclient.IsNotFound(err) || !errors.As(err, &vErr) || vErr.Code != "NoSuchResource" || vErr.HTTPStatus != 404 || vErr.RequestID == "" {
		t.Errorf("unknown image: err = %v, want NoSuchResource 404 with a request ID", err)
	}
}

func TestLookupChunksOrdersAndDeduplicates(t *testing.T) {
	w := newWorld(t, nil)
	known := demoImageIDs(t, 40)
	// 45 distinct IDs: 40 known, 5 unknown, interleaved, plus duplicates
	// and stray white space that must not cost a call.
	var asked []string
	for i, id := range known {
		asked = append(asked, id)
		if i%8 == 0 {
			asked = append(asked, fmt.Sprintf("ffffffffffffffffffffffffffff%04d", i))
		}
	}
	distinct := slices.Clone(asked)
	asked = append(asked, " "+known[3]+" ", known[0], "")
	if len(distinct) != 45 {
		t.Fatalf("test set has %d distinct IDs, want 45", len(distinct))
	}

	w.emu.ResetCalls()
	res, err := w.client.GetImageInfos(context.Background(), asked, vodclient.URLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 45 {
		t.Fatalf("%d results, want 45", len(res))
	}
	for i, r := range res {
		if r.ID != distinct[i] {
			t.Fatalf("result %d is %s, want %s (order asked)", i, r.ID, distinct[i])
		}
		wantFound := !strings.HasPrefix(r.ID, "ffffffff")
		if (r.Outcome == vodclient.Found) != wantFound || (!wantFound && r.Outcome != vodclient.NonExistent) {
			t.Errorf("%s: outcome %v", r.ID, r.Outcome)
		}
		if wantFound && r.Image.ImageID != r.ID {
			t.Errorf("%s: image %q", r.ID, r.Image.ImageID)
		}
	}

	calls := w.emu.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls for 45 IDs, want 3", len(calls))
	}
	var sent []string
	for _, c := range calls {
		if c.Action != "GetImageInfos" || len(c.IDs) > 20 || c.Status != 200 {
			t.Errorf("call %+v", c)
		}
		sent = append(sent, c.IDs...)
	}
	slices.Sort(sent)
	want := slices.Clone(distinct)
	slices.Sort(want)
	if !slices.Equal(sent, want) {
		t.Errorf("IDs sent = %v, want each of the 45 once", sent)
	}
}

func TestBatchGetMediaInfosAccountsForEveryID(t *testing.T) {
	w := newWorld(t, nil)
	cat := emulator.DemoCatalog()
	media, refs, forbidden := cat.MediaIDs(), cat.ReferenceIDs(), cat.ForbiddenIDs()
	if len(media) < 3 || len(refs) < 1 || len(forbidden) < 1 {
		t.Fatal("demo catalog lacks media, references or forbidden IDs")
	}
	ids := []string{media[0], "eeeeeeeeeeeeeeeeeeeeeeeeeeee0001", forbidden[0], media[1]}
	refIDs := []string{refs[0], "no-such-reference-1"}
	res, err := w.client.BatchGetMediaInfos(context.Background(), ids, refIDs)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    string
		byRef bool
		out   vodclient.Outcome
	}{
		{media[0], false, vodclient.Found},
		{"eeeeeeeeeeeeeeeeeeeeeeeeeeee0001", false, vodclient.NonExistent},
		{forbidden[0], false, vodclient.Forbidden},
		{media[1], false, vodclient.Found},
		{refs[0], true, vodclient.Found},
		{"no-such-reference-1", true, vodclient.NonExistentReference},
	}
	if len(res) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(res), len(want), res)
	}
	for i, wnt := range want {
		r := res[i]
		if r.ID != wnt.id || r.ByReference != wnt.byRef || r.Outcome != wnt.out {
			t.Errorf("result %d = {%s ref=%v %v}, want {%s ref=%v %v}", i, r.ID, r.ByReference, r.Outcome, wnt.id, wnt.byRef, wnt.out)
		}
	}
	if res[0].Media.MediaID != media[0] || res[0].Media.MediaInfo.Title == "" {
		t.Errorf("found media decoded as %+v", res[0].Media.MediaInfo)
	}
	if string(res[4].Media.MediaInfo.ReferenceID) != refs[0] {
		t.Errorf("reference %s resolved to %+v", refs[0], res[4].Media.MediaInfo)
	}
	if calls := w.emu.Calls(); len(calls) != 1 {
		t.Errorf("%d calls, want 1", len(calls))
	}
}

func TestInvalidInputIsRefusedBeforeAnyCall(t *testing.T) {
	w := newWorld(t, nil)
	w.emu.ResetCalls()
	_, err := w.client.GetImageInfos(context.Background(), []string{"ok-id", "bad id!", "../etc", strings.Repeat("a", 65)}, vodclient.URLOptions{})
	var invalid *vodclient.InvalidIDsError
	if !errors.As(err, &invalid) || !errors.Is(err, vodclient.ErrInvalidArgument) {
		t.Fatalf("err = %v, want InvalidIDsError", err)
	}
	if len(invalid.IDs) != 3 || !strings.Contains(err.Error(), `"../etc"`) {
		t.Errorf("invalid IDs named = %q (%v)", invalid.IDs, err)
	}
	for _, opts := range []vodclient.URLOptions{
		{OutputType: "ftp"},
		{AuthTimeout: -1},
		{OutputType: "oss", AuthTimeout: vodclient.MaxOSSAuthTimeout + 1},
		{OutputType: "cdn", AuthTimeout: vodclient.MaxCDNAuthTimeout + 1},
		{AuthTimeout: vodclient.MaxCDNAuthTimeout + 1},
	} {
		if _, err := w.client.GetImageInfos(context.Background(), []string{"abc"}, opts); !errors.Is(err, vodclient.ErrInvalidArgument) {
			t.Errorf("options %+v: err = %v, want ErrInvalidArgument", opts, err)
		}
	}
	if n := len(w.emu.Calls()); n != 0 {
		t.Errorf("%d calls made for invalid input", n)
	}
}

func TestBlankCredentialsAreRefused(t *testing.T) {
	// credentials-go would fill blank fields from these.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "server-key-id")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "server-secret")
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "server-token")
	cases := [][3]string{{"", "s", ""}, {"id", "  ", ""}, {"\t", "s", ""}, {"id", "s", " "}}
	for i, c := range cases {
		var err error
		if i == 3 {
			_, err = vodclient.STS(c[0], c[1], c[2])
		} else {
			_, err = vodclient.AccessKey(c[0], c[1])
		}
		if !errors.Is(err, vodclient.ErrInvalidArgument) {
			t.Errorf("case %d: err = %v, want ErrInvalidArgument", i, err)
		}
	}
}

func TestSTS(t *testing.T) {
	w := newWorld(t, nil)
	w.emu.AddKey(emulator.Key{AccessKeyID: "STS.NTemporaryKey01", AccessKeySecret: "sts-secret", SecurityToken: "CAIS-security-token"})
	for _, tc := range []struct {
		token string
		ok    bool
	}{{"CAIS-security-token", true}, {"CAIS-wrong-token", false}} {
		cred, err := vodclient.STS("STS.NTemporaryKey01", "sts-secret", tc.token)
		if err != nil {
			t.Fatal(err)
		}
		c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: w.srv.URL, Credential: cred})
		if err != nil {
			t.Fatal(err)
		}
		err = c.CheckCredentials(context.Background())
		if tc.ok && err != nil {
			t.Errorf("right token: %v", err)
		}
		if !tc.ok && !vodclient.IsBadCredentials(err) {
			t.Errorf("wrong token: err = %v, want bad credentials", err)
		}
	}
	last := w.emu.Calls()[len(w.emu.Calls())-1]
	if last.AccessKeyID != "STS.NTemporaryKey01" {
		t.Errorf("emulator saw key %q", last.AccessKeyID)
	}
}

func TestWrongKeysAreBadCredentials(t *testing.T) {
	w := newWorld(t, nil)
	key := emulator.DemoKey()
	w.emu.AddKey(emulator.Key{AccessKeyID: "STS.NTemporaryKey02", AccessKeySecret: "sts-secret-2", SecurityToken: "CAIS-token-2"})
	for name, pair := range map[string][2]string{
		"wrong secret":              {key.AccessKeyID, "not-the-secret"},
		"unknown key":               {"LTAI5tUnknownKey", "whatever"},
		"STS key without its token": {"STS.NTemporaryKey02", "sts-secret-2"},
	} {
		cred, _ := vodclient.AccessKey(pair[0], pair[1])
		c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: w.srv.URL, Credential: cred})
		if err != nil {
			t.Fatal(err)
		}
		err = c.CheckCredentials(context.Background())
		if !vodclient.IsBadCredentials(err) || vodclient.IsNotFound(err) || vodclient.IsTransient(err) {
			t.Errorf("%s: err = %v, want only bad credentials", name, err)
		}
		if err != nil && strings.Contains(err.Error(), pair[1]) {
			t.Errorf("%s: the secret appears in the error %q", name, err)
		}
	}
}

func TestThrottlingIsRetriedWithinItsBound(t *testing.T) {
	// The emulator's throttling answers say TimeLeft 1000 ms.
	w := newWorld(t, func(c *vodclient.Config) { c.MaxRetries = 2; c.MaxBackoff = 1500 * time.Millisecond })
	ids := demoImageIDs(t, 2)

	// Two throttled answers, then success: within the bound of 2 retries.
	w.emu.ResetCalls()
	w.emu.InjectFault("GetImageInfos", emulator.FaultThrottling, 2)
	res, err := w.client.GetImageInfos(context.Background(), ids, vodclient.URLOptions{})
	if err != nil || res[0].Outcome != vodclient.Found {
		t.Fatalf("after 2 throttled answers: %v", err)
	}
	if n := len(w.emu.Calls()); n != 3 {
		t.Errorf("%d calls, want 3 (two throttled, one answered)", n)
	}

	// Three throttled answers exceed it: surfaced as throttled.
	w.emu.ResetCalls()
	w.emu.InjectFault("GetImageInfos", emulator.FaultThrottling, 3)
	_, err = w.client.GetImageInfos(context.Background(), ids, vodclient.URLOptions{})
	var vErr *vodclient.Error
	if !vodclient.IsThrottled(err) || !errors.As(err, &vErr) || vErr.HTTPStatus != 503 {
		t.Errorf("err = %v, want throttled 503", err)
	}
	if n := len(w.emu.Calls()); n != 3 {
		t.Errorf("%d calls, want 3 (no retry past the bound)", n)
	}
}

func TestThrottlingLongerThanTheBackoffIsNotRetriedEarly(t *testing.T) {
	w := newWorld(t, func(c *vodclient.Config) { c.MaxBackoff = 300 * time.Millisecond })
	w.emu.ResetCalls()
	w.emu.InjectFault("GetImageInfos", emulator.FaultThrottling, 1)
	_, err := w.client.GetImageInfos(context.Background(), demoImageIDs(t, 1), vodclient.URLOptions{})
	if !vodclient.IsThrottled(err) {
		t.Errorf("err = %v, want throttled", err)
	}
	if n := len(w.emu.Calls()); n != 1 {
		t.Errorf("%d calls, want 1: a retry before TimeLeft would be throttled again", n)
	}
}

func TestRateLimitWaitPastTheDeadlineIsAnOverload(t *testing.T) {
	w := newWorld(t, func(c *vodclient.Config) {
		c.Pacer = vodclient.NewRateLimits(map[string]float64{"GetImageInfos": 0.1})
	})
	ids := demoImageIDs(t, 1)
	if _, err := w.client.GetImageInfos(context.Background(), ids, vodclient.URLOptions{}); err != nil {
		t.Fatal(err)
	}
	w.emu.ResetCalls()
	// The next turn is 11 s away (0.09 calls/s), past the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := w.client.GetImageInfos(ctx, ids, vodclient.URLOptions{})
	var vErr *vodclient.Error
	if !errors.As(err, &vErr) || !vodclient.IsOverloaded(err) || !vodclient.IsTransient(err) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want an overload", err)
	}
	if ra := vodclient.RetryAfter(err); ra <= 3*time.Second || ra > 12*time.Second {
		t.Errorf("RetryAfter = %v, want the wait for the next turn (about 11 s)", ra)
	}
	if ctx.Err() != nil {
		t.Error("the refusal waited for the deadline instead of coming at once")
	}
	if n := len(w.emu.Calls()); n != 0 {
		t.Errorf("%d calls sent, want none", n)
	}
}

func TestThrottledRetryPastTheDeadlineIsReportedAtOnce(t *testing.T) {
	// An API that throttles with a TimeLeft of 10 s: a retry could not be
	// answered within the 5 s deadline.
	var calls atomic.Int64
	throttling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("x-ratelimit-user-api", fmt.Sprintf("Limit:10,Remain:0,TimeLeft:10000,Reset:%d", time.Now().Add(10*time.Second).UnixMilli()))
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"RequestId":"5F6A1C2B-0000-4000-8000-000000000001","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`)
	}))
	t.Cleanup(throttling.Close)
	w := newWorld(t, func(c *vodclient.Config) {
		c.Endpoint = throttling.URL
		c.MaxBackoff = time.Minute
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := w.client.GetImageInfos(ctx, demoImageIDs(t, 1), vodclient.URLOptions{})
	if !vodclient.IsThrottled(err) {
		t.Errorf("err = %v, want throttled", err)
	}
	if ra := vodclient.RetryAfter(err); ra < 10*time.Second {
		t.Errorf("RetryAfter = %v, want at least the server's TimeLeft 10s", ra)
	}
	if ctx.Err() != nil {
		t.Error("the client waited for the deadline instead of answering at once")
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls, want 1 (no retry that cannot finish in time)", n)
	}
}

func TestClientRateLimitKeepsUnderTheEmulatorsLimit(t *testing.T) {
	// 100 IDs are 5 GetImageInfos calls; 3 rounds are 15 calls, more than
	// the 10 a second the emulator allows. The shared client-side limiter
	// spaces them, so none is throttled.
	w := newWorld(t, func(c *vodclient.Config) { c.MaxRetries = -1 })
	var all []string
	for i := range 100 {
		all = append(all, fmt.Sprintf("%032x", i))
	}
	for range 3 {
		if _, err := w.client.GetImageInfos(context.Background(), all, vodclient.URLOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range w.emu.Calls() {
		if c.Code != "" {
			t.Errorf("call answered %s", c.Code)
		}
	}
}

func TestOtherErrorsAreNotRetried(t *testing.T) {
	w := newWorld(t, nil)
	for _, tc := range []struct {
		fault emulator.Fault
		check func(error) bool
	}{
		{emulator.FaultInternalError, vodclient.IsTransient},
		{emulator.FaultServiceUnavailable, vodclient.IsTransient},
		{emulator.FaultTruncated, vodclient.IsTransient},
		{emulator.FaultNonJSON, vodclient.IsTransient},
	} {
		w.emu.ResetCalls()
		w.emu.InjectFault("", tc.fault, 1)
		_, err := w.client.BatchGetMediaInfos(context.Background(), []string{"abc"}, nil)
		if err == nil || !tc.check(err) || vodclient.IsThrottled(err) {
			t.Errorf("fault %v: err = %v", tc.fault, err)
		}
		if n := len(w.emu.Calls()); n != 1 {
			t.Errorf("fault %v: %d calls, want 1 (not retried)", tc.fault, n)
		}
	}
}

func TestPartialFailureKeepsTheRest(t *testing.T) {
	w := newWorld(t, func(c *vodclient.Config) { c.Concurrency = 1 })
	ids := demoImageIDs(t, 40)
	w.emu.InjectFault("GetImageInfos", emulator.FaultInternalError, 1)
	res, err := w.client.GetImageInfos(context.Background(), ids, vodclient.URLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var failed, found int
	for _, r := range res {
		switch r.Outcome {
		case vodclient.Failed:
			failed++
			if !vodclient.IsTransient(r.Err) {
				t.Errorf("%s failed with %v", r.ID, r.Err)
			}
		case vodclient.Found:
			found++
		}
	}
	if failed != 20 || found != 20 {
		t.Errorf("failed %d, found %d; want 20 and 20", failed, found)
	}
}

func TestDeadlineAndCancellation(t *testing.T) {
	before := runtime.NumGoroutine()
	w := newWorld(t, func(c *vodclient.Config) { c.Timeout = 150 * time.Millisecond })
	w.emu.SetLatency(5 * time.Second)

	start := time.Now()
	_, err := w.client.BatchGetMediaInfos(context.Background(), []string{"abc"}, nil)
	var vErr *vodclient.Error
	if !errors.As(err, &vErr) || vErr.Code != vodclient.CodeTimeout || !vodclient.IsTransient(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow emulator: err = %v, want a timeout", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the deadline did not stop the call: %v", took)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = w.client.GetImageInfos(ctx, demoImageIDs(t, 30), vodclient.URLOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}

	w.emu.SetLatency(0)
	w.srv.CloseClientConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+8 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+8 {
		t.Errorf("goroutines: %d before, %d after", before, n)
	}
}

func TestTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL
	srv.Close() // nothing listens there now
	cred, _ := vodclient.AccessKey("id", "secret")
	c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: url, Credential: cred})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.BatchGetMediaInfos(context.Background(), []string{"abc"}, nil)
	var vErr *vodclient.Error
	if !errors.As(err, &vErr) || vErr.Code != vodclient.CodeTransport || !vodclient.IsTransient(err) {
		t.Errorf("err = %v, want a transient transport error", err)
	}
}

func TestConfigValidation(t *testing.T) {
	cred, _ := vodclient.AccessKey("id", "secret")
	for _, cfg := range []vodclient.Config{
		{Region: "", Credential: cred},
		{Region: "Shanghai!", Credential: cred},
		{Region: "cn-shanghai"},
		{Region: "cn-shanghai", Credential: cred, Endpoint: "ftp://x"},
		{Region: "cn-shanghai", Credential: cred, Endpoint: "http://x/path"},
	} {
		if _, err := vodclient.New(cfg); !errors.Is(err, vodclient.ErrInvalidArgument) {
			t.Errorf("New(%+v) err = %v, want ErrInvalidArgument", cfg, err)
		}
	}
}

func TestConcurrentClientsSignWithTheirOwnKeys(t *testing.T) {
	w := newWorld(t, nil)
	w.emu.AddKey(emulator.Key{AccessKeyID: "LTAI5tSecondUser", AccessKeySecret: "second-secret"})
	second, _ := vodclient.AccessKey("LTAI5tSecondUser", "second-secret")
	c2, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: w.srv.URL, Credential: second})
	if err != nil {
		t.Fatal(err)
	}
	w.emu.ResetCalls()
	var errs atomic.Int32
	done := make(chan struct{})
	for _, c := range []*vodclient.Client{w.client, c2} {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 5 {
				if _, err := c.BatchGetMediaInfos(context.Background(), []string{"abc"}, nil); err != nil {
					errs.Add(1)
				}
			}
		}()
	}
	<-done
	<-done
	if errs.Load() != 0 {
		t.Fatalf("%d calls failed", errs.Load())
	}
	count := map[string]int{}
	for _, c := range w.emu.Calls() {
		count[c.AccessKeyID]++
	}
	if count[emulator.DemoKey().AccessKeyID] != 5 || count["LTAI5tSecondUser"] != 5 {
		t.Errorf("calls by key = %v", count)
	}
}

func (w *world) catalogMedia(t testing.TB) []string {
	ids := emulator.DemoCatalog().MediaIDs()
	if len(ids) < 25 {
		t.Fatalf("demo catalog has %d media", len(ids))
	}
	return ids
}

func TestRateLimitIsSharedByClientsOfOneKey(t *testing.T) {
	// Two clients of the same AccessKey, both on the process-wide limits,
	// make 14 GetImageInfos calls at once: more than the emulator's 10 a
	// second. Only a shared limiter keeps every call under it.
	callsAtOnceByTwoClients(t, 14, func(c *vodclient.Client, i int) error {
		_, err := c.GetImageInfos(context.Background(), []string{fmt.Sprintf("%032x", i)}, vodclient.URLOptions{})
		return err
	})
}

// callsAtOnceByTwoClients makes n calls at once, alternating between two
// clients of the demo key on the process-wide limits and without retries,
// and checks that every one succeeded: none was throttled.
func callsAtOnceByTwoClients(t *testing.T, n int, call func(c *vodclient.Client, i int) error) {
	t.Helper()
	w := newWorld(t, nil)
	key := emulator.DemoKey()
	var clients []*vodclient.Client
	for range 2 {
		cred, _ := vodclient.AccessKey(key.AccessKeyID, key.AccessKeySecret)
		c, err := vodclient.New(vodclient.Config{Region: "cn-shanghai", Endpoint: w.srv.URL, Credential: cred, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	w.emu.ResetCalls()
	errc := make(chan error, n)
	for i := range n {
		go func() { errc <- call(clients[i%2], i) }()
	}
	for range n {
		if err := <-errc; err != nil {
			t.Errorf("call failed: %v", err)
		}
	}
	if got := len(w.emu.Calls()); got != n {
		t.Errorf("%d calls reached the emulator, want %d", got, n)
	}
}
