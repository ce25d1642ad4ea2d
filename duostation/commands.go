package duostation

import (
	"context"
	"net/http"
	"strings"
)

// The commands of the document's "Send commands to devices" section. Each is a POST that the
// core never sends twice, except when the request provably never left or a reply proved that
// nothing was applied: an error after the request went out, with no such proof, matches
// ErrMaybeApplied. A wipe sent twice would be a disaster, and a wipe reported as failed when
// it went through would be a lie; so look at the device before sending a command again.

// AppInstall says which app Devices.InstallApp installs.
type AppInstall struct {
	// AppID is the id of the app (Apps.List). Required.
	AppID int `json:"appId"`
	// VPP says whether an Apple VPP license is used; nil leaves it to the server.
	VPP *bool `json:"vpp,omitempty"`
}

type appIdentifier struct {
	Identifier string `json:"identifier"`
}

type deviceMessage struct {
	Message string `json:"message"`
}

// command sends a device command with an optional JSON body.
func (s *DevicesService) command(ctx context.Context, tmpl, id string, body any) error {
	if err := checkDeviceID("id", id); err != nil {
		return err
	}
	_, err := (*service)(s).send(ctx, call{method: http.MethodPost, tmpl: tmpl, params: []string{id}, body: body}, nil)
	return err
}

// Inventory asks the device to report its inventory.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Inventory device".
//
// Endpoint: POST /api/devices/{id}/inventorydevice
//
//roster:endpoint POST /api/devices/{id}/inventorydevice
func (s *DevicesService) Inventory(ctx context.Context, id string) error {
	return s.command(ctx, "/api/devices/{id}/inventorydevice", id, nil)
}

// InstallApp installs an app on the device.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Install app".
//
// Endpoint: POST /api/devices/{id}/installapp
//
//roster:endpoint POST /api/devices/{id}/installapp
func (s *DevicesService) InstallApp(ctx context.Context, id string, app AppInstall) error {
	if err := checkID("AppID", app.AppID); err != nil {
		return err
	}
	return s.command(ctx, "/api/devices/{id}/installapp", id, app)
}

// RemoveApp uninstalls the app with the given identifier ("com.example.app") from the
// device.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Uninstall app".
//
// Endpoint: POST /api/devices/{id}/removeapp
//
//roster:endpoint POST /api/devices/{id}/removeapp
func (s *DevicesService) RemoveApp(ctx context.Context, id, identifier string) error {
	if err := checkText("identifier", identifier); err != nil {
		return err
	}
	if strings.ContainsFunc(identifier, isSpace) {
		return vendor.Invalid("identifier", "%q holds white space", identifier)
	}
	return s.command(ctx, "/api/devices/{id}/removeapp", id, appIdentifier{identifier})
}

// Lock locks the device's screen.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Lock screen".
//
// Endpoint: POST /api/devices/{id}/lockdevice
//
//roster:endpoint POST /api/devices/{id}/lockdevice
func (s *DevicesService) Lock(ctx context.Context, id string) error {
	return s.command(ctx, "/api/devices/{id}/lockdevice", id, nil)
}

// Wipe erases all data on the device and resets it to factory settings. It is never sent
// twice: if its reply is lost, the error matches ErrMaybeApplied, and the wipe may well be
// under way.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Wipe device".
//
// Endpoint: POST /api/devices/{id}/wipedevice
//
//roster:endpoint POST /api/devices/{id}/wipedevice
func (s *DevicesService) Wipe(ctx context.Context, id string) error {
	return s.command(ctx, "/api/devices/{id}/wipedevice", id, nil)
}

// ClearPasscode clears the passcode of the device's lock screen.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Clear passcode".
//
// Endpoint: POST /api/devices/{id}/clearpasscode
//
//roster:endpoint POST /api/devices/{id}/clearpasscode
func (s *DevicesService) ClearPasscode(ctx context.Context, id string) error {
	return s.command(ctx, "/api/devices/{id}/clearpasscode", id, nil)
}

// SendMessage shows a message on the device.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Send message" (since 4.8.16).
//
// Endpoint: POST /api/devices/{id}/sendmessage
//
//roster:endpoint POST /api/devices/{id}/sendmessage
func (s *DevicesService) SendMessage(ctx context.Context, id, message string) error {
	if err := checkText("message", message); err != nil {
		return err
	}
	return s.command(ctx, "/api/devices/{id}/sendmessage", id, deviceMessage{message})
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
