package relativity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/rest"
)

// UsersService creates, reads, updates and deletes users (User Manager (REST),
// https://platform.relativity.com/Server2025/Content/BD_Identity/User_Manager_service.htm).
type UsersService service

// Paths of the user endpoints, exactly as the endpoint catalogue writes them.
const (
	pathUsers          = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/users"
	pathUser           = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}"
	pathAvailableTypes = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/users/available-types"
	pathEligibleGroups = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/users/query-eligible-groups"
)

// UserRequest is what Create and Update send: exactly the fields of the doc's UserRequest
// sample. Fields of the reply only (ArtifactID, Guids, Meta, Actions, the audit fields, the
// names of referenced objects) are not here, so they are never sent.
type UserRequest struct {
	// AllowSettingsChange lets the user change their own settings.
	AllowSettingsChange bool `json:"AllowSettingsChange"`
	// Client is the client (organization) the user belongs to; required. Set
	// Client.Value.ArtifactID (ClientRef does).
	Client SecuredRef `json:"Client"`
	// DefaultFilterVisibility shows the filter bar in lists by default.
	DefaultFilterVisibility bool `json:"DefaultFilterVisibility"`
	// DocumentViewerProperties sets the user's document viewer.
	DocumentViewerProperties DocumentViewerProperties `json:"DocumentViewerProperties"`
	// DisableOnDate is when the user's access ends; the zero Date (no end) is sent as null,
	// as the doc's sample does.
	DisableOnDate Date `json:"DisableOnDate"`
	// EmailAddress is the user's email and login name; required.
	EmailAddress string `json:"EmailAddress"`
	// EmailPreference says which emails the user gets; empty is Default.
	EmailPreference EmailPreference `json:"EmailPreference"`
	// FirstName and LastName are required.
	FirstName string `json:"FirstName"`
	// ItemListPageLength is how many items a list page shows; at least 1 (the doc's sample
	// sends 50).
	ItemListPageLength int    `json:"ItemListPageLength"`
	LastName           string `json:"LastName"`
	// RelativityAccess lets the user log in (and counts the user for billing).
	RelativityAccess bool `json:"RelativityAccess"`
	// SavedSearchDefaultsToPublic makes the user's new saved searches public.
	SavedSearchDefaultsToPublic bool `json:"SavedSearchDefaultsToPublic"`
	// TrustedIPs are the addresses the user may log in from, as one string (several are
	// separated by line breaks); empty for no restriction.
	TrustedIPs string `json:"TrustedIPs"`
	// Type is the user type (AvailableTypes lists them: 663 Internal and 672 External by
	// default); required.
	Type ArtifactRef `json:"Type"`
	// Keywords and Notes are free text.
	Keywords string `json:"Keywords"`
	Notes    string `json:"Notes"`
	// LastModifiedOn, sent with Update only, makes the update fail with ErrConflict when
	// the user changed after this date: set it to the LastModifiedOn of the read the change
	// is based on (UserResponse.Request does). The zero Date is not sent; Create refuses a
	// set one.
	LastModifiedOn Date `json:"LastModifiedOn,omitzero"`
}

// DocumentViewerProperties are a user's document viewer settings.
type DocumentViewerProperties struct {
	AllowDocumentSkipPreferenceChange bool `json:"AllowDocumentSkipPreferenceChange"`
	AllowDocumentViewerChange         bool `json:"AllowDocumentViewerChange"`
	AllowKeyboardShortcuts            bool `json:"AllowKeyboardShortcuts"`
	// DefaultSelectedFileType is the view documents open in; empty is Default.
	DefaultSelectedFileType FileType `json:"DefaultSelectedFileType"`
	// DocumentViewer is the viewer; empty is Default.
	DocumentViewer        DocumentViewer `json:"DocumentViewer"`
	SkipDefaultPreference bool           `json:"SkipDefaultPreference"`
}

// ClientRef returns the reference to client clientID that UserRequest.Client and
// GroupRequest.Client take.
func ClientRef(clientID int) SecuredRef { return SecuredRef{Value: ArtifactRef{ArtifactID: clientID}} }

