package relution_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

const (
	ugaAppUP     = "DDD1D28A-B59E-4304-B10E-5EE3D1A9D6AF"
	ugaVersionUP = "2C0D7FD5-74C5-4F87-A1B9-DB96A3AA8453"
	ugaDeviceUP  = "0199A200-0000-7000-8000-000000000001"
)

func TestLocalizedString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want relution.LocalizedString
		str  string // String()
		de   string // In("de")
		out  string // encoded again: the same shape, keys sorted
	}{
		{`"Slack"`, relution.LocalizedString{"": "Slack"}, "Slack", "Slack", `"Slack"`},
		{`{"en":"Maps","de":"Karten"}`, relution.LocalizedString{"en": "Maps", "de": "Karten"}, "Maps", "Karten", `{"de":"Karten","en":"Maps"}`},
		{`{"en_US":"Test","de_DE":"Versuch"}`, relution.LocalizedString{"en_US": "Test", "de_DE": "Versuch"}, "Test", "Versuch", `{"de_DE":"Versuch","en_US":"Test"}`},
		{`{"fr":"Carte","it":"Mappa"}`, relution.LocalizedString{"fr": "Carte", "it": "Mappa"}, "Carte", "Carte", `{"fr":"Carte","it":"Mappa"}`},
		{`{}`, relution.LocalizedString{}, "", "", `{}`},
		{`null`, nil, "", "", `null`},
	}
	for _, tt := range tests {
		var got relution.LocalizedString
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("Unmarshal(%s) = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Unmarshal(%s) (-want +got):\n%s", tt.in, diff)
		}
		if s := got.String(); s != tt.str {
			t.Errorf("%s: String() = %q, want %q", tt.in, s, tt.str)
		}
		if s := got.In("de"); s != tt.de {
			t.Errorf("%s: In(de) = %q, want %q", tt.in, s, tt.de)
		}
		if out, err := json.Marshal(got); err != nil || string(out) != tt.out {
			t.Errorf("Marshal(%s) = %s, %v; want %s", tt.in, out, err, tt.out)
		}
	}
	var bad relution.LocalizedString
	if err := json.Unmarshal([]byte(`42`), &bad); err == nil {
		t.Error("a number decoded as localized text")
	}
}

