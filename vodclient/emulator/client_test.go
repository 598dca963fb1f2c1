package emulator

import (
	"context"
	"strings"
	"testing"
)

// The real SDK client (darabonba-openapi + credentials-go) against the
// emulator, for every action.
func TestRealClientActions(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	c := newClient(t, srv, DemoKey())
	ctx := context.Background()
	cat := e.Catalog()
	imgs := cat.ImageIDs()

	t.Run("GetImageInfo", func(t *testing.T) {
		body, err := callAPI(ctx, c, "GetImageInfo", map[string]string{"ImageId": imgs[0]})
		if err != nil {
			t.Fatal(err)
		}
		info := obj(body["ImageInfo"])
		if str(info["ImageId"]) != imgs[0] {
			t.Errorf("ImageId = %v", info["ImageId"])
		}
		if !strings.HasPrefix(str(info["URL"]), srv.URL+"/cdn/image/"+imgs[0]+".") {
			t.Errorf("URL = %v", info["URL"])
		}
	})
	t.Run("GetImageInfos", func(t *testing.T) {
		body, err := callAPI(ctx, c, "GetImageInfos", map[string]string{"ImageIds": imgs[2] + "," + imgs[1]})
		if err != nil {
			t.Fatal(err)
		}
		got := list(body["ImageInfo"])
		if len(got) != 2 || str(obj(got[0])["ImageId"]) != imgs[2] || str(obj(got[1])["ImageId"]) != imgs[1] {
			t.Errorf("ImageInfo = %v", got)
		}
		if _, ok := body["NonExistImageIds"]; ok {
			t.Errorf("NonExistImageIds present although all exist")
		}
	})
	t.Run("BatchGetMediaInfos", func(t *testing.T) {
		ids := cat.MediaIDs()[:3]
		body, err := callAPI(ctx, c, "BatchGetMediaInfos", map[string]string{"MediaIds": strings.Join(ids, ",")})
		if err != nil {
			t.Fatal(err)
		}
		got := list(body["MediaInfos"])
		if len(got) != 3 {
			t.Fatalf("MediaInfos = %d entries", len(got))
		}
		for i, m := range got {
			if str(obj(m)["MediaId"]) != ids[i] {
				t.Errorf("MediaInfos[%d].MediaId = %v, want %s", i, obj(m)["MediaId"], ids[i])
			}
		}
	})
	t.Run("NoSuchResource", func(t *testing.T) {
		_, err := callAPI(ctx, c, "GetImageInfo", map[string]string{"ImageId": "00000000000000000000000000000000"})
		if code, status := sdkError(t, err); code != "NoSuchResource" || status != 404 {
			t.Errorf("got %s %d", code, status)
		}
	})
	calls := e.Calls()
	if len(calls) != 4 {
		t.Fatalf("recorded %d calls, want 4", len(calls))
	}
	for _, call := range calls {
		if call.SignatureVersion != "v3" || call.AccessKeyID != DemoKey().AccessKeyID {
			t.Errorf("call %+v", call)
		}
	}
	if got := calls[1].IDs; len(got) != 2 || got[0] != imgs[2] {
		t.Errorf("recorded IDs %v", got)
	}
}

func TestRealClientCredentials(t *testing.T) {
	sts := Key{AccessKeyID: "STS.NUgYrLnoC37mZZCNnAbez2Fbd", AccessKeySecret: "sts-secret", SecurityToken: "CAIS-emulator-token-1"}
	other := Key{AccessKeyID: "STS.Other", AccessKeySecret: "other-secret", SecurityToken: "CAIS-emulator-token-2"}
	e, srv, _ := newTestServer(t, Options{Keys: []Key{DemoKey(), sts, other}})
	id := e.Catalog().ImageIDs()[0]
	q := map[string]string{"ImageId": id}
	ctx := context.Background()

	tests := []struct {
		name       string
		key        Key
		wantCode   string
		wantStatus int
	}{
		{"access key", DemoKey(), "", 200},
		{"sts with its token", sts, "", 200},
		{"sts with a malformed token", Key{sts.AccessKeyID, sts.AccessKeySecret, "CAIS-forged"}, "InvalidSecurityToken.Malformed", 400},
		{"sts with another key's token", Key{sts.AccessKeyID, sts.AccessKeySecret, other.SecurityToken}, "InvalidSecurityToken.MismatchWithAccessKey", 400},
		{"sts key without token", Key{sts.AccessKeyID, sts.AccessKeySecret, ""}, "MissingSecurityToken", 400},
		{"token on a plain key", Key{DemoKey().AccessKeyID, DemoKey().AccessKeySecret, sts.SecurityToken}, "InvalidSecurityToken.Malformed", 400},
		{"wrong secret", Key{DemoKey().AccessKeyID, "wrong-secret", ""}, "SignatureDoesNotMatch", 400},
		{"unknown key", Key{"LTAI5tUnknown", "whatever", ""}, "InvalidAccessKeyId.NotFound", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, srv, tt.key)
			body, err := callAPI(ctx, c, "GetImageInfo", q)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if str(obj(body["ImageInfo"])["ImageId"]) != id {
					t.Errorf("body %v", body)
				}
				return
			}
			if err == nil {
				t.Fatalf("want %s, got success", tt.wantCode)
			}
			if code, status := sdkError(t, err); code != tt.wantCode || status != tt.wantStatus {
				t.Errorf("got %s %d, want %s %d", code, status, tt.wantCode, tt.wantStatus)
			}
		})
	}
}

// Keys added while serving are honoured at once.
func TestAddKeyWhileServing(t *testing.T) {
	e, srv, _ := newTestServer(t, Options{})
	k := Key{AccessKeyID: "LTAI5tLateKey", AccessKeySecret: "late-secret"}
	c := newClient(t, srv, k)
	q := map[string]string{"ImageIds": e.Catalog().ImageIDs()[0]}
	if _, err := callAPI(context.Background(), c, "GetImageInfos", q); err == nil {
		t.Fatal("unknown key accepted")
	}
	e.AddKey(k)
	if _, err := callAPI(context.Background(), c, "GetImageInfos", q); err != nil {
		t.Fatalf("added key refused: %v", err)
	}
}
