package relution

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/internal/rest"
)

// AppsService lists, uploads, creates and deploys the apps of the organization's app store.
//
// Relution's REST guide does not document apps; the endpoints come from public clients: the
// appport self-service store (lists, icons, permissions, deployments) and 0xweb01's
// relution-sync.sh, which was derived from the web console (upload, parse, create) (0xweb01/relution-sync and sebastianspicker/appport).
type AppsService service

// ReleaseStatus is the stage of an app version.
type ReleaseStatus string

// Release stages seen in app versions (0xweb01/relution-sync and sebastianspicker/appport). Create makes versions in
// ReleaseDevelopment; promoting them is done in the portal.
const (
	ReleaseDevelopment ReleaseStatus = "DEVELOPMENT"
	ReleaseReview      ReleaseStatus = "REVIEW"
	ReleaseRelease     ReleaseStatus = "RELEASE"
)

// LocalizedString is a text Relution keeps per locale, such as an app's name:
// {"en":"Maps","de":"Karten"} (0xweb01/relution-sync and sebastianspicker/appport). Some replies carry a plain string instead (a list
// read with a locale, a field the server does not localize); it is kept under the key "" and
// encoded back as a plain string, so a round trip keeps the shape the server used.
type LocalizedString map[string]string

// UnmarshalJSON accepts a locale map, a plain string, or null.
func (s *LocalizedString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = nil
		return nil
	case len(data) > 0 && data[0] == '"':
		var text string
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
		*s = LocalizedString{"": text}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("relution: localized text must be a string or an object of strings: %w", err)
	}
	*s = m
	return nil
}

// MarshalJSON writes a plain string when the only key is "", otherwise the locale map.
func (s LocalizedString) MarshalJSON() ([]byte, error) {
	if text, ok := s[""]; ok && len(s) == 1 {
		return json.Marshal(text)
	}
	return json.Marshal(map[string]string(s))
}

// In returns the text for locale ("de", "en_US"): the exact entry, else one of the same
// language ("de" finds "de_DE" and the reverse), else String's choice.
func (s LocalizedString) In(locale string) string {
	if text, ok := s.lookup(locale); ok {
		return text
	}
	return s.String()
}

// String returns the plain text (key ""), else the English one, else the first by locale
// name; "" when s is empty.
func (s LocalizedString) String() string {
	if text, ok := s[""]; ok {
		return text
	}
	if text, ok := s.lookup("en"); ok {
		return text
	}
	keys := slices.Sorted(maps.Keys(s))
	if len(keys) == 0 {
		return ""
	}
	return s[keys[0]]
}

// lookup finds locale's entry, or else the first (by locale name) of the same language.
func (s LocalizedString) lookup(locale string) (string, bool) {
	if text, ok := s[locale]; ok {
		return text, true
	}
	lang := language(locale)
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if k != "" && strings.EqualFold(language(k), lang) {
			return s[k], true
		}
	}
	return "", false
}

func language(locale string) string {
	lang, _, _ := strings.Cut(strings.ReplaceAll(locale, "-", "_"), "_")
	return lang
}