func TestAppsList(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		ugaJSON(w, http.StatusOK, `{"status":"0","total":1,"nonpagedCount":3,"results":[{
			"uuid":"`+ugaAppUP+`","organizationUuid":"`+ugaOrgUP+`","type":"NATIVE","subType":"WINGET",
			"name":"7-Zip","defaultName":"7-Zip","internalName":"7zip.7zip","description":{"en":"Archiver"},
			"platforms":["WINDOWS"],"icon":null,"categories":["Utilities"],"rating":4,
			"versions":{"RELEASE":{"uuid":"`+ugaVersionUP+`","versionName":"24.08"},
			            "DEVELOPMENT":{"uuid":"AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE","versionName":"24.09"}}}]}`)
	})
	page, err := c.Apps.List(t.Context(), relution.AppListOptions{
		ExtendVersions: true,
		Locale:         "de",
		SortOrder:      relution.SortBy(relution.Asc("name")),
		Filter:         relution.StringEq("subType", "WINGET"),
		ListOptions:    relution.ListOptions{Limit: 1, GetNonpagedCount: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 3 || len(page.Items) != 1 {
		t.Fatalf("page: Total %d, %d items", page.Total, len(page.Items))
	}
	got := page.Items[0]
	if len(got.Raw) == 0 || !bytes.Contains(got.Raw, []byte(`"rating":4`)) {
		t.Errorf("Raw = %s, want the server's object", got.Raw)
	}
	got.Raw, got.Versions[0].Raw, got.Versions[1].Raw = nil, nil, nil
	want := relution.App{
		UUID: uuid.MustParse(ugaAppUP), OrganizationUUID: uuid.MustParse(ugaOrgUP), Type: "NATIVE", SubType: "WINGET",
		Name: relution.LocalizedString{"": "7-Zip"}, DefaultName: "7-Zip", InternalName: "7zip.7zip",
		Description: relution.LocalizedString{"en": "Archiver"}, Platforms: []string{"WINDOWS"}, Categories: []string{"Utilities"},
		// Sorted by release status, which fills ReleaseStatus.
		Versions: []relution.AppVersion{
			{UUID: uuid.MustParse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"), ReleaseStatus: relution.ReleaseDevelopment, VersionName: "24.09"},
			{UUID: uuid.MustParse(ugaVersionUP), ReleaseStatus: relution.ReleaseRelease, VersionName: "24.08"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("app (-want +got):\n%s", diff)
	}
	r := stub.requests()[0]
	if r.Method != http.MethodGet || r.Path != "/api/management/v1/content/apps/baseInfo" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	wantQuery := url.Values{
		"extend": {"versions"}, "locale": {"de"}, "limit": {"1"}, "getNonpagedCount": {"true"},
		"sortOrder": {"name"}, "filter": {`{"type":"string","fieldName":"subType","value":"WINGET"}`},
	}
	if diff := cmp.Diff(wantQuery, r.Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

func TestAppsReleasePermissions(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		ugaResults(w, `{"read":true,"userGroupInfo":{"uuid":"`+ugaGroupID+`","type":"GROUP"}}`,
			`{"read":false,"userGroupInfo":{"uuid":"`+ugaUserUP+`","type":"USER"}}`)
	})
	got, err := c.Apps.ReleasePermissions(t.Context(), uuid.MustParse(ugaAppUP))
	if err != nil {
		t.Fatal(err)
	}
	want := []relution.AppPermission{
		{Read: true, UserGroupInfo: relution.UserGroupInfo{UUID: uuid.MustParse(ugaGroupID), Type: relution.PrincipalGroup}},
		{Read: false, UserGroupInfo: relution.UserGroupInfo{UUID: uuid.MustParse(ugaUserID), Type: relution.PrincipalUser}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	if r := stub.requests()[0]; r.Method != http.MethodGet || r.Path != "/api/management/v1/content/apps/"+ugaAppUP+"/permissions/RELEASE" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
}

func TestAppsIcon(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\nnot really")
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		if r.Path == "/api/management/v1/content/apps/"+ugaAppUP+"/icon" {
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write(png)
			return
		}
		ugaJSON(w, http.StatusNotFound, `{"status":"-1","message":"App has no icon","errorCode":"ICON_NOT_FOUND"}`)
	})
	icon, err := c.Apps.Icon(t.Context(), uuid.MustParse(ugaAppUP))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&relution.Icon{ContentType: "image/png", Data: png}, icon); diff != "" {
		t.Errorf("icon (-want +got):\n%s", diff)
	}
	if accept := stub.requests()[0].Header.Get("Accept"); !strings.Contains(accept, "image/") {
		t.Errorf("Accept = %q, want it to take images", accept)
	}
	_, err = c.Apps.Icon(t.Context(), uuid.New())
	if !errors.Is(err, relution.ErrNotFound) {
		t.Errorf("app without icon: error = %v, want ErrNotFound", err)
	}
}

func TestAppsDeploy(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) { ugaResults(w, `{"successful":true}`) })
	ok, err := c.Apps.Deploy(t.Context(), uuid.MustParse(ugaAppUP), uuid.MustParse(ugaVersionUP), uuid.MustParse(ugaDeviceUP))
	if err != nil || !ok {
		t.Fatalf("Deploy = %v, %v", ok, err)
	}
	r := stub.requests()[0]
	if r.Method != http.MethodPost || r.Path != "/api/management/v1/content/apps/"+ugaAppUP+"/versions/"+ugaVersionUP+"/deployments" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	want := `{"appUuid":"` + ugaAppUP + `","versionUuid":"` + ugaVersionUP + `","deviceUuid":"` + ugaDeviceUP + `"}`
	if string(r.Body) != want {
		t.Errorf("body = %s, want %s", r.Body, want)
	}
}

// TestAppsDeployNotResent drops the connection after the request arrived: the deployment may
// have been queued, so it must not be sent again, and the error must say so.
func TestAppsDeployNotResent(t *testing.T) {
	t.Parallel()
	_, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	})
	c := ugaClient(t, stub.URL, 4) // a client that would resend a read
	ok, err := c.Apps.Deploy(t.Context(), uuid.MustParse(ugaAppUP), uuid.MustParse(ugaVersionUP), uuid.MustParse(ugaDeviceUP))
	if ok || !errors.Is(err, relution.ErrMaybeApplied) {
		t.Errorf("Deploy after a lost reply = %v, %v; want ErrMaybeApplied", ok, err)
	}
	if n := len(stub.requests()); n != 1 {
		t.Errorf("%d sends, want 1", n)
	}
}

