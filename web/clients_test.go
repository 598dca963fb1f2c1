package web

import (
	"fmt"
	"testing"

	"vodboard/vodclient"
)

func TestClientCacheNeverRevivesAnEndedSession(t *testing.T) {
	cred, err := vodclient.AccessKey("LTAI5tCacheTest", "secret")
	if err != nil {
		t.Fatal(err)
	}
	build := func() (*vodclient.Client, error) {
		return vodclient.New(vodclient.Config{Region: "cn-shanghai", Credential: cred})
	}
	c := newClientCache(2)
	first, _ := c.Get("a", build)
	again, _ := c.Get("a", build)
	if first != again || first.Client == nil {
		t.Error("a session's second request built another client")
	}

	// A request that loaded session "a" before sign-out finishes after it.
	c.release("a")
	late, _ := build()
	c.Put("a", late)
	if n := c.len(); n != 0 {
		t.Errorf("cache holds %d clients after sign-out, want 0", n)
	}

	for i := range 5 {
		if _, err := c.Get(fmt.Sprint("s", i), build); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.len(); n != 2 {
		t.Errorf("cache holds %d clients, want its bound of 2", n)
	}
}
