package vodclient

import (
	"context"
	"errors"
	"strconv"
	"sync"
)

// Outcome says what became of one ID of a lookup.
type Outcome int

// The outcomes of an ID. Every ID asked for gets exactly one.
const (
	Found                Outcome = iota + 1 // the API returned it
	NonExistent                             // NonExistImageIds / NonExistMediaIds
	Forbidden                               // ForbiddenMediaIds: no permission for its application
	NonExistentReference                    // NonExistReferenceIds
	Failed                                  // its call failed; the result's Err says why
)

func (o Outcome) String() string {
	switch o {
	case Found:
		return "found"
	case NonExistent:
		return "nonexistent"
	case Forbidden:
		return "forbidden"
	case NonExistentReference:
		return "nonexistent-reference"
	case Failed:
		return "failed"
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// URLOptions shape the signed URLs the API returns.
type URLOptions struct {
	// AuthTimeout is how long signed URLs stay valid, in seconds; 0 means
	// the API's default (3600 for OSS URLs, the CDN domain's setting for CDN).
	AuthTimeout int
	// OutputType is "cdn", "oss" or "" for the API's default.
	OutputType string
}

// MaxOSSAuthTimeout is the longest AuthTimeout for OSS URLs (30 days).
const MaxOSSAuthTimeout = 2592000

// MaxCDNAuthTimeout is the longest AuthTimeout the client sends for CDN
// URLs (and when OutputType is left to the API), 30 days as for OSS. The
// API sets no limit, but a signed URL that outlives a month is a leak
// waiting to happen.
const MaxCDNAuthTimeout = 2592000

// Validate checks the documented ranges.
func (o URLOptions) Validate() error {
	switch o.OutputType {
	case "", "cdn", "oss":
	default:
		return invalidArgument("OutputType %q: want cdn or oss", o.OutputType)
	}
	if o.AuthTimeout < 0 {
		return invalidArgument("AuthTimeout %d: want at least 1 second", o.AuthTimeout)
	}
	if o.OutputType == "oss" && o.AuthTimeout > MaxOSSAuthTimeout {
		return invalidArgument("AuthTimeout %d: OSS URLs last at most %d seconds (30 days)", o.AuthTimeout, MaxOSSAuthTimeout)
	}
	if o.OutputType != "oss" && o.AuthTimeout > MaxCDNAuthTimeout {
		return invalidArgument("AuthTimeout %d: CDN URLs last at most %d seconds (30 days)", o.AuthTimeout, MaxCDNAuthTimeout)
	}
	return nil
}

func (o URLOptions) addTo(q map[string]string) {
	if o.AuthTimeout > 0 {
		q["AuthTimeout"] = strconv.Itoa(o.AuthTimeout)
	}
	if o.OutputType != "" {
		q["OutputType"] = o.OutputType
	}
}

// eachChunk runs fn for chunks 0..n-1, at most limit at once, and returns
// their errors by index. When one chunk is refused as overloaded the rest
// are called off (a queued turn is given back), since the lookup will be
// refused as a whole: see lookupFailed.
func eachChunk(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
			if ctx.Err() != nil {
				// Both were ready and select chose the slot: a call is
				// never started once the lookup is called off.
				<-sem
				errs[i] = context.Cause(ctx)
				continue
			}
		case <-ctx.Done():
			errs[i] = context.Cause(ctx)
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = fn(ctx, i)
			if IsOverloaded(errs[i]) {
				cancel(errs[i])
			}
		})
	}
	wg.Wait()
	return errs
}

// lookupFailed returns the error of a lookup whose chunks returned errs:
// an overload if any chunk was refused as overloaded (a lookup is admitted
// whole or not at all, and the user is told to come back later); when
// every chunk failed, throttling if any chunk was throttled (the reason
// the others ran out of time), else the context's error or the first;
// and nil otherwise: a lookup with nothing to show is an error, a partial
// one is a result.
func lookupFailed(ctx context.Context, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	for _, err := range errs {
		if IsOverloaded(err) {
			return err
		}
	}
	for _, err := range errs {
		if err == nil {
			return nil
		}
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err()
	}
	for _, err := range errs {
		if IsThrottled(err) {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errs[0]
}

// firstError returns the first overload in errs, else the first error.
func firstError(errs []error) error {
	var first error
	for _, err := range errs {
		if IsOverloaded(err) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}