// ugaUploadServer is a stub of the chunked upload: it asks for chunks of chunk bytes and
// keeps what arrives.
type ugaUploadServer struct {
	t     *testing.T
	chunk int64
	size  int64
	start string // the start request's body

	mu     sync.Mutex
	got    bytes.Buffer
	chunks []string // "offset+size" of each chunk request
}

func (u *ugaUploadServer) handle(w http.ResponseWriter, r *ugaRequest) {
	u.mu.Lock()
	defer u.mu.Unlock()
	const base = "/api/management/v1/content/apps/versions/file/upload"
	switch {
	case r.Path == base:
		u.start = string(r.Body)
		ugaJSON(w, http.StatusOK, fmt.Sprintf(`{"resourceUuid":"%s","chunkSize":%d,"chunkOffset":0}`, ugaAppUP, min(u.chunk, u.size)))
	case r.Path == base+"/"+ugaAppUP:
		media, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || media != "multipart/form-data" {
			u.t.Errorf("chunk Content-Type %q", r.Header.Get("Content-Type"))
		}
		if cl := r.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(r.Body)) {
			u.t.Errorf("Content-Length %s for %d bytes", cl, len(r.Body))
		}
		mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
		fields := map[string]string{}
		var data []byte
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				u.t.Errorf("multipart: %v", err) // not Fatal: this runs on the server's goroutine
				ugaJSON(w, http.StatusBadRequest, `{}`)
				return
			}
			b, _ := io.ReadAll(p)
			if p.FormName() == "file" {
				if p.FileName() != "app.msi" || p.Header.Get("Content-Type") != "application/octet-stream" {
					u.t.Errorf("file part %q %q", p.FileName(), p.Header.Get("Content-Type"))
				}
				data = b
			} else {
				fields[p.FormName()] = string(b)
			}
		}
		u.chunks = append(u.chunks, fields["chunkOffset"]+"+"+fields["chunkSize"])
		if fields["chunkOffset"] != strconv.Itoa(u.got.Len()) || fields["chunkSize"] != strconv.Itoa(len(data)) {
			u.t.Errorf("chunk fields %v with %d bytes after %d received", fields, len(data), u.got.Len())
		}
		u.got.Write(data)
		next := int64(u.got.Len())
		if next == u.size {
			next = -1
		}
		ugaJSON(w, http.StatusOK, fmt.Sprintf(`{"chunkOffset":%d,"chunkSize":%d}`, next, min(u.chunk, u.size-int64(u.got.Len()))))
	default:
		u.t.Errorf("unexpected %s %s", r.Method, r.Path)
		ugaJSON(w, http.StatusNotFound, `{}`)
	}
}

