package relativity

import (
	"context"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/rest"
)

const pathSettings = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/users/me/settings"

// SettingsService reads and updates the settings of the calling user.
type SettingsService service

// UserSettings are the calling user's settings as the server returns them.
type UserSettings struct {
	DefaultFilterVisibility     bool            `json:"DefaultFilterVisibility"`
	DefaultSelectedFileType     FileType        `json:"DefaultSelectedFileType"`
	EmailAddress                string          `json:"EmailAddress"`
	EmailPreference             EmailPreference `json:"EmailPreference"`
	FirstName                   string          `json:"FirstName"`
	ItemListPageLength          int             `json:"ItemListPageLength"`
	LastName                    string          `json:"LastName"`
	SavedSearchDefaultsToPublic bool            `json:"SavedSearchDefaultsToPublic"`
	SkipDefaultPreference       bool            `json:"SkipDefaultPreference"`
	// LastModifiedOn is not in the doc's samples; when a server sends it, Request carries
	// it into the update.
	LastModifiedOn Date `json:"LastModifiedOn"`
	// Meta lists the settings the user may not change (e.g. "Client", "Email Address").
	Meta    Meta     `json:"Meta"`
	Actions []Action `json:"Actions"`
}

// UserSettingRequest is what Update sends: every field of the doc's UserSettingRequest
// sample, which are all required.
type UserSettingRequest struct {
	DefaultFilterVisibility     bool            `json:"DefaultFilterVisibility"`
	DefaultSelectedFileType     FileType        `json:"DefaultSelectedFileType"`
	EmailAddress                string          `json:"EmailAddress"`
	EmailPreference             EmailPreference `json:"EmailPreference"`
	FirstName                   string          `json:"FirstName"`
	ItemListPageLength          int             `json:"ItemListPageLength"`
	LastName                    string          `json:"LastName"`
	SavedSearchDefaultsToPublic bool            `json:"SavedSearchDefaultsToPublic"`
	SkipDefaultPreference       bool            `json:"SkipDefaultPreference"`
	// LastModifiedOn, when set, makes the update fail with ErrConflict if the settings
	// changed after it. The zero Date is not sent.
	LastModifiedOn Date `json:"LastModifiedOn,omitzero"`
}

// Request returns the UserSettingRequest that writes s back unchanged.
func (s *UserSettings) Request() UserSettingRequest {
	return UserSettingRequest{
		DefaultFilterVisibility:     s.DefaultFilterVisibility,
		DefaultSelectedFileType:     s.DefaultSelectedFileType,
		EmailAddress:                s.EmailAddress,
		EmailPreference:             s.EmailPreference,
		FirstName:                   s.FirstName,
		ItemListPageLength:          s.ItemListPageLength,
		LastName:                    s.LastName,
		SavedSearchDefaultsToPublic: s.SavedSearchDefaultsToPublic,
		SkipDefaultPreference:       s.SkipDefaultPreference,
		LastModifiedOn:              s.LastModifiedOn,
	}
}

func (r *UserSettingRequest) validate() error {
	for _, f := range []struct{ name, v string }{
		{"EmailAddress", r.EmailAddress}, {"FirstName", r.FirstName}, {"LastName", r.LastName},
	} {
		if strings.TrimSpace(f.v) == "" {
			return vendor.Invalid("UserSettingRequest."+f.name, "missing")
		}
		if rest.HasControl(f.v) {
			return vendor.Invalid("UserSettingRequest."+f.name, "holds a control character")
		}
	}
	if r.ItemListPageLength <= 0 {
		return vendor.Invalid("UserSettingRequest.ItemListPageLength", "must be at least 1, got %d", r.ItemListPageLength)
	}
	if !knownName(emailNames, string(r.EmailPreference)) {
		return vendor.Invalid("UserSettingRequest.EmailPreference", "unknown value %q", r.EmailPreference)
	}
	if !knownName(fileTypeNames, string(r.DefaultSelectedFileType)) {
		return vendor.Invalid("UserSettingRequest.DefaultSelectedFileType", "unknown value %q", r.DefaultSelectedFileType)
	}
	if _, err := r.LastModifiedOn.MarshalJSON(); err != nil {
		return vendor.Invalid("UserSettingRequest.LastModifiedOn", "%v", err)
	}
	return nil
}

type settingsBody struct {
	UserSettingRequest UserSettingRequest `json:"UserSettingRequest"`
}

// Get returns the calling user's settings; opts (nil for none) asks for Meta and Actions.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/me/settings
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/me/settings
func (s *SettingsService) Get(ctx context.Context, opts *GetOptions) (*UserSettings, error) {
	req, err := s.c.newRequest(ctx, http.MethodGet, pathSettings)
	if err != nil {
		return nil, err
	}
	if opts != nil {
		if err := req.SetQuery(opts); err != nil {
			return nil, err
		}
	}
	var out UserSettings
	if err := s.c.core.Do(req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update writes the calling user's settings and returns them as stored. With
// req.LastModifiedOn set, settings changed since then are not overwritten: the error matches
// ErrConflict. It is a write: after a lost reply it is not resent.
//
// Endpoint: PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/me/settings
//
//roster:endpoint PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/users/me/settings
func (s *SettingsService) Update(ctx context.Context, req UserSettingRequest) (*UserSettings, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out UserSettings
	if err := s.c.call(ctx, http.MethodPut, pathSettings, settingsBody{req}, &out); err != nil {
		return nil, staleError(err, "the current user's settings", 0, req.LastModifiedOn)
	}
	return &out, nil
}
