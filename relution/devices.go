package relution

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// DevicesService queries devices, their installed apps and their actions.
type DevicesService service

// Platform is a device's operating system family.
type Platform string

// Platforms seen in Relution's device queries (sebastianspicker/appport). Others may exist.
const (
	PlatformAndroid           Platform = "ANDROID"
	PlatformAndroidEnterprise Platform = "ANDROID_ENTERPRISE"
	PlatformIOS               Platform = "IOS"
	PlatformMacOS             Platform = "MACOS"
	PlatformWindows           Platform = "WINDOWS"
)

// DeviceStatus is a device's compliance state.
type DeviceStatus string

// Device statuses seen in use (sebastianspicker/appport).
const (
	StatusCompliant    DeviceStatus = "COMPLIANT"
	StatusNonCompliant DeviceStatus = "NONCOMPLIANT"
	StatusInactive     DeviceStatus = "INACTIVE"
)

// Device is a managed device as the baseInfo query returns it (sebastianspicker/appport).
type Device struct {
	// UUID identifies the device.
	UUID uuid.UUID `json:"uuid"`
	// Name is the device's display name.
	Name string `json:"name"`
	// Status is its compliance state.
	Status DeviceStatus `json:"status"`
	// Platform is its operating system family.
	Platform Platform `json:"platform"`
	// UserUUID is the user the device is assigned to; the zero UUID when none.
	UserUUID uuid.UUID `json:"userUuid"`
	// OrganizationUUID is the organization that manages the device.
	OrganizationUUID uuid.UUID `json:"organizationUuid"`
	// DeviceID is the platform's identifier of the device.
	DeviceID string `json:"deviceId"`
	// SerialNumber is the hardware serial number.
	SerialNumber string `json:"serialNumber"`
	// LastConnectionDate is when the device last reached the server.
	LastConnectionDate Time `json:"lastConnectionDate"`
	// Ownership is CORPORATE or PERSONAL, as far as clients have seen (unverified).
	Ownership string `json:"ownership"`
	// PolicyStatus says whether the device's policies are applied: APPLIED, UPDATE, NONE,
	// UNKNOWN (guessed by sebastianspicker/relution-policy-workbench; unverified).
	PolicyStatus string `json:"policyStatus"`
}

// List runs one device query and returns that page. Relution's script sends this query with
// GET and a body; every working client POSTs it (sebastianspicker/appport), and so does List. It is
// retried like a read.
//
// Doc: "Query Devices in an Organization" (script 6).
//
// Endpoint: POST /api/v2/devices/baseInfo/query
//
//roster:endpoint POST /api/v2/devices/baseInfo/query
func (s *DevicesService) List(ctx context.Context, q Query) (*Page[Device], error) {
	return query[Device](ctx, (*service)(s), q, "/api/v2/devices/baseInfo/query")
}

// All runs the query page by page (Limit per page, 100 when unset) from q.Offset and yields
// every device. q is copied, never changed.
//
// Endpoint: POST /api/v2/devices/baseInfo/query
//
//roster:endpoint POST /api/v2/devices/baseInfo/query
func (s *DevicesService) All(ctx context.Context, q Query) iter.Seq2[Device, error] {
	return all(ctx, q, s.List)
}

// InstalledApp is an app installed on a device (sebastianspicker/appport).
type InstalledApp struct {
	Identifier         string    `json:"identifier"` // package or bundle id
	Name               string    `json:"name"`
	AppUUID            uuid.UUID `json:"appUuid"`
	VersionUUID        uuid.UUID `json:"versionUuid"`
	VersionToShow      string    `json:"versionToShow"`
	VersionName        string    `json:"versionName"`
	HasUpdateAvailable bool      `json:"hasUpdateAvailable"`
	AppSubType         string    `json:"appSubType"`
	ApplicationSource  string    `json:"applicationSource"` // INSTALLED_BY_WINGET, INSTALLED_BY_COMPANION
	IconURL            string    `json:"iconUrl"`
}