func TestAppsUploadFile(t *testing.T) {
	t.Parallel()
	content := []byte("0123456789")
	up := &ugaUploadServer{t: t, chunk: 4, size: int64(len(content))}
	c, stub := newUGAStub(t, up.handle)
	id, err := c.Apps.UploadFile(t.Context(), "app.msi", bytes.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	if id != uuid.MustParse(ugaAppUP) {
		t.Errorf("resource = %s", id)
	}
	ugaJSONEqual(t, []byte(up.start), `{"name":"app.msi","size":10,"contentType":"application/octet-stream"}`)
	if diff := cmp.Diff([]string{"0+4", "4+4", "8+2"}, up.chunks); diff != "" {
		t.Errorf("chunks (-want +got):\n%s", diff)
	}
	if up.got.String() != string(content) {
		t.Errorf("server received %q", up.got.String())
	}
	for _, r := range stub.requests() {
		if r.Method != http.MethodPost {
			t.Errorf("%s %s", r.Method, r.Path)
		}
	}
}

// ugaPattern is a large file that exists only as a function of the offset, and records the
// largest read, to prove that the upload streams instead of reading whole chunks.
type ugaPattern struct {
	size    int64
	mu      sync.Mutex
	maxRead int
}

func (p *ugaPattern) ReadAt(b []byte, off int64) (int, error) {
	p.mu.Lock()
	p.maxRead = max(p.maxRead, len(b))
	p.mu.Unlock()
	n := 0
	for ; n < len(b) && off+int64(n) < p.size; n++ {
		b[n] = byte((off + int64(n)) * 7 % 251)
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

func TestAppsUploadFileStreams(t *testing.T) {
	t.Parallel()
	const size = 3<<20 + 12345
	up := &ugaUploadServer{t: t, chunk: 1 << 20, size: size}
	c, _ := newUGAStub(t, up.handle)
	file := &ugaPattern{size: size}
	if _, err := c.Apps.UploadFile(t.Context(), "app.msi", file, size); err != nil {
		t.Fatal(err)
	}
	want := sha256.New()
	if _, err := io.Copy(want, io.NewSectionReader(&ugaPattern{size: size}, 0, size)); err != nil {
		t.Fatal(err)
	}
	if got := sha256.Sum256(up.got.Bytes()); !bytes.Equal(got[:], want.Sum(nil)) {
		t.Errorf("server received %d bytes that differ from the file", up.got.Len())
	}
	if len(up.chunks) != 4 {
		t.Errorf("chunks %v, want 4", up.chunks)
	}
	if file.maxRead > 64<<10 {
		t.Errorf("largest read %d bytes: the chunk was read whole, not streamed", file.maxRead)
	}
}

func TestAppsUploadFileKnownContent(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		ugaJSON(w, http.StatusOK, `{"resourceUuid":"`+ugaAppUP+`","chunkSize":0,"chunkOffset":-1}`)
	})
	id, err := c.Apps.UploadFile(t.Context(), "app.msi", strings.NewReader("x"), 1)
	if err != nil || id != uuid.MustParse(ugaAppUP) {
		t.Fatalf("UploadFile = %s, %v", id, err)
	}
	if n := len(stub.requests()); n != 1 {
		t.Errorf("%d requests for content the server has, want 1", n)
	}
}

// TestAppsUploadFileMisbehavingServer checks that a server that never finishes ends the
// upload with an error instead of a loop.
func TestAppsUploadFileMisbehavingServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, start, chunk string
		sends              int
	}{
		{"offset does not advance", `{"chunkSize":4,"chunkOffset":0}`, `{"chunkSize":4,"chunkOffset":0}`, 2},
		{"offset goes back", `{"chunkSize":4,"chunkOffset":4}`, `{"chunkSize":4,"chunkOffset":2}`, 2},
		{"offset past the file", `{"chunkSize":4,"chunkOffset":0}`, `{"chunkSize":4,"chunkOffset":10}`, 2},
		{"all sent, never done", `{"chunkSize":10,"chunkOffset":0}`, `{"chunkSize":0,"chunkOffset":10}`, 2},
		{"zero chunk size", `{"chunkSize":0,"chunkOffset":0}`, ``, 1},
		{"no resource", `{"chunkSize":4,"chunkOffset":0,"resourceUuid":null}`, ``, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
				if strings.HasSuffix(r.Path, "/upload") {
					start := tt.start
					if !strings.Contains(start, "resourceUuid") {
						start = strings.Replace(start, "{", `{"resourceUuid":"`+ugaAppUP+`",`, 1)
					}
					ugaJSON(w, http.StatusOK, start)
					return
				}
				ugaJSON(w, http.StatusOK, tt.chunk)
			})
			_, err := c.Apps.UploadFile(t.Context(), "app.msi", strings.NewReader("0123456789"), 10)
			if err == nil {
				t.Fatal("UploadFile succeeded against a server that never finishes")
			}
			if n := len(stub.requests()); n != tt.sends {
				t.Errorf("%d requests, want %d (err %v)", n, tt.sends, err)
			}
		})
	}
}