// UserResponse is a user as Create, Get and Update return it (the doc's response sample).
type UserResponse struct {
	ArtifactID int      `json:"ArtifactID"`
	Guids      []string `json:"Guids"`

	AllowSettingsChange bool `json:"AllowSettingsChange"`
	// Client is the user's client, with its name.
	Client                      SecuredObject            `json:"Client"`
	DefaultFilterVisibility     bool                     `json:"DefaultFilterVisibility"`
	DocumentViewerProperties    DocumentViewerProperties `json:"DocumentViewerProperties"`
	DisableOnDate               Date                     `json:"DisableOnDate"`
	EmailAddress                string                   `json:"EmailAddress"`
	EmailPreference             EmailPreference          `json:"EmailPreference"`
	FirstName                   string                   `json:"FirstName"`
	ItemListPageLength          int                      `json:"ItemListPageLength"`
	LastName                    string                   `json:"LastName"`
	RelativityAccess            bool                     `json:"RelativityAccess"`
	SavedSearchDefaultsToPublic bool                     `json:"SavedSearchDefaultsToPublic"`
	TrustedIPs                  string                   `json:"TrustedIPs"`
	// Type is the user type, with its name ("Internal").
	Type     Ref    `json:"Type"`
	Keywords string `json:"Keywords"`
	Notes    string `json:"Notes"`

	CreatedOn      Date `json:"CreatedOn"`
	CreatedBy      Ref  `json:"CreatedBy"`
	LastModifiedOn Date `json:"LastModifiedOn"`
	LastModifiedBy Ref  `json:"LastModifiedBy"`
	// LastLoginDate is zero for a user who never logged in.
	LastLoginDate Date `json:"LastLoginDate"`

	// Meta and Actions are filled when asked for (GetOptions).
	Meta    Meta     `json:"Meta"`
	Actions []Action `json:"Actions"`
}

// Request returns the UserRequest that would write u back unchanged, field by field, with
// u's LastModifiedOn: an Update with it fails with ErrConflict if someone else changed the
// user since u was read.
func (u *UserResponse) Request() UserRequest {
	return UserRequest{
		AllowSettingsChange:         u.AllowSettingsChange,
		Client:                      SecuredRef{Secured: u.Client.Secured, Value: ArtifactRef{ArtifactID: u.Client.Value.ArtifactID}},
		DefaultFilterVisibility:     u.DefaultFilterVisibility,
		DocumentViewerProperties:    u.DocumentViewerProperties,
		DisableOnDate:               u.DisableOnDate,
		EmailAddress:                u.EmailAddress,
		EmailPreference:             u.EmailPreference,
		FirstName:                   u.FirstName,
		ItemListPageLength:          u.ItemListPageLength,
		LastName:                    u.LastName,
		RelativityAccess:            u.RelativityAccess,
		SavedSearchDefaultsToPublic: u.SavedSearchDefaultsToPublic,
		TrustedIPs:                  u.TrustedIPs,
		Type:                        ArtifactRef{ArtifactID: u.Type.ArtifactID},
		Keywords:                    u.Keywords,
		Notes:                       u.Notes,
		LastModifiedOn:              u.LastModifiedOn,
	}
}

// validate checks what the server needs of every UserRequest.
func (r *UserRequest) validate() error {
	for _, f := range []struct{ name, v string }{
		{"EmailAddress", r.EmailAddress}, {"FirstName", r.FirstName}, {"LastName", r.LastName},
	} {
		if strings.TrimSpace(f.v) == "" {
			return vendor.Invalid("UserRequest."+f.name, "missing")
		}
		if rest.HasControl(f.v) {
			return vendor.Invalid("UserRequest."+f.name, "holds a control character")
		}
	}
	if r.Type.ArtifactID <= 0 {
		return vendor.Invalid("UserRequest.Type", "missing: set Type.ArtifactID (AvailableTypes lists them; 663 is Internal)")
	}
	if r.Client.Value.ArtifactID <= 0 {
		return vendor.Invalid("UserRequest.Client", "missing: set Client with ClientRef(id)")
	}
	if r.ItemListPageLength <= 0 {
		return vendor.Invalid("UserRequest.ItemListPageLength", "must be at least 1 (the doc's sample sends 50), got %d", r.ItemListPageLength)
	}
	if !knownName(emailNames, string(r.EmailPreference)) {
		return vendor.Invalid("UserRequest.EmailPreference", "unknown value %q", r.EmailPreference)
	}
	if !knownName(viewerNames, string(r.DocumentViewerProperties.DocumentViewer)) {
		return vendor.Invalid("UserRequest.DocumentViewerProperties.DocumentViewer", "unknown value %q", r.DocumentViewerProperties.DocumentViewer)
	}
	if !knownName(fileTypeNames, string(r.DocumentViewerProperties.DefaultSelectedFileType)) {
		return vendor.Invalid("UserRequest.DocumentViewerProperties.DefaultSelectedFileType", "unknown value %q", r.DocumentViewerProperties.DefaultSelectedFileType)
	}
	if _, err := r.DisableOnDate.MarshalJSON(); err != nil {
		return vendor.Invalid("UserRequest.DisableOnDate", "%v", err)
	}
	if _, err := r.LastModifiedOn.MarshalJSON(); err != nil {
		return vendor.Invalid("UserRequest.LastModifiedOn", "%v", err)
	}
	return nil
}

type userBody struct {
	UserRequest UserRequest `json:"UserRequest"`
}

