package relutiontest

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rosterhq/roster/internal/fake"
)

var appSchema = &schema[*App]{
	fields: map[string]field[*App]{
		"uuid":             strField(func(a *App) string { return a.UUID }),
		"organizationUuid": strField(func(a *App) string { return a.OrganizationUUID }),
		"type":             strField(func(a *App) string { return a.Type }),
		"subType":          strField(func(a *App) string { return a.SubType }),
		"name":             strField(func(a *App) string { return a.Name }),
		"defaultName":      strField(func(a *App) string { return a.DefaultName }),
		"internalName":     strField(func(a *App) string { return a.InternalName }),
		"description":      strField(func(a *App) string { return a.Description }),
		"platforms":        strsField(func(a *App) []string { return a.Platforms }),
		"categories":       strsField(func(a *App) []string { return a.Categories }),
	},
	search: []string{"name", "internalName"},
}

// appInfo is an app as GET .../apps/baseInfo lists it.
type appInfo struct {
	UUID             string                 `json:"uuid"`
	OrganizationUUID string                 `json:"organizationUuid"`
	Type             string                 `json:"type"`
	SubType          string                 `json:"subType"`
	Name             string                 `json:"name"`
	DefaultName      string                 `json:"defaultName"`
	InternalName     string                 `json:"internalName"`
	Description      string                 `json:"description"`
	Platforms        []string               `json:"platforms"`
	Icon             *string                `json:"icon"` // the icon's path; null when the app has none
	Categories       []string               `json:"categories"`
	Versions         map[string]versionInfo `json:"versions,omitempty"` // only with extend=versions
}

type versionInfo struct {
	UUID        string `json:"uuid"`
	VersionName string `json:"versionName"`
}