// App is an app of the store (0xweb01/relution-sync and sebastianspicker/appport). Name and Description may be localized.
//
// Relution's app object has many more fields than App models (ratings, ACLs, developer
// information, ...). Raw keeps the object as the server sent it, and App's JSON encoding is
// Raw with the modelled fields that differ from it written over: so an App read from
// ParseFile, renamed and passed to Create loses nothing the SDK does not know about. An App
// built from scratch has no Raw and encodes its set fields only.
type App struct {
	UUID             uuid.UUID `json:"uuid,omitzero"`
	OrganizationUUID uuid.UUID `json:"organizationUuid,omitzero"`
	// Type is NATIVE for the apps seen; SubType tells packages apart (WINGET, WINDOWS_MSI,
	// WINDOWS_EXE, ...).
	Type    string `json:"type,omitempty"`
	SubType string `json:"subType,omitempty"`
	// Name is the display name. A package without metadata has none after ParseFile, and
	// Create needs one.
	Name        LocalizedString `json:"name,omitempty"`
	DefaultName string          `json:"defaultName,omitempty"`
	// InternalName is the bundle or package identifier.
	InternalName string          `json:"internalName,omitempty"`
	Description  LocalizedString `json:"description,omitempty"`
	Platforms    []string        `json:"platforms,omitempty"`
	// Icon is the icon's path on the server; AppsService.Icon fetches the image.
	Icon       string   `json:"icon,omitempty"`
	Categories []string `json:"categories,omitempty"`
	// Versions are the app's versions. The list endpoint sends them (with
	// AppListOptions.ExtendVersions) as an object keyed by release status, decoded here
	// sorted by that key with ReleaseStatus filled in; other replies send an array.
	Versions []AppVersion `json:"versions,omitempty"`

	// Raw is the app object as the server sent it; nil for an App built in code.
	Raw json.RawMessage `json:"-"`
}

// AppVersion is one version of an app (0xweb01/relution-sync and sebastianspicker/appport). Like App, it keeps the server's object in
// Raw and encodes as Raw with its changed fields written over.
type AppVersion struct {
	UUID          uuid.UUID     `json:"uuid,omitzero"`
	AppUUID       uuid.UUID     `json:"appUuid,omitzero"`
	ReleaseStatus ReleaseStatus `json:"releaseStatus,omitempty"`
	VersionName   string        `json:"versionName,omitempty"`
	VersionCode   int64         `json:"versionCode,omitempty"`
	// Name is the version's display name; relution-sync.sh sets it along with the app's.
	Name LocalizedString `json:"name,omitempty"`

	// Raw is the version object as the server sent it; nil for a version built in code.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an app and keeps data in Raw. The versions may be an array or an
// object keyed by release status.
func (a *App) UnmarshalJSON(data []byte) error {
	type plain App
	*a = App{}
	aux := struct {
		*plain
		Versions versionList `json:"versions"` // shadows plain's
	}{plain: (*plain)(a)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	a.Versions = aux.Versions
	a.Raw = bytes.Clone(data)
	return nil
}

// MarshalJSON encodes a as Raw with the fields that differ from Raw's written over; see App.
func (a App) MarshalJSON() ([]byte, error) {
	type plain App
	typed := func(a App) ([]byte, error) {
		return json.Marshal(struct {
			plain
			UUID             upperUUID `json:"uuid,omitzero"`
			OrganizationUUID upperUUID `json:"organizationUuid,omitzero"`
		}{plain(a), upperUUID(a.UUID), upperUUID(a.OrganizationUUID)})
	}
	return overlay(a.Raw, a, typed)
}

// UnmarshalJSON decodes a version and keeps data in Raw.
func (v *AppVersion) UnmarshalJSON(data []byte) error {
	type plain AppVersion
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*v = AppVersion(p)
	v.Raw = bytes.Clone(data)
	return nil
}

// MarshalJSON encodes v as Raw with the fields that differ from Raw's written over.
func (v AppVersion) MarshalJSON() ([]byte, error) {
	type plain AppVersion
	typed := func(v AppVersion) ([]byte, error) {
		return json.Marshal(struct {
			plain
			UUID    upperUUID `json:"uuid,omitzero"`
			AppUUID upperUUID `json:"appUuid,omitzero"`
		}{plain(v), upperUUID(v.UUID), upperUUID(v.AppUUID)})
	}
	return overlay(v.Raw, v, typed)
}

// overlay encodes cur for a type T that keeps its server object in raw: without raw, the
// typed encoding; with raw, raw's keys, where each key whose typed encoding differs between
// cur and the value decoded from raw takes cur's (or goes, when cur leaves it out). Keys the
// type does not model pass through untouched.
func overlay[T any](raw json.RawMessage, cur T, typed func(T) ([]byte, error)) ([]byte, error) {
	now, err := typed(cur)
	if err != nil || len(raw) == 0 {
		return now, err
	}
	var orig T
	if err := json.Unmarshal(raw, &orig); err != nil {
		return nil, fmt.Errorf("relution: Raw: %w", err)
	}
	was, err := typed(orig)
	if err != nil {
		return nil, err
	}
	var obj, nowFields, wasFields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("relution: Raw is not a JSON object")
	}
	if err := json.Unmarshal(now, &nowFields); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(was, &wasFields); err != nil {
		return nil, err
	}
	for k, v := range nowFields {
		if w, ok := wasFields[k]; ok && bytes.Equal(w, v) {
			continue
		}
		deleteFold(obj, k)
		obj[k] = v
	}
	for k := range wasFields {
		if _, ok := nowFields[k]; !ok {
			deleteFold(obj, k)
		}
	}
	return json.Marshal(obj)
}

// deleteFold removes key from obj in any case: the server's keys are matched without regard
// to case, so "Name" and "name" must not both be sent.
func deleteFold(obj map[string]json.RawMessage, key string) {
	for k := range obj {
		if strings.EqualFold(k, key) {
			delete(obj, k)
		}
	}
}

// upperUUID encodes a UUID in upper case, as Relution writes them.
type upperUUID uuid.UUID

func (u upperUUID) MarshalText() ([]byte, error) { return []byte(wireUUID(uuid.UUID(u))), nil }

// versionList decodes an app's versions from an array or an object keyed by release status.
type versionList []AppVersion

func (l *versionList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		var vs []AppVersion
		if err := json.Unmarshal(data, &vs); err != nil {
			return err
		}
		*l = vs
		return nil
	}
	var m map[string]AppVersion
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	vs := make([]AppVersion, 0, len(m))
	for _, status := range slices.Sorted(maps.Keys(m)) {
		v := m[status]
		if v.ReleaseStatus == "" {
			v.ReleaseStatus = ReleaseStatus(status)
		}
		vs = append(vs, v)
	}
	*l = vs
	return nil
}