// Create creates a user and returns it as the server stored it. It is a write: after a lost
// reply it is not resent, and the error matches ErrMaybeApplied.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/users
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/users
func (s *UsersService) Create(ctx context.Context, req UserRequest) (*UserResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	if !req.LastModifiedOn.IsZero() {
		return nil, vendor.Invalid("UserRequest.LastModifiedOn", "set on a create; it belongs to Update only")
	}
	var u UserResponse
	r, err := s.c.send(ctx, http.MethodPost, pathUsers, userBody{req}, &u)
	if err != nil {
		return nil, err
	}
	if u.ArtifactID == 0 {
		return nil, s.c.core.BadReply(r, "the reply to creating user %q has no ArtifactID", req.EmailAddress)
	}
	return &u, nil
}

// Get returns the user with the given Artifact ID; opts (nil for none) asks for Meta and
// Actions. An unknown user is an error matching ErrNotFound.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
func (s *UsersService) Get(ctx context.Context, userID int, opts *GetOptions) (*UserResponse, error) {
	if err := checkID("userID", userID); err != nil {
		return nil, err
	}
	req, err := s.c.newRequest(ctx, http.MethodGet, pathUser, id(userID))
	if err != nil {
		return nil, err
	}
	if opts != nil {
		if err := req.SetQuery(opts); err != nil {
			return nil, err
		}
	}
	var u UserResponse
	if err := s.c.core.Do(req, &u); err != nil {
		return nil, err
	}
	if u.ArtifactID == 0 {
		return nil, s.c.core.BadReply(req, "the reply holds no user")
	}
	return &u, nil
}

// Update writes req to the user and returns the user as stored. Every field of req is sent:
// start from UserResponse.Request, or use Modify. With req.LastModifiedOn set, a user changed
// by someone else since then is not updated: the error matches ErrConflict and says so. It
// is a write: after a lost reply it is not resent (a resend would fail with 409 even when the
// first one worked), and the error matches ErrMaybeApplied.
//
// Endpoint: PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
//
//roster:endpoint PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
func (s *UsersService) Update(ctx context.Context, userID int, req UserRequest) (*UserResponse, error) {
	if err := checkID("userID", userID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	var u UserResponse
	r, err := s.c.send(ctx, http.MethodPut, pathUser, userBody{req}, &u, id(userID))
	if err != nil {
		return nil, staleError(err, "user", userID, req.LastModifiedOn)
	}
	if u.ArtifactID == 0 {
		return nil, s.c.core.BadReply(r, "the reply to the update holds no user")
	}
	return &u, nil
}

// Modify reads the user, lets change edit the request built from it (UserResponse.Request)
// and writes it back with the read's LastModifiedOn, so that a change made by someone else in
// between is not overwritten: Modify then fails with an error matching ErrConflict, and
// nothing was written. An error from change is returned as it is, with nothing written. A
// server whose reply carries no LastModifiedOn gets an unconditional update.
//
// Endpoints:
//   - GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
//   - PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
//roster:endpoint PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
func (s *UsersService) Modify(ctx context.Context, userID int, change func(*UserRequest) error) (*UserResponse, error) {
	if change == nil {
		return nil, vendor.Invalid("change", "nil function")
	}
	u, err := s.Get(ctx, userID, nil)
	if err != nil {
		return nil, err
	}
	req := u.Request()
	if err := change(&req); err != nil {
		return nil, err
	}
	if req.LastModifiedOn.raw != u.LastModifiedOn.raw || !req.LastModifiedOn.t.Equal(u.LastModifiedOn.t) {
		return nil, vendor.Invalid("UserRequest.LastModifiedOn", "changed by the change function; Modify sends the read's value")
	}
	return s.Update(ctx, userID, req)
}

// Delete deletes the user. An unknown user is an error matching ErrNotFound. It is a write:
// after a lost reply it is not resent (a resend would answer 404 even when the first one
// worked), and the error matches ErrMaybeApplied.
//
// Endpoint: DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
//
//roster:endpoint DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/{userID}
func (s *UsersService) Delete(ctx context.Context, userID int) error {
	if err := checkID("userID", userID); err != nil {
		return err
	}
	return s.c.call(ctx, http.MethodDelete, pathUser, nil, nil, id(userID))
}

// staleError explains a 409 to an update sent with LastModifiedOn.
func staleError(err error, what string, objID int, lastModified Date) error {
	if lastModified.IsZero() || !errors.Is(err, ErrConflict) {
		return err
	}
	name := what
	if objID != 0 {
		name = fmt.Sprintf("%s %d", what, objID)
	}
	return fmt.Errorf("relativity: someone else changed %s after %s, the LastModifiedOn sent; read it again and reapply the change: %w",
		name, lastModified, err)
}