func iconPath(a *App) *string {
	if a.Icon == nil {
		return nil
	}
	p := "/api/management/v1/content/apps/" + a.UUID + "/icon"
	return &p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) listApps(c *call) {
	params := c.r.URL.Query()
	q, err := parseListParams(params)
	if err != nil {
		queryFailed(c, err)
		return
	}
	extend := false
	if e, ok := params["extend"]; ok {
		if e[0] != "versions" {
			badRequest(c, "INVALID_PARAMETER", "extend must be \"versions\", not "+strconv.Quote(e[0]))
			return
		}
		extend = true
	}
	if l, ok := params["locale"]; ok && l[0] == "" {
		badRequest(c, "INVALID_PARAMETER", "locale must not be empty")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var apps []*App
	for _, a := range s.st.apps {
		if c.inOrg(a.OrganizationUUID) {
			apps = append(apps, a)
		}
	}
	matches, err := selectItems(len(apps), func(i int) *App { return apps[i] }, appSchema, q)
	if err != nil {
		queryFailed(c, err)
		return
	}
	out := []appInfo{}
	for _, a := range page(matches, q) {
		info := appInfo{
			UUID: a.UUID, OrganizationUUID: a.OrganizationUUID, Type: a.Type, SubType: a.SubType,
			Name: a.Name, DefaultName: a.DefaultName, InternalName: a.InternalName, Description: a.Description,
			Platforms: nonNil(a.Platforms), Icon: iconPath(a), Categories: nonNil(a.Categories),
		}
		if extend {
			// Keyed by release status; the newest version of each status wins.
			info.Versions = map[string]versionInfo{}
			for _, v := range a.Versions {
				info.Versions[v.ReleaseStatus] = versionInfo{UUID: v.UUID, VersionName: v.VersionName}
			}
		}
		out = append(out, info)
	}
	writeResults(c, http.StatusOK, out, nonpagedCount(len(matches), q))
}

// app finds an app by UUID within the call's scope. Must be called with
// s.mu held.
func (st *state) app(c *call, id string) (*App, bool) {
	a, ok := st.appByUUID[upper(id)]
	if !ok || !c.inOrg(a.OrganizationUUID) {
		return nil, false
	}
	return a, true
}

func (s *Server) getPermissions(c *call) {
	s.mu.Lock()
	a, ok := s.st.app(c, c.v("appUuid"))
	var perms []Permission
	if ok {
		perms = slices.Clone(a.Permissions)
	}
	s.mu.Unlock()
	if !ok {
		notFound(c, "APP_NOT_FOUND", "App "+c.v("appUuid")+" not found")
		return
	}
	writeResults(c, http.StatusOK, perms, nil)
}

func (s *Server) getIcon(c *call) {
	s.mu.Lock()
	a, ok := s.st.app(c, c.v("appUuid"))
	var icon []byte
	if ok {
		icon = a.Icon
	}
	s.mu.Unlock()
	switch {
	case !ok:
		notFound(c, "APP_NOT_FOUND", "App "+c.v("appUuid")+" not found")
	case icon == nil:
		notFound(c, "ICON_NOT_FOUND", "App "+c.v("appUuid")+" has no icon")
	default:
		c.w.Header().Set("Content-Type", "image/png")
		c.w.Header().Set("Content-Length", strconv.Itoa(len(icon)))
		c.w.WriteHeader(http.StatusOK)
		_, _ = c.w.Write(icon)
	}
}

type deploymentBody struct {
	AppUUID     string `json:"appUuid"`
	VersionUUID string `json:"versionUuid"`
	DeviceUUID  string `json:"deviceUuid"`
}

type successBody struct {
	Successful bool `json:"successful"`
}

func (s *Server) deploy(c *call) {
	var b deploymentBody
	if err := fake.DecodeJSON(c.body, &b); err != nil {
		badRequest(c, "INVALID_REQUEST_BODY", "invalid deployment: "+err.Error())
		return
	}
	for _, f := range []struct{ name, body, path string }{
		{"appUuid", b.AppUUID, c.v("appUuid")},
		{"versionUuid", b.VersionUUID, c.v("versionUuid")},
	} {
		if !strings.EqualFold(f.body, f.path) {
			badRequest(c, "INVALID_REQUEST_BODY", f.name+" "+strconv.Quote(f.body)+" does not match the path's "+strconv.Quote(f.path))
			return
		}
	}
	if b.DeviceUUID == "" {
		badRequest(c, "INVALID_REQUEST_BODY", "deviceUuid is missing")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.app(c, b.AppUUID)
	if !ok {
		notFound(c, "APP_NOT_FOUND", "App "+b.AppUUID+" not found")
		return
	}
	i := slices.IndexFunc(a.Versions, func(v AppVersion) bool { return strings.EqualFold(v.UUID, b.VersionUUID) })
	if i < 0 {
		notFound(c, "VERSION_NOT_FOUND", "Version "+b.VersionUUID+" of app "+a.UUID+" not found")
		return
	}
	d, ok := s.st.device(c, b.DeviceUUID)
	if !ok {
		notFound(c, "DEVICE_NOT_FOUND", "Device "+b.DeviceUUID+" not found")
		return
	}
	s.st.actions[d.UUID] = append(s.st.actions[d.UUID], &DeviceAction{
		UUID: s.st.newUUID(), DeviceUUID: d.UUID, State: "PENDING", Type: "DEPLOY_CLASSIC_APP",
		CreationDate: s.now(),
		Details:      ActionDetails{AppUUID: a.UUID, VersionUUID: a.Versions[i].UUID, AppInternalName: a.InternalName},
	})
	writeResults(c, http.StatusOK, []successBody{{Successful: true}}, nil)
}

// upload is a chunked app file upload. Only the count of bytes received is
// kept: the fake never needs an app file's content, and files may be
// gigabytes.
type upload struct {
	uuid        string
	name        string
	size        int64
	contentType string
	received    int64
}

type uploadStartBody struct {
	Name        string `json:"name"`
	Size        *int64 `json:"size"`
	ContentType string `json:"contentType"`
}

type uploadStateBody struct {
	ResourceUUID string `json:"resourceUuid"`
	ChunkSize    int64  `json:"chunkSize"`
	ChunkOffset  int64  `json:"chunkOffset"`
}

type chunkReplyBody struct {
	ChunkOffset int64 `json:"chunkOffset"`
	ChunkSize   int64 `json:"chunkSize"`
}

func (s *Server) startUpload(c *call) {
	var b uploadStartBody
	if err := fake.DecodeJSON(c.body, &b); err != nil {
		badRequest(c, "INVALID_REQUEST_BODY", "invalid upload: "+err.Error())
		return
	}
	switch {
	case b.Name == "" || strings.ContainsAny(b.Name, "/\\"):
		badRequest(c, "INVALID_REQUEST_BODY", "name must be a file name")
		return
	case b.Size == nil || *b.Size <= 0:
		badRequest(c, "INVALID_REQUEST_BODY", "size must be a positive number of bytes")
		return
	case b.ContentType == "":
		badRequest(c, "INVALID_REQUEST_BODY", "contentType is missing")
		return
	}
	s.mu.Lock()
	u := &upload{uuid: s.st.newUUID(), name: b.Name, size: *b.Size, contentType: b.ContentType}
	s.st.uploads[u.uuid] = u
	s.mu.Unlock()
	fake.WriteJSON(c.w, http.StatusOK, uploadStateBody{ResourceUUID: u.uuid, ChunkSize: min(s.cfg.chunkSize, u.size), ChunkOffset: 0})
}

// uploadChunk takes one chunk. The parts may come in any order: the file
// part is only counted, so nothing has to be held until the offset is known.
func (s *Server) uploadChunk(c *call) {
	s.mu.Lock()
	u, ok := s.st.uploads[upper(c.v("resourceUuid"))]
	s.mu.Unlock()
	if !ok {
		notFound(c, "RESOURCE_NOT_FOUND", "Upload "+c.v("resourceUuid")+" not found")
		return
	}
	mr, err := c.r.MultipartReader()
	if err != nil {
		badRequest(c, "INVALID_REQUEST_BODY", "not a multipart body: "+err.Error())
		return
	}
	fields := map[string]int64{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			badRequest(c, "INVALID_REQUEST_BODY", "malformed multipart body: "+err.Error())
			return
		}
		name := p.FormName()
		if _, dup := fields[name]; dup {
			badRequest(c, "INVALID_REQUEST_BODY", "part "+strconv.Quote(name)+" given twice")
			return
		}
		switch name {
		case "chunkOffset", "chunkSize":
			v, _ := io.ReadAll(io.LimitReader(p, 32))
			n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
			if err != nil || n < 0 {
				badRequest(c, "INVALID_REQUEST_BODY", "part "+strconv.Quote(name)+" is not a non-negative integer")
				return
			}
			fields[name] = n
		case "file":
			// One byte past the largest chunk is enough to know it is too big.
			n, err := io.Copy(io.Discard, io.LimitReader(p, s.cfg.chunkSize+1))
			if err != nil {
				badRequest(c, "INVALID_REQUEST_BODY", "cannot read part \"file\": "+err.Error())
				return
			}
			fields[name] = n
		default:
			badRequest(c, "INVALID_REQUEST_BODY", "unknown part "+strconv.Quote(name))
			return
		}
	}
	for _, name := range []string{"chunkOffset", "chunkSize", "file"} {
		if _, ok := fields[name]; !ok {
			badRequest(c, "INVALID_REQUEST_BODY", "part "+strconv.Quote(name)+" is missing")
			return
		}
	}
	off, size, got := fields["chunkOffset"], fields["chunkSize"], fields["file"]
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case off != u.received:
		badRequest(c, "INVALID_CHUNK_OFFSET", "chunkOffset "+strconv.FormatInt(off, 10)+" is not the expected "+strconv.FormatInt(u.received, 10))
	case size == 0 || size > s.cfg.chunkSize || off+size > u.size:
		badRequest(c, "INVALID_CHUNK_SIZE", "chunkSize "+strconv.FormatInt(size, 10)+" does not fit the upload")
	case got != size:
		badRequest(c, "INVALID_CHUNK_SIZE", "file part has "+strconv.FormatInt(got, 10)+" bytes, chunkSize says "+strconv.FormatInt(size, 10))
	default:
		u.received += got
		reply := chunkReplyBody{ChunkOffset: u.received, ChunkSize: min(s.cfg.chunkSize, u.size-u.received)}
		if u.received == u.size {
			reply = chunkReplyBody{ChunkOffset: -1, ChunkSize: 0}
		}
		fake.WriteJSON(c.w, http.StatusOK, reply)
	}
}