// QueryInstalledApps runs a query over the apps installed on a device (read-only).
// Source: appport's client.
//
// Endpoint: POST /api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query
//
//roster:endpoint POST /api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query
func (s *DevicesService) QueryInstalledApps(ctx context.Context, device uuid.UUID, q Query) (*Page[InstalledApp], error) {
	if err := checkUUID("device", device); err != nil {
		return nil, err
	}
	return query[InstalledApp](ctx, (*service)(s), q,
		"/api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query", wireUUID(device))
}

// InstalledAppListOptions selects a page of a device's installed apps. The zero value asks
// for all of them.
type InstalledAppListOptions struct {
	ListOptions
	// Locale picks the language of localized names ("en", "de").
	Locale string
}

// AllInstalledApps runs QueryInstalledApps page by page (Limit per page, 100 when unset)
// from q.Offset and yields every installed app. q is copied, never changed.
//
// Endpoint: POST /api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query
//
//roster:endpoint POST /api/management/v2/devices/{deviceUuid}/installedApps/baseInfo/query
func (s *DevicesService) AllInstalledApps(ctx context.Context, device uuid.UUID, q Query) iter.Seq2[InstalledApp, error] {
	if err := checkUUID("device", device); err != nil {
		return failed[InstalledApp](err)
	}
	return all(ctx, q, func(ctx context.Context, q Query) (*Page[InstalledApp], error) {
		return s.QueryInstalledApps(ctx, device, q)
	})
}

// ListInstalledApps returns a page of the apps installed on a device.
// Source: appport.
//
// Endpoint: GET /api/management/v1/devices/{deviceUuid}/installedApps
//
//roster:endpoint GET /api/management/v1/devices/{deviceUuid}/installedApps
func (s *DevicesService) ListInstalledApps(ctx context.Context, device uuid.UUID, opts InstalledAppListOptions) (*Page[InstalledApp], error) {
	if err := checkUUID("device", device); err != nil {
		return nil, err
	}
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	q := struct {
		listParams
		Locale string `url:"locale,omitempty"`
	}{p, opts.Locale}
	return getPage[InstalledApp](ctx, (*service)(s), q, "/api/management/v1/devices/{deviceUuid}/installedApps", wireUUID(device))
}

func (o InstalledAppListOptions) params() (listParams, error) {
	return newListParams(o.query())
}

// ActionState is where a device action stands.
type ActionState string

// Action states.
const (
	ActionNew                 ActionState = "NEW"                  // queued
	ActionPending             ActionState = "PENDING"              // queued
	ActionPushSent            ActionState = "PUSH_SENT"            // queued, device notified
	ActionDeliveredCancelable ActionState = "DELIVERED_CANCELABLE" // sent
	ActionDelivered           ActionState = "DELIVERED"            // sent
	ActionDeliveryConfirmed   ActionState = "DELIVERY_CONFIRMED"   // sent, device confirmed
	ActionNotNow              ActionState = "NOT_NOW"              // deferred by the device
	ActionExecuted            ActionState = "EXECUTED"             // done on the device
	ActionError               ActionState = "ERROR"                // failed
	ActionCancelled           ActionState = "CANCELLED"            // cancelled
)

// DeviceAction is a command queued for a device, such as an app deployment (sebastianspicker/appport).
type DeviceAction struct {
	UUID         uuid.UUID   `json:"uuid"`
	DeviceUUID   uuid.UUID   `json:"deviceUuid"`
	State        ActionState `json:"state"`
	Type         string      `json:"type"` // DEPLOY_WINGET_APP, DEPLOY_DESKTOP_APP, DEPLOY_CLASSIC_APP, ...
	CreationDate Time        `json:"creationDate"`
	ErrorCode    int64       `json:"errorCode"`
	Details      struct {
		AppUUID         uuid.UUID `json:"appUuid"`
		VersionUUID     uuid.UUID `json:"versionUuid"`
		AppInternalName string    `json:"appInternalName"`
	} `json:"details"`
}

