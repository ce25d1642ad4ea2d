package duostation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// AppsService lists apps and adds or updates them: the document's "Manage apps" section
// (add or update since 4.8.35). Install them on devices with Devices.InstallApp.
type AppsService service

// Platform is an app's platform, sent as its number.
type Platform int

// The platforms of the document's "Add or update app".
const (
	PlatformIOS     Platform = 0
	PlatformAndroid Platform = 1
	PlatformMacOS   Platform = 2
	PlatformTvOS    Platform = 3
)

var platformNames = []string{"iOS", "Android", "macOS", "tvOS"}

// String returns the platform's name ("iOS"), or its number when it is not one of the four.
func (p Platform) String() string { return enumName(platformNames, int(p)) }

// UnmarshalJSON reads the platform as a number, as requests send it, or as a numeric string
// or a name in any case ("iOS", "IOS"): no source shows how replies write it.
func (p *Platform) UnmarshalJSON(data []byte) error {
	n, err := enumValue(platformNames, data)
	*p = Platform(n)
	return err
}

// Store is the store an app comes from, sent as its number.
type Store int

// The stores of the document's "Add or update app".
const (
	StoreAppStore Store = 0
	StorePlay     Store = 1
	StoreInHouse  Store = 2
)

var storeNames = []string{"AppStore", "Play", "InHouse"}

// String returns the store's name ("AppStore"), or its number when it is not one of the
// three.
func (s Store) String() string { return enumName(storeNames, int(s)) }

// UnmarshalJSON reads the store as a number, a numeric string or a name in any case
// ("AppStore", "In house"): no source shows how replies write it.
func (s *Store) UnmarshalJSON(data []byte) error {
	n, err := enumValue(storeNames, data)
	*s = Store(n)
	return err
}

func enumName(names []string, n int) string {
	if n >= 0 && n < len(names) {
		return names[n]
	}
	return strconv.Itoa(n)
}

func enumValue(names []string, data []byte) (int, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] != '"' {
		var n int
		if err := json.Unmarshal(data, &n); err != nil {
			return 0, err
		}
		return n, nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, err
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n, nil
	}
	key := strings.ReplaceAll(s, " ", "")
	for i, name := range names {
		if strings.EqualFold(key, name) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown value %q", s)
}

// App is an app. The document shows no response body: these are the fields its request
// names, matched in any case ("Id" or "id").
type App struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Company     string `json:"company"`
	// PackageID is the app's identifier ("com.example.app").
	PackageID     string   `json:"packageId"`
	VersionText   string   `json:"versionText"`
	VersionNumber int      `json:"versionNumber"`
	Platform      Platform `json:"platform"`
	// Size is the app's size in bytes.
	Size    int64  `json:"size"`
	Store   Store  `json:"store"`
	StoreID string `json:"storeId"`
	// ImageURL is the URL of the app's PNG icon, when it was given as a URL.
	ImageURL string `json:"imageUrl"`
}