// AppListOptions selects a page of the app list. The zero value asks for all apps in the
// server's order, without their versions.
type AppListOptions struct {
	// ExtendVersions asks for each app's versions (extend=versions), the released one under
	// ReleaseRelease.
	ExtendVersions bool
	// Locale picks the language of localized fields ("en", "de").
	Locale string
	ListOptions
	// SortOrder orders the apps; nil keeps the server's order.
	SortOrder *SortOrder
	// Filter selects apps by their fields; nil matches all.
	Filter Filter
}

type appParams struct {
	Extend string `url:"extend,omitempty"`
	Locale string `url:"locale,omitempty"`
	listParams
}

func (o AppListOptions) params() (appParams, error) {
	q := o.query()
	q.SortOrder, q.Filter = o.SortOrder, o.Filter
	p, err := newListParams(q)
	ap := appParams{Locale: o.Locale, listParams: p}
	if o.ExtendVersions {
		ap.Extend = "versions"
	}
	return ap, err
}

// List returns one page of the store's apps.
//
// Source: appport's client (sebastianspicker/appport), which sends extend=versions, locale,
// getItems, getNonpagedCount, limit and offset and reads a results envelope (0xweb01/relution-sync and sebastianspicker/appport).
//
// Endpoint: GET /api/management/v1/content/apps/baseInfo
//
//roster:endpoint GET /api/management/v1/content/apps/baseInfo
func (s *AppsService) List(ctx context.Context, opts AppListOptions) (*Page[App], error) {
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	return getPage[App](ctx, (*service)(s), p, "/api/management/v1/content/apps/baseInfo")
}

// All lists the apps page by page from opts.Offset, opts.Limit apps a page (100 when unset),
// and yields every app. Invalid options yield their error once, before anything is sent.
//
// Source: as List.
//
// Endpoint: GET /api/management/v1/content/apps/baseInfo
//
//roster:endpoint GET /api/management/v1/content/apps/baseInfo
func (s *AppsService) All(ctx context.Context, opts AppListOptions) iter.Seq2[App, error] {
	_, err := opts.params()
	return allPages(ctx, opts, err, s.List)
}

