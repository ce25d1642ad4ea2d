package duostationtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

// Defaults of a Server's credentials; WithBasicAuth changes them.
const (
	DefaultUsername = "admin"
	DefaultPassword = "duostation-fake-password"
)

// The seed: the document's own examples.
const (
	// CustomersGroupID is the seeded group "Customers", directly under the root.
	CustomersGroupID = 1
	// CompanyGroupID is the seeded group "Company Inc" under "Customers": the document's
	// Customers\Company Inc.
	CompanyGroupID = 2
	// CompanyGroupPath is the path of CompanyGroupID as the document writes it.
	CompanyGroupPath = `Customers\Company Inc`
	// SeedUserID is the seeded user, in Company Inc.
	SeedUserID = 1
	// SeedUserEmail is the seeded user's email, the document's search example.
	SeedUserEmail = "stefan@programduon.se"
	// SeedDeviceID is the GUID of the seeded user's device.
	SeedDeviceID = "6f9619ff-8b86-d011-b42d-00cf4fc964ff"
	// SeedSerialNumber is the seeded device's serial number, the document's device tag
	// example.
	SeedSerialNumber = "SN123456ABC"
)

// IDForm is how a create's reply carries the new id. The document does not show it.
type IDForm int

// The forms a create's reply may take.
const (
	// IDNumber answers 5.
	IDNumber IDForm = iota
	// IDString answers "5".
	IDString
	// IDObject answers {"Id":5}.
	IDObject
)

// Server is a running fake DuoSTATION MDM site. Its fields are set by NewServer and must not
// be changed.
type Server struct {
	URL      string // base URL, without a trailing slash
	Username string // accepted Basic user
	Password string // accepted Basic password

	http   *httptest.Server
	kit    *fake.Kit
	router *fake.Router
	cfg    config

	mu sync.Mutex
	st *state
}

type config struct {
	user, pass string
	idForm     IDForm
	devices    []duostation.Device
}

// Option configures NewServer.
type Option func(*config)

// WithBasicAuth sets the Basic credentials the server accepts.
func WithBasicAuth(user, pass string) Option {
	return func(c *config) { c.user, c.pass = user, pass }
}

// WithIDForm sets how creates answer with the new id (default IDNumber).
func WithIDForm(f IDForm) Option { return func(c *config) { c.idForm = f } }

// WithDevices adds devices to the seed; the API cannot create devices (they enroll). A device
// without an ID gets one; its GroupID and AccountName follow its user.
func WithDevices(devices ...duostation.Device) Option {
	return func(c *config) { c.devices = append(c.devices, devices...) }
}

// NewServer starts a fake DuoSTATION MDM site seeded with the document's examples. The caller
// must Close it.
func NewServer(opts ...Option) *Server {
	cfg := config{user: DefaultUsername, pass: DefaultPassword}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{Username: cfg.user, Password: cfg.pass, cfg: cfg}
	s.st = newState()
	for _, d := range cfg.devices {
		s.st.addDevice(d)
	}
	s.kit = fake.NewKit(writeError)
	s.router = fake.NewRouter(fake.RouterConfig{Auth: s.authorized, Error: writeError}, s.routes())
	s.http = httptest.NewServer(s.kit.Handler(s.router))
	s.URL = s.http.URL
	return s
}

// Config returns a configuration for duostation.NewClient that reaches the server with its
// credentials; set further fields (Retry, Logger) on it as needed.
func (s *Server) Config() duostation.Config {
	return duostation.Config{BaseURL: s.URL, Username: s.Username, Password: s.Password}
}

// Close shuts the server down.
func (s *Server) Close() { s.http.Close() }

// Kit returns the request log and fault injector in front of the server. Faults match URL
// paths, exactly, as a prefix ending in "*", or as a catalogue template
// ("/api/devices/{id}/wipedevice"); an injected Status answers as a proxy would, in plain
// text.
func (s *Server) Kit() *Kit { return s.kit }

// Endpoints lists the endpoints the server serves, as "METHOD template" in the catalogue's
// spelling.
func (s *Server) Endpoints() []string { return s.router.Endpoints() }

// Kit is the request log and fault injector that Server.Kit returns. It is defined in an
// internal package; its methods are:
//
//	Inject(f Fault)         // plan a fault for the next matching requests
//	ClearFaults()           // drop the planned faults
//	Faults() []Fault        // the faults not used up yet
//	Requests() []Request    // every request received, in order
//	ResetRequests()         // empty the log
type Kit = fake.Kit

// Fault is a planned misbehaviour for Kit().Inject. It is defined in an internal package; its
// fields are:
//
//	Method, Path   string        // select requests; empty matches any; Path ignores case,
//	                             // matches as a prefix when it ends in "*", and may be a
//	                             // catalogue template ("/api/devices/{id}/wipedevice")
//	Query          string        // select by query parameters too ("serialNumber=SN123456ABC")
//	Count          int           // how many matching requests (at least 1)
//	Status         int           // answer this status instead (nothing is applied)
//	RetryAfter     string        // Retry-After header sent with Status
//	Latency        time.Duration // delay before handling
//	DropAfterApply bool          // apply the change, then drop the connection unanswered
//
// For example, a wipe whose reply is lost:
//
//	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/{id}/wipedevice", DropAfterApply: true})
type Fault = fake.Fault

// Request is one request of the log that Kit().Requests returns: Method, Path, Query
// (url.Values), Header, Body (the first 64 KiB) and BodySize.
type Request = fake.Request

// authorized checks HTTP Basic, as the document says every request carries.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if fake.CheckBasic(r, s.cfg.user, s.cfg.pass) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="DuoSTATION MDM"`)
	writeError(w, r, http.StatusUnauthorized, "", "Authorization has been denied for this request.")
	return false
}

// writeError writes an error as ASP.NET Web API does: {"Message": "..."}. No source shows
// DuoSTATION's error body; this shape is the fake's choice.
func writeError(w http.ResponseWriter, _ *http.Request, status int, _, message string) {
	fake.WriteJSON(w, status, map[string]string{"Message": message})
}

// writeID answers a create with the new id in the server's IDForm.
func (s *Server) writeID(c *fake.Call, id int) {
	switch s.cfg.idForm {
	case IDString:
		c.JSON(http.StatusOK, strconv.Itoa(id))
	case IDObject:
		c.JSON(http.StatusOK, map[string]int{"Id": id})
	default:
		c.JSON(http.StatusOK, id)
	}
}

// writeOK answers a write whose document says "Response data: -": 200 with no body.
func writeOK(c *fake.Call) { c.W.WriteHeader(http.StatusOK) }

// pascal re-keys a JSON object the way a .NET service writes it: "serialNumber" becomes
// "SerialNumber".
func pascal(v any) map[string]json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // the fake's own types always marshal
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, raw := range m {
		out[upperFirst(k)] = raw
	}
	return out
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// writeObjects answers with an array of PascalCase objects.
// getByID answers a GET of one object by the integer id in the path, from the state's table
// of that kind.
func getByID[T any](s *Server, c *fake.Call, kind string, table func(*state) map[int]*T) {
	id, ok := idVar(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := table(s.st)[id]
	if !ok {
		notFound(c, kind, id)
		return
	}
	c.JSON(http.StatusOK, pascal(v))
}

func writeObjects[T any](c *fake.Call, items []T) {
	out := make([]map[string]json.RawMessage, 0, len(items))
	for _, it := range items {
		out = append(out, pascal(it))
	}
	c.JSON(http.StatusOK, out)
}