// appDraft is an app as fromFile returns it and as POST .../apps takes it:
// unlike baseInfo, versions are an array.
type appDraft struct {
	UUID             string         `json:"uuid,omitempty"`
	OrganizationUUID string         `json:"organizationUuid,omitempty"`
	Type             string         `json:"type"`
	SubType          string         `json:"subType"`
	Name             localized      `json:"name"`
	DefaultName      string         `json:"defaultName"`
	InternalName     string         `json:"internalName"`
	Description      string         `json:"description"`
	Platforms        []string       `json:"platforms"`
	Icon             *string        `json:"icon"`
	Categories       []string       `json:"categories"`
	Versions         []versionDraft `json:"versions"`
}

type versionDraft struct {
	UUID          string    `json:"uuid,omitempty"`
	AppUUID       string    `json:"appUuid,omitempty"`
	ReleaseStatus string    `json:"releaseStatus"`
	VersionName   string    `json:"versionName"`
	VersionCode   int64     `json:"versionCode"`
	Name          localized `json:"name,omitzero"`
}

// localized is a name that is either a plain string or a map of locale to
// text, as 0xweb01 sends it ({"en":...,"de":...}).
type localized struct {
	text string
	byLo map[string]string
}

func (l localized) String() string {
	if l.text != "" || l.byLo == nil {
		return l.text
	}
	if v := l.byLo["en"]; v != "" {
		return v
	}
	keys := slices.Sorted(maps.Keys(l.byLo))
	return l.byLo[keys[0]]
}