// ugaParsedApp is an app as fromFile might answer, with fields the SDK does not model (the
// shape of the vendor's post-apps-201.json fixture).
const ugaParsedApp = `{"type":"NATIVE","subType":"WINDOWS_MSI","name":{},"defaultName":"","internalName":"com.example.tool",
 "country":null,"categories":[],"platforms":["WINDOWS"],"icon":null,"priceType":"FREE","acl":{"RELEASE":["X:r"]},
 "versions":[{"releaseStatus":"DEVELOPMENT","versionName":"1.2.3","versionCode":7,"name":{},
   "constraints":[{"name":"osversionnumber","value":2000300030000,"type":"long"}],"file":{"size":1263954}}]}`

// TestAppsParseFileCreateKeepsUnknownFields renames a parsed app and creates it: the body must
// be the parsed object with only the names changed.
func TestAppsParseFileCreateKeepsUnknownFields(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, func(w http.ResponseWriter, r *ugaRequest) {
		switch r.Path {
		case "/api/management/v1/content/apps/fromFile/" + ugaAppUP:
			ugaResults(w, ugaParsedApp)
		case "/api/management/v1/content/apps":
			ugaJSON(w, http.StatusCreated, `{"status":"0","total":1,"results":[{"uuid":"`+ugaAppUP+`","name":{"en":"Tool"},"rating":0}]}`)
		default:
			ugaJSON(w, http.StatusNotFound, `{}`)
		}
	})
	apps, err := c.Apps.ParseFile(t.Context(), uuid.MustParse(ugaAppUP))
	if err != nil || len(apps) != 1 {
		t.Fatalf("ParseFile = %d apps, %v", len(apps), err)
	}
	app := apps[0]
	app.Name = relution.LocalizedString{"en": "Tool", "de": "Werkzeug"}
	app.Versions[0].Name = relution.LocalizedString{"en": "Tool"}
	created, err := c.Apps.Create(t.Context(), app)
	if err != nil {
		t.Fatal(err)
	}
	if created.UUID != uuid.MustParse(ugaAppUP) || created.Name.String() != "Tool" || !bytes.Contains(created.Raw, []byte(`"rating"`)) {
		t.Errorf("created = %+v", created)
	}
	reqs := stub.requests()
	if r := reqs[0]; r.Method != http.MethodPost || len(r.Body) != 0 || r.Header.Get("Content-Type") != "" {
		t.Errorf("ParseFile sent %s with body %q (Content-Type %q)", r.Method, r.Body, r.Header.Get("Content-Type"))
	}
	r := reqs[1]
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Create sent %s %s", r.Method, r.Header.Get("Content-Type"))
	}
	want := strings.Replace(ugaParsedApp, `"name":{},"defaultName"`, `"name":{"en":"Tool","de":"Werkzeug"},"defaultName"`, 1)
	want = strings.Replace(want, `"versionCode":7,"name":{}`, `"versionCode":7,"name":{"en":"Tool"}`, 1)
	ugaJSONEqual(t, r.Body, want)
}

