package relutiontest

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
)

// The seeded organization and objects as uuid.UUID values, for code written against the
// relution package: relution.Config{Organization: relutiontest.OrgID}.
var (
	OrgID                 = uuid.MustParse(OrgUUID)
	AdminID               = uuid.MustParse(AdminUUID)
	MaxID                 = uuid.MustParse(MaxUUID)
	EvaID                 = uuid.MustParse(EvaUUID)
	DeviceUserGroupID     = uuid.MustParse(DeviceUserGroupUUID)
	SalesGroupID          = uuid.MustParse(SalesGroupUUID)
	SalesBerlinGroupID    = uuid.MustParse(SalesBerlinGroupUUID)
	AdministratorsGroupID = uuid.MustParse(AdministratorsGroupUUID)
	PixelID               = uuid.MustParse(PixelUUID)
	IPhoneID              = uuid.MustParse(IPhoneUUID)
	GalaxyTabID           = uuid.MustParse(GalaxyTabUUID)
	IPadID                = uuid.MustParse(IPadUUID)
	SurfaceID             = uuid.MustParse(SurfaceUUID)
	MotoID                = uuid.MustParse(MotoUUID)
	SlackAppID            = uuid.MustParse(SlackAppUUID)
	SlackReleaseID        = uuid.MustParse(SlackReleaseUUID)
	SlackDevelopmentID    = uuid.MustParse(SlackDevelopmentUUID)
	PortalAppID           = uuid.MustParse(PortalAppUUID)
	PortalReleaseID       = uuid.MustParse(PortalReleaseUUID)
	SevenZipAppID         = uuid.MustParse(SevenZipAppUUID)
	SevenZipReleaseID     = uuid.MustParse(SevenZipReleaseUUID)
	ExecutedActionID      = uuid.MustParse(ExecutedActionUUID)
	PendingActionID       = uuid.MustParse(PendingActionUUID)
)

// NewClient returns a relution.Client for the server, ready for a test: it authenticates
// with the server's token and retries with waits of 1 to 5 ms, so that a test of injected
// faults runs fast. For other settings, build one from relution.Config{BaseURL: srv.URL,
// AccessToken: srv.Token}.
func (s *Server) NewClient() *relution.Client {
	c, err := relution.NewClient(relution.Config{
		BaseURL:     s.URL,
		AccessToken: s.Token,
		Retry:       relution.RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
	})
	if err != nil {
		// Only an empty token (WithToken("")) gets here; use Basic then.
		c, err = relution.NewClient(relution.Config{BaseURL: s.URL, Username: s.Username, Password: s.Password,
			Retry: relution.RetryPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}})
		if err != nil {
			panic("relutiontest: NewClient: " + err.Error())
		}
	}
	return c
}

// Requests returns the requests the server received, in order, whose method and path
// match: an empty method or path matches any; a path matches ignoring case, and as a
// prefix when it ends in "*" ("/api/management/v1/csvImport/job/*").
func (s *Server) Requests(method, path string) []Request {
	var out []Request
	for _, r := range s.kit.Requests() {
		if method != "" && !strings.EqualFold(r.Method, method) {
			continue
		}
		if path != "" {
			if prefix, ok := strings.CutSuffix(path, "*"); ok {
				if len(r.Path) < len(prefix) || !strings.EqualFold(r.Path[:len(prefix)], prefix) {
					continue
				}
			} else if !strings.EqualFold(r.Path, path) {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// SeedUser stores a user given as the relution package's own type, replacing a user with
// the same UUID, and returns it as the server stored it: a zero UUID, organization, version
// or date is filled in.
func (s *Server) SeedUser(u relution.User) relution.User {
	stored := s.AddUser(User{
		UUID: wireID(u.UUID), Name: u.Name, OrganizationUUID: wireID(u.OrganizationUUID),
		Activated: u.Activated, Locked: u.Locked, Email: u.Email, GivenName: u.GivenName,
		Surname: u.Surname, Phone: u.Phone, Position: u.Position, Country: u.Country,
		ManagedAppleID: u.ManagedAppleID, Version: u.Version,
		CreatedDate: millis(u.CreatedDate.Time), ModifiedDate: millis(u.ModifiedDate.Time),
	})
	return relution.User{
		UUID: uuid.MustParse(stored.UUID), Name: stored.Name, OrganizationUUID: uuid.MustParse(stored.OrganizationUUID),
		Activated: stored.Activated, Locked: stored.Locked, Email: stored.Email, GivenName: stored.GivenName,
		Surname: stored.Surname, Phone: stored.Phone, Position: stored.Position, Country: stored.Country,
		ManagedAppleID: stored.ManagedAppleID, Version: stored.Version,
		CreatedDate: relution.Time{Time: time.UnixMilli(stored.CreatedDate).UTC()}, ModifiedDate: relution.Time{Time: time.UnixMilli(stored.ModifiedDate).UTC()},
	}
}

// SeedDevice stores a device given as the relution package's own type after all other
// devices (or in place of one with the same UUID) and returns it as stored: a zero UUID or
// organization is filled in.
func (s *Server) SeedDevice(d relution.Device) relution.Device {
	stored := s.AddDevice(Device{
		UUID: wireID(d.UUID), Name: d.Name, Status: string(d.Status), Platform: string(d.Platform),
		UserUUID: wireID(d.UserUUID), OrganizationUUID: wireID(d.OrganizationUUID),
		DeviceID: d.DeviceID, SerialNumber: d.SerialNumber, LastConnectionDate: millis(d.LastConnectionDate.Time),
		Ownership: d.Ownership, PolicyStatus: d.PolicyStatus,
	})
	d.UUID, d.OrganizationUUID = uuid.MustParse(stored.UUID), uuid.MustParse(stored.OrganizationUUID)
	return d
}

// wireID writes a UUID as Relution does (upper case), and the zero UUID as "" (none).
func wireID(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return strings.ToUpper(id.String())
}

// millis is t in epoch milliseconds, 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