// AppPermission grants a user or a group access to an app (0xweb01/relution-sync and sebastianspicker/appport).
type AppPermission struct {
	// Read allows the subject to see and install the app.
	Read          bool          `json:"read"`
	UserGroupInfo UserGroupInfo `json:"userGroupInfo"`
}

// UserGroupInfo is the subject of an AppPermission.
type UserGroupInfo struct {
	UUID uuid.UUID     `json:"uuid"`
	Type PrincipalType `json:"type"`
}

// ReleasePermissions returns who may use the released version of an app. An unknown app is
// an error matching ErrNotFound.
//
// Source: appport's client (sebastianspicker/appport), which checks these before offering an
// app (0xweb01/relution-sync and sebastianspicker/appport).
//
// Endpoint: GET /api/management/v1/content/apps/{appUuid}/permissions/RELEASE
//
//roster:endpoint GET /api/management/v1/content/apps/{appUuid}/permissions/RELEASE
func (s *AppsService) ReleasePermissions(ctx context.Context, app uuid.UUID) ([]AppPermission, error) {
	if err := checkUUID("app", app); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/api/management/v1/content/apps/{appUuid}/permissions/RELEASE", wireUUID(app))
	if err != nil {
		return nil, err
	}
	env, err := do[AppPermission]((*service)(s), req)
	if err != nil {
		return nil, err
	}
	return env.Results, nil
}

// Icon is an app's icon image.
type Icon struct {
	// ContentType is the image's media type as the server sent it (image/png, image/jpeg,
	// image/webp).
	ContentType string
	Data        []byte
}

// Icon returns an app's icon image.
//
// Relution answers 404 both for an app without an icon and for an unknown app, so the error
// then matches ErrNotFound in either case; appport treats it as "no icon".
//
// Source: appport's client (sebastianspicker/appport client_icons.rs, client.ts).
//
// Endpoint: GET /api/management/v1/content/apps/{appUuid}/icon
//
//roster:endpoint GET /api/management/v1/content/apps/{appUuid}/icon
func (s *AppsService) Icon(ctx context.Context, app uuid.UUID) (*Icon, error) {
	if err := checkUUID("app", app); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/api/management/v1/content/apps/{appUuid}/icon", wireUUID(app))
	if err != nil {
		return nil, err
	}
	// The reply is an image, errors are JSON; a server that honours Accept would refuse
	// the image to a client that asks for JSON only.
	req.Header().Set("Accept", "image/*, application/json")
	var blob rest.Blob
	if err := s.c.core.Do(req, &blob); err != nil {
		return nil, err
	}
	return &Icon{ContentType: blob.ContentType, Data: blob.Data}, nil
}

// Deploy asks the server to install an app version on a device and reports whether the server
// accepted the request. The installation happens later: the server queues a device action
// (Devices.ListActions shows it). It is a write: after a lost reply it is not resent, and the
// error matches ErrMaybeApplied; check the device's actions before trying again.
//
// Source: appport's client (sebastianspicker/appport client_actions.rs), which reads
// results[0].successful (0xweb01/relution-sync and sebastianspicker/appport).
//
// Endpoint: POST /api/management/v1/content/apps/{appUuid}/versions/{versionUuid}/deployments
//
//roster:endpoint POST /api/management/v1/content/apps/{appUuid}/versions/{versionUuid}/deployments
func (s *AppsService) Deploy(ctx context.Context, app, version, device uuid.UUID) (bool, error) {
	for _, c := range []struct {
		field string
		id    uuid.UUID
	}{{"app", app}, {"version", version}, {"device", device}} {
		if err := checkUUID(c.field, c.id); err != nil {
			return false, err
		}
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/management/v1/content/apps/{appUuid}/versions/{versionUuid}/deployments",
		wireUUID(app), wireUUID(version))
	if err != nil {
		return false, err
	}
	if err := req.SetJSON(struct {
		AppUUID     string `json:"appUuid"`
		VersionUUID string `json:"versionUuid"`
		DeviceUUID  string `json:"deviceUuid"`
	}{wireUUID(app), wireUUID(version), wireUUID(device)}); err != nil {
		return false, err
	}
	res, err := first[struct {
		Successful bool `json:"successful"`
	}]((*service)(s), req)
	if err != nil {
		return false, err
	}
	return res.Successful, nil
}

