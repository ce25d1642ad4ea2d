package relution

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// OrganizationsService creates organizations through the creation wizard.
type OrganizationsService service

// Organization holds the fields of Relution's legacy organization model (relution-io/relution-sdk's legacy model). It is a
// convenient body for Create; no public source shows what the current wizard expects, so
// Create takes any JSON object.
type Organization struct {
	Name               string         `json:"name,omitempty"`
	UniqueName         string         `json:"uniqueName,omitempty"`
	URL                string         `json:"url,omitempty"`
	ReportLocaleString string         `json:"reportLocaleString,omitempty"`
	Address            map[string]any `json:"address,omitempty"`
	TechnicalPerson    map[string]any `json:"technicalPerson,omitempty"`
	DefaultRoles       []string       `json:"defaultRoles,omitempty"`
	PropertyMap        map[string]any `json:"propertyMap,omitempty"`
}

// Create posts a creation wizard request and returns the server's reply undecoded.
//
// No public source shows this endpoint's request or reply body, so Create
// sends body as given (anything that marshals to a JSON object: an Organization, a map, a
// json.RawMessage) and hands back the reply as raw JSON for the caller to read. A lost reply
// is not resent: the error then matches ErrMaybeApplied.
//
// Doc: "Create a New Organization" (https://hub.relution.io/en/docs/settings/rest-api).
//
// Endpoint: POST /api/v1/security/organizations/creationWizardRequests
//
//roster:endpoint POST /api/v1/security/organizations/creationWizardRequests
func (s *OrganizationsService) Create(ctx context.Context, body any) (json.RawMessage, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, vendor.Invalid("organization", "cannot encode as JSON: %v", err)
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return nil, vendor.Invalid("organization", "must be a JSON object")
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodPost, "/api/v1/security/organizations/creationWizardRequests")
	if err != nil {
		return nil, err
	}
	req.SetBody("application/json", data)
	// No source shows the reply: any 2xx is success, unless it is an envelope that says the
	// call failed; a body that is not JSON comes back as nil.
	return lenientReply((*service)(s), req)
}