// AppInput is an app to add, or to update when an app with the same PackageID, Platform and
// Store exists. Every field is required except Description and VersionNumber, and exactly one
// of ImageData and ImageURL is set.
type AppInput struct {
	// Name is the app's name. Required.
	Name string `json:"name"`
	// Description describes the app.
	Description *string `json:"description,omitempty"`
	// Company is the app's maker. Required.
	Company string `json:"company"`
	// PackageID is the app's identifier ("com.example.app"). Required.
	PackageID string `json:"packageId"`
	// VersionText is the version as the installed app reports it ("2.1.0"). Required.
	VersionText string `json:"versionText"`
	// VersionNumber is the version as an integer, used mainly for Android apps.
	VersionNumber *int `json:"versionNumber,omitempty"`
	// Platform is the app's platform. Required (the zero value is PlatformIOS).
	Platform Platform `json:"platform"`
	// Size is the app's size in bytes. Required.
	Size int64 `json:"size"`
	// Store is where the app comes from. Required (the zero value is StoreAppStore).
	Store Store `json:"store"`
	// StoreID is, for StoreAppStore, the app's App Store id (digits); for StorePlay, the
	// same value as PackageID; for StoreInHouse on PlatformMacOS, the URL of a .pkg file or
	// of a .zip file holding an .app or .pkg. Required.
	StoreID string `json:"storeId"`
	// ImageData is the app's icon, a PNG image (64×64 pixels preferred); it is sent
	// base64-encoded. Set it or ImageURL, not both.
	ImageData []byte `json:"imageData,omitempty"`
	// ImageURL is the URL of the app's PNG icon. Set it or ImageData, not both.
	ImageURL string `json:"imageUrl,omitempty"`
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// Check reports the first rule of the document's "Add or update app" that a breaks, as a
// *ValidationError; AddOrUpdate calls it before sending.
func (a *AppInput) Check() error {
	for _, f := range []struct{ name, v string }{
		{"Name", a.Name}, {"Company", a.Company}, {"PackageID", a.PackageID},
		{"VersionText", a.VersionText}, {"StoreID", a.StoreID},
	} {
		if err := checkText(f.name, f.v); err != nil {
			return err
		}
	}
	if strings.ContainsFunc(a.PackageID, isSpace) {
		return vendor.Invalid("PackageID", "%q holds white space", a.PackageID)
	}
	if a.VersionNumber != nil && (*a.VersionNumber < 0 || int64(*a.VersionNumber) > 1<<31-1) {
		return vendor.Invalid("VersionNumber", "%d is not a non-negative 32-bit integer", *a.VersionNumber)
	}
	if a.Platform < PlatformIOS || a.Platform > PlatformTvOS {
		return vendor.Invalid("Platform", "%d is not 0 (iOS), 1 (Android), 2 (macOS) or 3 (tvOS)", int(a.Platform))
	}
	if a.Store < StoreAppStore || a.Store > StoreInHouse {
		return vendor.Invalid("Store", "%d is not 0 (App Store), 1 (Play) or 2 (in house)", int(a.Store))
	}
	if a.Size <= 0 {
		return vendor.Invalid("Size", "%d: the size in bytes is required", a.Size)
	}
	switch a.Store {
	case StoreAppStore:
		if strings.Trim(a.StoreID, "0123456789") != "" {
			return vendor.Invalid("StoreID", "%q: for the App Store, the app's numeric App Store id", a.StoreID)
		}
	case StorePlay:
		if a.StoreID != a.PackageID {
			return vendor.Invalid("StoreID", "%q: for Play, the same value as PackageID %q", a.StoreID, a.PackageID)
		}
	case StoreInHouse:
		if a.Platform == PlatformMacOS {
			u, err := url.Parse(a.StoreID)
			lower := ""
			if err == nil {
				lower = strings.ToLower(u.Path)
			}
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
				(!strings.HasSuffix(lower, ".pkg") && !strings.HasSuffix(lower, ".zip")) {
				return vendor.Invalid("StoreID", "%q: for an in-house macOS app, the http(s) URL of a .pkg or .zip file", a.StoreID)
			}
		}
	}
	switch {
	case len(a.ImageData) > 0 && a.ImageURL != "":
		return vendor.Invalid("ImageData", "set ImageData or ImageURL, not both")
	case len(a.ImageData) == 0 && a.ImageURL == "":
		return vendor.Invalid("ImageData", "missing: set ImageData or ImageURL")
	case len(a.ImageData) > 0 && !bytes.HasPrefix(a.ImageData, pngSignature):
		return vendor.Invalid("ImageData", "not a PNG image")
	case a.ImageURL != "":
		u, err := url.Parse(a.ImageURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return vendor.Invalid("ImageURL", "%q is not an http(s) URL", a.ImageURL)
		}
	}
	return nil
}

// List returns every app.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get apps".
//
// Endpoint: GET /api/apps
//
//roster:endpoint GET /api/apps
func (s *AppsService) List(ctx context.Context) ([]App, error) {
	return list[App](ctx, (*service)(s), "/api/apps", nil)
}

// Get returns the app with the given id. An unknown id is an error matching ErrNotFound.
//
// Source: DuoSTATION MDM REST API v4.8.46, "Get specific app".
//
// Endpoint: GET /api/apps/{id}
//
//roster:endpoint GET /api/apps/{id}
func (s *AppsService) Get(ctx context.Context, id int) (*App, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return get[App](ctx, (*service)(s), "/api/apps/{id}", strconv.Itoa(id))
}

// AddOrUpdate adds an app, or updates the app with the same PackageID, Platform and Store,
// and returns its id. a is checked first (AppInput.Check).
//
// Source: DuoSTATION MDM REST API v4.8.46, "Add or update app".
//
// Endpoint: POST /api/apps
//
//roster:endpoint POST /api/apps
func (s *AppsService) AddOrUpdate(ctx context.Context, a AppInput) (int, error) {
	if err := a.Check(); err != nil {
		return 0, err
	}
	return (*service)(s).create(ctx, call{method: http.MethodPost, tmpl: "/api/apps", body: a})
}
