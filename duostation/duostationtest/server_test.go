package duostationtest_test

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rosterhq/roster/duostation/duostationtest"
)

// TestEndpointsAreTheCatalogue: the fake serves exactly the catalogue's rows.
func TestEndpointsAreTheCatalogue(t *testing.T) {
	f, err := os.Open("../../fixtures/duostation/endpoints.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "method\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		want = append(want, cols[0]+" "+cols[1])
	}
	srv := duostationtest.NewServer()
	defer srv.Close()
	got := srv.Endpoints()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("endpoints\n got %q\nwant %q", got, want)
	}
}

// TestStrict sends what a careless client might and checks the fake refuses it.
func TestStrict(t *testing.T) {
	t.Parallel()
	srv := duostationtest.NewServer()
	defer srv.Close()
	dev := "/api/devices/" + duostationtest.SeedDeviceID
	tests := []struct {
		name, method, uri, body string
		status                  int
	}{
		{"PascalCase key", "POST", "/api/groups", `{"Name":"x"}`, 400},
		{"unknown key", "POST", "/api/groups", `{"name":"x","path":"y"}`, 400},
		{"duplicate key", "POST", "/api/groups", `{"name":"x","name":"y"}`, 400},
		{"null", "POST", "/api/groups", `{"name":"x","parentId":null}`, 400},
		{"id as string", "POST", "/api/usertags", `{"userId":"1","tagId":1}`, 400},
		{"groupId missing", "POST", "/api/grouptags", `{"tagId":1}`, 400},
		{"account on update", "PUT", "/api/users/1", `{"accountName":"x"}`, 400},
		{"empty update", "PUT", "/api/users/1", `{}`, 400},
		{"no body", "POST", "/api/users", ``, 400},
		{"empty search", "GET", "/api/users?email=", "", 400},
		{"unknown search", "GET", "/api/users?name=x", "", 400},
		{"repeated search", "GET", "/api/users?email=a&email=b", "", 400},
		{"search on groups", "GET", "/api/groups?name=x", "", 400},
		{"empty path", "GET", "/api/groups?path=", "", 400},
		{"body on a command", "POST", dev + "/wipedevice", `{}`, 400},
		{"braced GUID", "POST", "/api/devices/%7B" + duostationtest.SeedDeviceID + "%7D/lockdevice", "", 400},
		{"unknown device", "POST", "/api/devices/00000000-0000-0000-0000-000000000000/wipedevice", "", 404},
		{"unknown user", "GET", "/api/users/42", "", 404},
		{"id not a number", "GET", "/api/users/abc", "", 400},
		{"unknown path", "GET", "/api/things", "", 404},
		{"wrong method", "PATCH", "/api/users/1", `{"name":"x"}`, 405},
		{"install unknown app", "POST", dev + "/installapp", `{"appId":7}`, 400},
		{"message missing", "POST", dev + "/sendmessage", `{}`, 400},
		{"app with both images", "POST", "/api/apps", `{"name":"a","company":"c","packageId":"p","versionText":"1","platform":1,"size":1,"store":1,"storeId":"p","imageData":"iVBORw0KGgo=","imageUrl":"https://x/i.png"}`, 400},
		{"app store id", "POST", "/api/apps", `{"name":"a","company":"c","packageId":"p","versionText":"1","platform":1,"size":1,"store":1,"storeId":"q","imageUrl":"https://x/i.png"}`, 400},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.uri, strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.SetBasicAuth(srv.Username, srv.Password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, body, tt.status)
		}
	}
	if cmds := srv.Commands(""); len(cmds) != 0 {
		t.Errorf("commands = %+v", cmds)
	}
	if len(srv.Groups()) != 2 || len(srv.Users()) != 1 || len(srv.Apps()) != 0 {
		t.Errorf("state changed: %v %v %v", srv.Groups(), srv.Users(), srv.Apps())
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	srv := duostationtest.NewServer(duostationtest.WithBasicAuth("ops", "s3cret-pass"))
	defer srv.Close()
	for _, creds := range [][2]string{{}, {"ops", "wrong"}, {"admin", "s3cret-pass"}} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/things", nil)
		if creds[0] != "" {
			req.SetBasicAuth(creds[0], creds[1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("%v: %d %q", creds, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/groups", nil)
	req.SetBasicAuth("ops", "s3cret-pass")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"Id":2`) || !strings.Contains(string(body), `"ParentId":1`) {
		t.Errorf("%d %s, want PascalCase groups", resp.StatusCode, body)
	}
}

// TestSeededDevices: WithDevices and AddDevice fill in what follows the user.
func TestSeededDevices(t *testing.T) {
	t.Parallel()
	srv := duostationtest.NewServer()
	defer srv.Close()
	d := srv.AddDevice(deviceOf(duostationtest.SeedUserID, "SN2"))
	if d.ID == "" || d.GroupID != duostationtest.CompanyGroupID {
		t.Errorf("device = %+v", d)
	}
	if n := len(srv.Devices()); n != 2 {
		t.Errorf("%d devices", n)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	srv := duostationtest.NewServer(duostationtest.WithBasicAuth("ops", "s3cret-pass"))
	defer srv.Close()
	cfg := srv.Config()
	if cfg.BaseURL != srv.URL || cfg.Username != "ops" || cfg.Password != "s3cret-pass" {
		t.Errorf("config = %+v", cfg)
	}
}