// uploadState is the server's answer during a chunked upload: where the next chunk starts
// (-1 when the file is complete) and how long it may be.
type uploadState struct {
	ResourceUUID uuid.UUID `json:"resourceUuid"`
	ChunkSize    int64     `json:"chunkSize"`
	ChunkOffset  int64     `json:"chunkOffset"`
}

// UploadFile uploads an app package (an .ipa, .apk, .pkg, .msi, ...) of size bytes read from r
// and returns the resource UUID that ParseFile takes. name is the file's base name, with its
// extension.
//
// The upload is announced first; then the file goes up in the chunks the server asks for,
// each a multipart request streamed from r (the file is never held in memory whole), until
// the server says it has everything. Content the server already has (matched by hash) may
// need no chunk at all. A server whose next offset does not advance, or points past the
// file, ends the upload with an error rather than a loop. Each request is a write and is not
// resent after a lost reply; start over with a new UploadFile call.
//
// Source: 0xweb01/relution-sync (relution-sync.sh), derived from the web console.
//
// Endpoints:
//   - POST /api/management/v1/content/apps/versions/file/upload
//   - POST /api/management/v1/content/apps/versions/file/upload/{resourceUuid}
//
//roster:endpoint POST /api/management/v1/content/apps/versions/file/upload
//roster:endpoint POST /api/management/v1/content/apps/versions/file/upload/{resourceUuid}
func (s *AppsService) UploadFile(ctx context.Context, name string, r io.ReaderAt, size int64) (uuid.UUID, error) {
	switch {
	case strings.TrimSpace(name) == "":
		return uuid.Nil, vendor.Invalid("name", "empty file name")
	case strings.ContainsAny(name, `/\`):
		// The server takes a file name (and reads the package type from its extension).
		return uuid.Nil, vendor.Invalid("name", "%q is a path; pass the file's base name", name)
	case rest.IsNil(r):
		// A typed nil would panic in net/http's goroutine, out of the caller's reach.
		return uuid.Nil, vendor.Invalid("file", "nil reader")
	case size <= 0:
		return uuid.Nil, vendor.Invalid("size", "%d: an app file has content", size)
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/management/v1/content/apps/versions/file/upload")
	if err != nil {
		return uuid.Nil, err
	}
	if err := req.SetJSON(struct {
		Name        string `json:"name"`
		Size        int64  `json:"size"`
		ContentType string `json:"contentType"`
	}{name, size, "application/octet-stream"}); err != nil {
		return uuid.Nil, err
	}
	var st uploadState
	if err := s.c.core.Do(req, &st); err != nil {
		return uuid.Nil, err
	}
	if st.ResourceUUID == uuid.Nil {
		return uuid.Nil, s.c.core.BadReply(req, "the reply has no resourceUuid")
	}
	resource := st.ResourceUUID
	for st.ChunkOffset >= 0 {
		offset := st.ChunkOffset
		if offset >= size || st.ChunkSize <= 0 {
			return uuid.Nil, fmt.Errorf("relution: upload app file %q: server asks for %d bytes at offset %d of %d",
				name, st.ChunkSize, offset, size)
		}
		n := min(st.ChunkSize, size-offset)
		next, err := s.uploadChunk(ctx, resource, name, r, offset, n)
		if err != nil {
			return uuid.Nil, err
		}
		// Offsets must grow: a server that asks for the same bytes again would never finish.
		if next.ChunkOffset >= 0 && next.ChunkOffset <= offset {
			return uuid.Nil, fmt.Errorf("relution: upload app file %q: server did not advance past offset %d (answered %d)",
				name, offset, next.ChunkOffset)
		}
		st.ChunkOffset, st.ChunkSize = next.ChunkOffset, next.ChunkSize
	}
	return resource, nil
}

// uploadChunk sends the n bytes of r at offset as one chunk.
func (s *AppsService) uploadChunk(ctx context.Context, resource uuid.UUID, name string, r io.ReaderAt, offset, n int64) (*uploadState, error) {
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/management/v1/content/apps/versions/file/upload/{resourceUuid}", wireUUID(resource))
	if err != nil {
		return nil, err
	}
	if err := req.SetMultipart(rest.Multipart{
		Fields: []rest.FormField{
			{Name: "chunkOffset", Value: strconv.FormatInt(offset, 10)},
			{Name: "chunkSize", Value: strconv.FormatInt(n, 10)},
		},
		FileField:   "file",
		FileName:    name,
		ContentType: "application/octet-stream",
		File:        io.NewSectionReader(r, offset, n),
		Size:        n,
	}); err != nil {
		return nil, vendor.Own(err)
	}
	var st uploadState
	if err := s.c.core.Do(req, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// ParseFile asks the server to read an uploaded app package and returns the app it describes,
// ready for Create; the list may be empty when the server cannot make an app of the file. A
// package without metadata (typical for a macOS .pkg) yields an app without a name: set Name
// before Create.
//
// Source: 0xweb01/relution-sync (relution-sync.sh), which reads results[0].
//
// Endpoint: POST /api/management/v1/content/apps/fromFile/{resourceUuid}
//
//roster:endpoint POST /api/management/v1/content/apps/fromFile/{resourceUuid}
func (s *AppsService) ParseFile(ctx context.Context, resource uuid.UUID) ([]App, error) {
	if err := checkUUID("resource", resource); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/management/v1/content/apps/fromFile/{resourceUuid}", wireUUID(resource))
	if err != nil {
		return nil, err
	}
	env, err := do[App]((*service)(s), req)
	if err != nil {
		return nil, err
	}
	return env.Results, nil
}

// Create stores app in the store and returns it as created (with its new UUID; versions
// start in ReleaseDevelopment) when the reply shows it, nil otherwise: any 2xx reply is
// success, whatever its body, unless it is an envelope that says the call failed. app is normally what ParseFile returned, edited: it is sent as
// its Raw object with the changed fields written over (see App), so fields the SDK does not
// model survive. An app without a name is refused before anything is sent. It is a write:
// after a lost reply it is not resent, and the error matches ErrMaybeApplied.
//
// Source: 0xweb01/relution-sync (relution-sync.sh), which posts the parsed app with a name
// filled in; the server answers 201 with the app as results[0], as in the vendor's Jenkins
// plugin fixture post-apps-201.json (0xweb01/relution-sync and sebastianspicker/appport).
//
// Endpoint: POST /api/management/v1/content/apps
//
//roster:endpoint POST /api/management/v1/content/apps
func (s *AppsService) Create(ctx context.Context, app App) (*App, error) {
	if !hasText(app.Name) {
		return nil, vendor.Invalid("app name", "empty: set Name (ParseFile leaves it empty for packages without metadata)")
	}
	body, err := json.Marshal(app)
	if err != nil {
		return nil, vendor.Invalid("app", "cannot encode: %v", err)
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/management/v1/content/apps")
	if err != nil {
		return nil, err
	}
	req.SetBody("application/json", body)
	payload, err := writeReply((*service)(s), req)
	if err != nil {
		return nil, err
	}
	return replyObject(payload, func(a *App) bool { return a.UUID != uuid.Nil }), nil
}

// hasText reports whether any locale of s has text.
func hasText(s LocalizedString) bool {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}