func (l localized) IsZero() bool { return l.text == "" && l.byLo == nil }

func (l localized) MarshalJSON() ([]byte, error) {
	if l.byLo != nil {
		return json.Marshal(l.byLo)
	}
	return json.Marshal(l.text)
}

func (l *localized) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &l.text); err == nil {
		return nil
	}
	if err := json.Unmarshal(b, &l.byLo); err != nil || len(l.byLo) == 0 {
		return errors.New("name must be a string or a non-empty object of locale to text")
	}
	return nil
}

var versionSuffix = regexp.MustCompile(`^(.*?)[-_ ]v?([0-9]+(?:\.[0-9]+)*)$`)

// draftFromFile guesses an app from an uploaded file's name: the real server
// reads the package's metadata, which the fake does not keep.
func draftFromFile(name string) appDraft {
	ext := strings.ToLower(path.Ext(name))
	base := strings.TrimSuffix(name, path.Ext(name))
	version := "1.0.0"
	if m := versionSuffix.FindStringSubmatch(base); m != nil {
		base, version = m[1], m[2]
	}
	internal := strings.ToLower(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '.'
	}, base))
	d := appDraft{
		Type: "NATIVE", Name: localized{text: base}, DefaultName: base, InternalName: internal,
		Platforms: []string{}, Categories: []string{},
		Versions: []versionDraft{{ReleaseStatus: "DEVELOPMENT", VersionName: version, VersionCode: 1}},
	}
	switch ext {
	case ".msi":
		d.SubType, d.Platforms = "WINDOWS_MSI", []string{"WINDOWS"}
	case ".exe":
		d.SubType, d.Platforms = "WINDOWS_EXE", []string{"WINDOWS"}
	case ".apk":
		d.SubType, d.Platforms = "ENTERPRISE", []string{"ANDROID"}
	case ".ipa":
		d.SubType, d.Platforms = "ENTERPRISE", []string{"IOS"}
	default:
		d.SubType = "ENTERPRISE"
	}
	return d
}

