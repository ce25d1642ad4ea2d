package relativity

import (
	"context"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/internal/rest"
)

// Paths of the client endpoints, as the endpoint catalogue writes them. Clients live in the
// admin context only, so the workspace is the literal -1.
const (
	pathClients        = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients"
	pathClient         = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}"
	pathClientStatuses = "/Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/eligible-statuses"
)

// ClientsService creates, reads, updates and deletes clients: the organizations that users
// and groups belong to (UserRequest.Client). These endpoints are not in the User Manager
// (REST) page; Relativity's own REST test client calls them
// (relativitydev/relativity.testing.framework.api, Strategies/Clients/*V1.cs).
type ClientsService service

// ClientRequest is what Create and Update send: the fields of the test client's
// ClientRequest.
type ClientRequest struct {
	// Name is required.
	Name string `json:"Name"`
	// Number is the client's number, free text.
	Number string `json:"Number"`
	// Status is a status choice from EligibleStatuses; required.
	Status   ArtifactRef `json:"Status"`
	Keywords string      `json:"Keywords"`
	Notes    string      `json:"Notes"`
}

func (r *ClientRequest) validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return vendor.Invalid("ClientRequest.Name", "missing")
	}
	if rest.HasControl(r.Name) || rest.HasControl(r.Number) {
		return vendor.Invalid("ClientRequest.Name", "holds a control character")
	}
	if r.Status.ArtifactID <= 0 {
		return vendor.Invalid("ClientRequest.Status", "missing: set Status.ArtifactID (EligibleStatuses lists them)")
	}
	return nil
}

// ClientInfo is a client as the client endpoints return it.
type ClientInfo struct {
	ArtifactID int      `json:"ArtifactID"`
	Name       string   `json:"Name"`
	Number     string   `json:"Number"`
	Status     Ref      `json:"Status"`
	Keywords   string   `json:"Keywords"`
	Notes      string   `json:"Notes"`
	Guids      []string `json:"Guids"`
}

// clientBody wraps the request as ClientDTOV1.cs does.
type clientBody struct {
	ClientRequest ClientRequest `json:"ClientRequest"`
}

// Create creates a client. It is a write: after a lost reply it is not resent, and the error
// matches ErrMaybeApplied.
//
// Endpoint: POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients
//
//roster:endpoint POST /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients
func (s *ClientsService) Create(ctx context.Context, req ClientRequest) (*ClientInfo, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out ClientInfo
	r, err := s.c.send(ctx, http.MethodPost, pathClients, clientBody{req}, &out)
	if err != nil {
		return nil, err
	}
	if out.ArtifactID == 0 {
		return nil, s.c.core.BadReply(r, "the reply to creating client %q has no ArtifactID", req.Name)
	}
	return &out, nil
}

// Get returns the client with the given Artifact ID.
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}
func (s *ClientsService) Get(ctx context.Context, clientID int) (*ClientInfo, error) {
	if err := checkID("clientID", clientID); err != nil {
		return nil, err
	}
	var out ClientInfo
	r, err := s.c.send(ctx, http.MethodGet, pathClient, nil, &out, id(clientID))
	if err != nil {
		return nil, err
	}
	if out.ArtifactID == 0 {
		return nil, s.c.core.BadReply(r, "the reply holds no client")
	}
	return &out, nil
}

// Update writes req to the client. It is a write: after a lost reply it is not resent, and
// the error matches ErrMaybeApplied.
//
// Endpoint: PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}
//
//roster:endpoint PUT /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}
func (s *ClientsService) Update(ctx context.Context, clientID int, req ClientRequest) error {
	if err := checkID("clientID", clientID); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	return s.c.call(ctx, http.MethodPut, pathClient, clientBody{req}, nil, id(clientID))
}

// Delete deletes the client.
//
// Endpoint: DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}
//
//roster:endpoint DELETE /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/{clientID}
func (s *ClientsService) Delete(ctx context.Context, clientID int) error {
	if err := checkID("clientID", clientID); err != nil {
		return err
	}
	return s.c.call(ctx, http.MethodDelete, pathClient, nil, nil, id(clientID))
}

// EligibleStatuses returns the statuses a client can have (ClientRequest.Status).
//
// Endpoint: GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/eligible-statuses
//
//roster:endpoint GET /Relativity.REST/api/Relativity-Identity/{versionNumber}/workspaces/-1/clients/eligible-statuses
func (s *ClientsService) EligibleStatuses(ctx context.Context) ([]Ref, error) {
	var out []Ref
	if err := s.c.call(ctx, http.MethodGet, pathClientStatuses, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
