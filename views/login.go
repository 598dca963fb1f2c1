package views

// Login is the sign-in page. The handler decides what is pre-filled; the
// secret and the STS token are never rendered into the sign-in form.
type Login struct {
	CSRFToken string
	// Next is the local path to return to after sign-in (already validated).
	Next string
	// Region and AccessKeyID pre-fill the form: what the user typed after a
	// failed attempt, or the demo values in demo mode.
	Region      string
	AccessKeyID string
	// Error is the vetted reason the last attempt failed.
	Error string
	// ServerCredentials offers "Continue with server credentials" (a form
	// posting region to /login/server).
	ServerCredentials bool
	// Demo, when set, offers a one-click sign-in with the public demo key
	// (a form posting to /login/demo). Set it only in demo mode.
	Demo *DemoCredentials
}

// DemoCredentials names the public key of the built-in emulator, shown in
// the form; the demo form itself carries no key: the server signs in with
// its own demo key pair.
type DemoCredentials struct {
	Region      string
	AccessKeyID string
}

func (l Login) region() string {
	if l.Region != "" {
		return l.Region
	}
	if l.Demo != nil && l.Demo.Region != "" {
		return l.Demo.Region
	}
	return "cn-shanghai"
}
