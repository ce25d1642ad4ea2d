package duostation

import (
	"context"
	"net/http"
	"strconv"
)

// DeviceTagsService links tags to devices: the document's "Manage device tags" section.
// Linking or unlinking reconfigures the device if needed.
type DeviceTagsService service

// DeviceTag is the link of a tag to a device. The document shows no response body: these are
// the fields its requests name, matched in any case; since 4.8.46 the serial number comes
// too.
type DeviceTag struct {
	ID int `json:"id"`
	// DeviceID is the device's GUID.
	DeviceID     string `json:"deviceId"`
	TagID        int    `json:"tagId"`
	SerialNumber string `json:"serialNumber"`
}

// DeviceTagSearch selects device tags. The fields that are set combine. The zero value (or
// nil) selects every device tag.
type DeviceTagSearch struct {
	// DeviceID is the device's GUID.
	DeviceID string `url:"deviceId,omitempty"`
	// SerialNumber is the device's serial number.
	SerialNumber string `url:"serialNumber,omitempty"`
}

func (q *DeviceTagSearch) check() error {
	if q == nil {
		return nil
	}
	if q.DeviceID != "" {
		if err := checkDeviceID("DeviceID", q.DeviceID); err != nil {
			return err
		}
	}
	return checkSearchText("SerialNumber", q.SerialNumber)
}

type deviceTagLink struct {
	DeviceID string `json:"deviceId"`
	TagID    int    `json:"tagId"`
}

// List returns the device tags that search selects; nil selects every device tag.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get device tags" and "Search for device tags".
//
// Endpoint: GET /api/devicetags
//
//roster:endpoint GET /api/devicetags
func (s *DeviceTagsService) List(ctx context.Context, search *DeviceTagSearch) ([]DeviceTag, error) {
	if err := search.check(); err != nil {
		return nil, err
	}
	return list[DeviceTag](ctx, (*service)(s), "/api/devicetags", search)
}

// Get returns the device tag with the given id. An unknown id is an error matching
// ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific device tag".
//
// Endpoint: GET /api/devicetags/{id}
//
//roster:endpoint GET /api/devicetags/{id}
func (s *DeviceTagsService) Get(ctx context.Context, id int) (*DeviceTag, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[DeviceTag](ctx, (*service)(s), "/api/devicetags/{id}", strconv.Itoa(id))
}

// Link links a tag to a device and returns the id of the new device tag. Look in List
// first: the document does not say that linking twice is refused.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Link a tag to a device".
//
// Endpoint: POST /api/devicetags
//
//roster:endpoint POST /api/devicetags
func (s *DeviceTagsService) Link(ctx context.Context, deviceID string, tagID int) (int, error) {
	if err := checkDeviceID("deviceID", deviceID); err != nil {
		return 0, err
	}
	if err := checkID("tagID", tagID); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/devicetags", body: deviceTagLink{deviceID, tagID}})
}

// Unlink deletes a device tag: the tag is no longer linked to the device.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Unlink a tag from a device".
//
// Endpoint: DELETE /api/devicetags/{id}
//
//roster:endpoint DELETE /api/devicetags/{id}
func (s *DeviceTagsService) Unlink(ctx context.Context, id int) error {
	if err := checkID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodDelete, tmpl: "/api/devicetags/{id}", params: []string{strconv.Itoa(id)}}, nil)
	return err
}