// ActionListOptions selects a page of a device's actions. The zero value asks for all of
// them, without pings.
type ActionListOptions struct {
	ListOptions
	// SortOrder orders the actions; nil keeps the server's order. appport sorts by
	// Desc("creationDate").
	SortOrder *SortOrder
	// IncludePings asks for the device's ping actions too (getPings).
	IncludePings bool
}

// ListActions returns a page of a device's actions. Source: appport.
//
// Endpoint: GET /api/management/v1/devices/{deviceUuid}/actions
//
//roster:endpoint GET /api/management/v1/devices/{deviceUuid}/actions
func (s *DevicesService) ListActions(ctx context.Context, device uuid.UUID, opts ActionListOptions) (*Page[DeviceAction], error) {
	if err := checkUUID("device", device); err != nil {
		return nil, err
	}
	p, err := opts.params()
	if err != nil {
		return nil, err
	}
	q := struct {
		listParams
		GetPings bool `url:"getPings"`
	}{p, opts.IncludePings}
	return getPage[DeviceAction](ctx, (*service)(s), q, "/api/management/v1/devices/{deviceUuid}/actions", wireUUID(device))
}

// AllActions lists a device's actions page by page from opts.Offset, opts.Limit a page (100
// when unset), and yields every action. Invalid input yields its error once, before anything
// is sent.
//
// Endpoint: GET /api/management/v1/devices/{deviceUuid}/actions
//
//roster:endpoint GET /api/management/v1/devices/{deviceUuid}/actions
func (s *DevicesService) AllActions(ctx context.Context, device uuid.UUID, opts ActionListOptions) iter.Seq2[DeviceAction, error] {
	_, err := opts.params()
	if idErr := checkUUID("device", device); idErr != nil {
		err = vendor.Own(idErr)
	}
	return allPages(ctx, opts, err, func(ctx context.Context, o ActionListOptions) (*Page[DeviceAction], error) {
		return s.ListActions(ctx, device, o)
	})
}

func (o ActionListOptions) params() (listParams, error) {
	q := o.query()
	q.SortOrder = o.SortOrder
	return newListParams(q)
}

// GetAction returns one action of a device. Source: appport.
//
// Endpoint: GET /api/management/v1/devices/{deviceUuid}/actions/{actionUuid}
//
//roster:endpoint GET /api/management/v1/devices/{deviceUuid}/actions/{actionUuid}
func (s *DevicesService) GetAction(ctx context.Context, device, action uuid.UUID) (*DeviceAction, error) {
	if err := checkUUID("device", device); err != nil {
		return nil, err
	}
	if err := checkUUID("action", action); err != nil {
		return nil, err
	}
	req, err := s.c.core.NewRequest(ctx, http.MethodGet, "/api/management/v1/devices/{deviceUuid}/actions/{actionUuid}",
		wireUUID(device), wireUUID(action))
	if err != nil {
		return nil, err
	}
	return first[DeviceAction]((*service)(s), req)
}

// Time is a Relution timestamp. The server writes epoch milliseconds; some clients have
// seen ISO strings (sebastianspicker/appport), so both decode. It encodes as epoch milliseconds.
type Time struct{ time.Time }

// UnmarshalJSON accepts epoch milliseconds, an RFC 3339 string, or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		t.Time = time.Time{}
		return nil
	}
	if len(s) > 0 && s[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		if ms, err := strconv.ParseInt(str, 10, 64); err == nil {
			t.Time = time.UnixMilli(ms).UTC()
			return nil
		}
		p, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return fmt.Errorf("relution: timestamp %q is neither epoch milliseconds nor RFC 3339", str)
		}
		t.Time = p
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("relution: timestamp %s is not a number", s)
	}
	t.Time = time.UnixMilli(int64(f)).UTC()
	return nil
}

// MarshalJSON writes epoch milliseconds, or null for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, t.UnixMilli(), 10), nil
}