func (s *Server) appFromFile(c *call) {
	s.mu.Lock()
	u, ok := s.st.uploads[upper(c.v("resourceUuid"))]
	var name string
	var done bool
	if ok {
		name, done = u.name, u.received == u.size
	}
	s.mu.Unlock()
	switch {
	case !ok:
		notFound(c, "RESOURCE_NOT_FOUND", "Upload "+c.v("resourceUuid")+" not found")
	case !done:
		badRequest(c, "UPLOAD_INCOMPLETE", "Upload "+c.v("resourceUuid")+" is not complete")
	default:
		writeResults(c, http.StatusOK, []appDraft{draftFromFile(name)}, nil)
	}
}

// createApp stores a new app; every version starts in DEVELOPMENT whatever
// the body says, as the vendor's console does.
func (s *Server) createApp(c *call) {
	var b appDraft
	if err := fake.DecodeJSON(c.body, &b); err != nil {
		badRequest(c, "INVALID_REQUEST_BODY", "invalid app: "+err.Error())
		return
	}
	name := b.Name.String()
	switch {
	case name == "":
		badRequest(c, "INVALID_REQUEST_BODY", "name is missing")
		return
	case b.InternalName == "":
		badRequest(c, "INVALID_REQUEST_BODY", "internalName is missing")
		return
	case len(b.Versions) == 0:
		badRequest(c, "INVALID_REQUEST_BODY", "versions must hold at least one version")
		return
	}
	for i, v := range b.Versions {
		if v.VersionName == "" {
			badRequest(c, "INVALID_REQUEST_BODY", "versions["+strconv.Itoa(i)+"].versionName is missing")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	org := OrgUUID
	if c.org != "" {
		org = c.org
	}
	for _, a := range s.st.apps {
		if a.OrganizationUUID != org || !strings.EqualFold(a.InternalName, b.InternalName) {
			continue
		}
		for _, v := range a.Versions {
			for _, nv := range b.Versions {
				if v.VersionName == nv.VersionName {
					writeError(c.w, c.r, http.StatusUnprocessableEntity, "VERSION_ALREADY_EXISTS",
						"Version "+nv.VersionName+" of app "+b.InternalName+" already exists")
					return
				}
			}
		}
	}
	a := &App{
		UUID: s.st.newUUID(), OrganizationUUID: org, Type: b.Type, SubType: b.SubType,
		Name: name, DefaultName: b.DefaultName, InternalName: b.InternalName, Description: b.Description,
		Platforms: nonNil(b.Platforms), Categories: nonNil(b.Categories),
	}
	if a.DefaultName == "" {
		a.DefaultName = name
	}
	out := b
	out.UUID, out.OrganizationUUID, out.Icon = a.UUID, org, nil
	out.Platforms, out.Categories = a.Platforms, a.Categories
	out.Versions = nil
	for _, v := range b.Versions {
		av := AppVersion{UUID: s.st.newUUID(), AppUUID: a.UUID, ReleaseStatus: "DEVELOPMENT", VersionName: v.VersionName, VersionCode: v.VersionCode}
		a.Versions = append(a.Versions, av)
		v.UUID, v.AppUUID, v.ReleaseStatus = av.UUID, a.UUID, av.ReleaseStatus
		out.Versions = append(out.Versions, v)
	}
	s.st.addApp(a)
	writeResults(c, http.StatusCreated, []appDraft{out}, nil)
}