func TestAppJSON(t *testing.T) {
	t.Parallel()
	var app relution.App
	if err := json.Unmarshal([]byte(ugaParsedApp), &app); err != nil {
		t.Fatal(err)
	}
	// Unchanged, an app encodes as the server sent it.
	out, err := json.Marshal(app)
	if err != nil {
		t.Fatal(err)
	}
	ugaJSONEqual(t, out, ugaParsedApp)

	// A cleared field goes; a set UUID is written in upper case.
	app.InternalName = ""
	app.OrganizationUUID = uuid.MustParse(ugaOrgUP)
	out, err = json.Marshal(app)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(ugaParsedApp, `"internalName":"com.example.tool",`, `"organizationUuid":"`+ugaOrgUP+`",`, 1)
	ugaJSONEqual(t, out, want)

	// Built in code, an app sends only what is set.
	out, err = json.Marshal(relution.App{
		UUID: uuid.MustParse(ugaAppUP), Name: relution.LocalizedString{"": "Tool"}, InternalName: "com.example.tool",
		Versions: []relution.AppVersion{{VersionName: "1.0", ReleaseStatus: relution.ReleaseDevelopment}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ugaJSONEqual(t, out, `{"uuid":"`+ugaAppUP+`","name":"Tool","internalName":"com.example.tool",
		"versions":[{"releaseStatus":"DEVELOPMENT","versionName":"1.0"}]}`)

	if err := json.Unmarshal([]byte(`{"versions":"x"}`), &app); err == nil {
		t.Error("versions of the wrong type decoded")
	}
}

func TestAppsValidation(t *testing.T) {
	t.Parallel()
	c, stub := newUGAStub(t, ugaNoCall(t))
	ctx := t.Context()
	id := uuid.New()
	file := strings.NewReader("x")
	for _, tt := range []struct {
		name, field string
		call        func() error
	}{
		{"List negative offset", "offset", func() error {
			_, err := c.Apps.List(ctx, relution.AppListOptions{ListOptions: relution.ListOptions{Offset: -1}})
			return err
		}},
		{"All bad filter", "filter", func() error {
			for _, err := range c.Apps.All(ctx, relution.AppListOptions{Filter: relution.And(relution.StringEnum[string]("platform"))}) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"ReleasePermissions zero", "app", func() error { _, err := c.Apps.ReleasePermissions(ctx, uuid.Nil); return err }},
		{"Icon zero", "app", func() error { _, err := c.Apps.Icon(ctx, uuid.Nil); return err }},
		{"Deploy zero app", "app", func() error { _, err := c.Apps.Deploy(ctx, uuid.Nil, id, id); return err }},
		{"Deploy zero version", "version", func() error { _, err := c.Apps.Deploy(ctx, id, uuid.Nil, id); return err }},
		{"Deploy zero device", "device", func() error { _, err := c.Apps.Deploy(ctx, id, id, uuid.Nil); return err }},
		{"UploadFile no name", "name", func() error { _, err := c.Apps.UploadFile(ctx, " ", file, 1); return err }},
		{"UploadFile path", "name", func() error { _, err := c.Apps.UploadFile(ctx, "dir/app.msi", file, 1); return err }},
		{"UploadFile nil reader", "file", func() error { _, err := c.Apps.UploadFile(ctx, "app.msi", nil, 1); return err }},
		{"UploadFile empty", "size", func() error { _, err := c.Apps.UploadFile(ctx, "app.msi", file, 0); return err }},
		{"ParseFile zero", "resource", func() error { _, err := c.Apps.ParseFile(ctx, uuid.Nil); return err }},
		{"Create no name", "name", func() error {
			_, err := c.Apps.Create(ctx, relution.App{InternalName: "x", Name: relution.LocalizedString{"en": " "}})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) { ugaInvalid(t, tt.call(), tt.field) })
	}
	if n := len(stub.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

// TestAppsAgainstFake runs the app calls against the strict fake: list, permissions, icons,
// the upload-parse-create flow and a deployment.
func TestAppsAgainstFake(t *testing.T) {
	t.Parallel()
	c, srv := ugaFake(t, relutiontest.WithChunkSize(5))
	ctx := t.Context()
	slack := uuid.MustParse(relutiontest.SlackAppUUID)

	page, err := c.Apps.List(ctx, relution.AppListOptions{
		ExtendVersions: true,
		Locale:         "en",
		SortOrder:      relution.SortBy(relution.Asc("name")),
		Filter:         relution.StringEnum("platforms", "IOS"),
		ListOptions:    relution.ListOptions{GetNonpagedCount: true, GetItems: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range page.Items {
		for _, v := range a.Versions {
			got = append(got, fmt.Sprintf("%s %s %s", a.Name, v.ReleaseStatus, v.VersionName))
		}
	}
	want := []string{"Company Portal RELEASE 3.2.0", "Slack DEVELOPMENT 24.02.01", "Slack RELEASE 24.01.10"}
	if diff := cmp.Diff(want, got); diff != "" || page.Total != 2 {
		t.Errorf("List (-want +got):\n%s\nTotal %d", diff, page.Total)
	}
	n := 0
	for _, err := range c.Apps.All(ctx, relution.AppListOptions{ListOptions: relution.ListOptions{Limit: 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("All yielded %d apps, want 3", n)
	}

	perms, err := c.Apps.ReleasePermissions(ctx, slack)
	if err != nil || len(perms) != 2 || perms[0].UserGroupInfo.Type != relution.PrincipalGroup ||
		perms[0].UserGroupInfo.UUID != uuid.MustParse(relutiontest.DeviceUserGroupUUID) || !perms[0].Read {
		t.Errorf("ReleasePermissions = %+v, %v", perms, err)
	}

	icon, err := c.Apps.Icon(ctx, slack)
	if err != nil || icon.ContentType != "image/png" || !bytes.HasPrefix(icon.Data, []byte("\x89PNG")) {
		t.Errorf("Icon = %+v, %v", icon, err)
	}
	if _, err := c.Apps.Icon(ctx, uuid.MustParse(relutiontest.PortalAppUUID)); !errors.Is(err, relution.ErrNotFound) {
		t.Errorf("Icon of an app without one: %v, want ErrNotFound", err)
	}

	file := []byte("MSI package bytes")
	resource, err := c.Apps.UploadFile(ctx, "Tool-1.2.3.msi", bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := c.Apps.ParseFile(ctx, resource)
	if err != nil || len(parsed) != 1 {
		t.Fatalf("ParseFile = %+v, %v", parsed, err)
	}
	app := parsed[0]
	app.Name = relution.LocalizedString{"en": "Tool", "de": "Werkzeug"}
	app.Versions[0].Name = relution.LocalizedString{"en": "Tool 1.2.3"}
	created, err := c.Apps.Create(ctx, app)
	if err != nil {
		t.Fatal(err)
	}
	if created.UUID == uuid.Nil || created.Name.In("de") != "Werkzeug" || created.SubType != "WINDOWS_MSI" ||
		len(created.Versions) != 1 || created.Versions[0].ReleaseStatus != relution.ReleaseDevelopment ||
		created.Versions[0].VersionName != "1.2.3" || created.Versions[0].AppUUID != created.UUID {
		t.Errorf("Create = %+v", created)
	}
	// The same version again is refused, as Relution does (422 VERSION_ALREADY_EXISTS).
	var re *relution.Error
	if _, err := c.Apps.Create(ctx, app); !errors.As(err, &re) || re.Code != "VERSION_ALREADY_EXISTS" {
		t.Errorf("second Create: %v, want VERSION_ALREADY_EXISTS", err)
	}

	ok, err := c.Apps.Deploy(ctx, created.UUID, created.Versions[0].UUID, uuid.MustParse(relutiontest.SurfaceUUID))
	if err != nil || !ok {
		t.Fatalf("Deploy = %v, %v", ok, err)
	}
	actions := srv.DeviceActions(relutiontest.SurfaceUUID)
	if len(actions) != 1 || !strings.EqualFold(actions[0].Details.AppUUID, created.UUID.String()) {
		t.Errorf("device actions after Deploy: %+v", actions)
	}
	if _, err := c.Apps.Deploy(ctx, slack, uuid.MustParse(relutiontest.SlackReleaseUUID), uuid.New()); !errors.Is(err, relution.ErrNotFound) {
		t.Errorf("Deploy to an unknown device: %v, want ErrNotFound", err)
	}
}
