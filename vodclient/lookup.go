package vodclient

import (
	"context"
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
// their errors by index.
func eachChunk(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			errs[i] = ctx.Err()
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = fn(ctx, i)
		})
	}
	wg.Wait()
	return errs
}

// allFailed returns the first error when every chunk failed, nil otherwise:
// a lookup with nothing to show is an error, a partial one is a result.
func allFailed(ctx context.Context, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	for _, err := range errs {
		if err == nil {
			return nil
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errs[0]
}
