package views

import "net/http"

// ErrorInfo is an error shown to the user: as a page, or as an alert
// fragment for htmx requests. Message and Hint must be vetted texts.
type ErrorInfo struct {
	Status    int
	Title     string
	Message   string
	Hint      string
	RequestID string
}

func (e ErrorInfo) title() string {
	if e.Title != "" {
		return e.Title
	}
	if t := http.StatusText(e.Status); t != "" {
		return t
	}
	return "Something went wrong"
}

func (e ErrorInfo) message() string {
	if e.Message != "" {
		return e.Message
	}
	return "Something went wrong."
}
