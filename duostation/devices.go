package duostation

import (
	"context"
	"net/http"
)

// DevicesService lists and searches devices, changes a device's user (the document's "Manage
// devices" section), and sends devices commands ("Send commands to devices").
type DevicesService service

// Device is a device. Its id is a GUID. The document shows no response body: a public client
// reads the id from the key "Id" (m-eddington/duostation-mdm-api-test, api-test.sh); the
// other fields are those the document's searches name, matched in any case. Version 4.8.33
// says more is returned; unknown fields are ignored.
type Device struct {
	// ID is the device's GUID, e.g. "0f8fad5b-d9cb-469f-a165-70867728950e".
	ID           string `json:"id"`
	SerialNumber string `json:"serialNumber"`
	// UserID is the id of the device's user.
	UserID int `json:"userId"`
	// GroupID is the id of the device's group (its user's group).
	GroupID int `json:"groupId"`
	// AccountName is the account name of the device's user.
	AccountName string `json:"accountName"`
}

// DeviceSearch selects devices. The fields that are set combine: a device must match all of
// them. The zero value (or nil) selects every device.
type DeviceSearch struct {
	// SerialNumber is the device's serial number.
	SerialNumber string `url:"serialNumber,omitempty"`
	// GroupID is the id of the device's group (0 is the root).
	GroupID *int `url:"groupId,omitempty"`
	// UserID is the id of the device's user.
	UserID *int `url:"userId,omitempty"`
	// AccountName is the account name of the device's user.
	AccountName string `url:"accountName,omitempty"`
	// TagID is the id of a tag linked to the device.
	TagID *int `url:"tagId,omitempty"`
}

func (q *DeviceSearch) check() error {
	if q == nil {
		return nil
	}
	if err := checkSearchText("SerialNumber", q.SerialNumber); err != nil {
		return err
	}
	if err := checkSearchText("AccountName", q.AccountName); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"GroupID", q.GroupID}, {"UserID", q.UserID}, {"TagID", q.TagID}} {
		if err := checkOptionalID(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// deviceUser is the body of a device update.
type deviceUser struct {
	UserID int `json:"userId"`
}

// List returns the devices that search selects; nil selects every device.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get devices" and "Search for devices" (the tag
// and group filters since 4.8.33, the user filter since 4.8.39).
//
// Endpoint: GET /api/devices
//
//roster:endpoint GET /api/devices
func (s *DevicesService) List(ctx context.Context, search *DeviceSearch) ([]Device, error) {
	if err := search.check(); err != nil {
		return nil, err
	}
	return list[Device](ctx, (*service)(s), "/api/devices", search)
}

// Get returns the device with the given GUID. An unknown id is an error matching
// ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific device by id".
//
// Endpoint: GET /api/devices/{id}
//
//roster:endpoint GET /api/devices/{id}
func (s *DevicesService) Get(ctx context.Context, id string) (*Device, error) {
	if err := checkDeviceID("id", id); err != nil {
		return nil, err
	}
	return get[Device](ctx, (*service)(s), "/api/devices/{id}", id)
}

// SetUser links the device to another user, the only change the API offers for devices.
// The server reconfigures the device if needed.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Update a device".
//
// Endpoint: PUT /api/devices/{id}
//
//roster:endpoint PUT /api/devices/{id}
func (s *DevicesService) SetUser(ctx context.Context, id string, userID int) error {
	if err := checkDeviceID("id", id); err != nil {
		return err
	}
	if err := checkID("userID", userID); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodPut, tmpl: "/api/devices/{id}", params: []string{id}, body: deviceUser{userID}}, nil)
	return err
}
