package duostationtest

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/rosterhq/roster/duostation"
	"github.com/rosterhq/roster/internal/fake"
)

func (s *Server) listApps(c *fake.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeObjects(c, sortedValues(s.st.apps))
}

func (s *Server) getApp(c *fake.Call) {
	getByID(s, c, "App", func(st *state) map[int]*duostation.App { return st.apps })
}

type appBody struct {
	Name          *string `json:"name"`
	Description   *string `json:"description"`
	Company       *string `json:"company"`
	PackageID     *string `json:"packageId"`
	VersionText   *string `json:"versionText"`
	VersionNumber *int    `json:"versionNumber"`
	Platform      *int    `json:"platform"`
	Size          *int64  `json:"size"`
	Store         *int    `json:"store"`
	StoreID       *string `json:"storeId"`
	// ImageData is base64 in JSON; encoding/json decodes it into bytes.
	ImageData []byte  `json:"imageData"`
	ImageURL  *string `json:"imageUrl"`
}

// check applies the rules of "Add or update app".
func (in *appBody) check() string {
	switch {
	case blank(in.Name), blank(in.Company), blank(in.PackageID), blank(in.VersionText), blank(in.StoreID):
		return "The name, company, packageId, versionText and storeId are required."
	case in.Platform == nil || *in.Platform < 0 || *in.Platform > 3:
		return "The platform must be 0 (iOS), 1 (Android), 2 (macOS) or 3 (tvOS)."
	case in.Store == nil || *in.Store < 0 || *in.Store > 2:
		return "The store must be 0 (Appstore), 1 (Play) or 2 (In house)."
	case in.Size == nil || *in.Size <= 0:
		return "The size is required."
	case in.VersionNumber != nil && *in.VersionNumber < 0:
		return "The versionNumber cannot be negative."
	case in.ImageData != nil && in.ImageURL != nil:
		return "The imageData and imageUrl cannot be combined."
	case in.ImageData == nil && in.ImageURL == nil:
		return "The imageData or the imageUrl is required."
	case in.ImageData != nil && !bytes.HasPrefix(in.ImageData, []byte("\x89PNG\r\n\x1a\n")):
		return "The imageData is not a PNG image."
	case in.ImageURL != nil && !isURL(*in.ImageURL):
		return "The imageUrl is not a URL."
	}
	switch *in.Store {
	case 0:
		if strings.Trim(*in.StoreID, "0123456789") != "" {
			return "For the Appstore, the storeId must be the Appstore id."
		}
	case 1:
		if *in.StoreID != *in.PackageID {
			return "For Play, the storeId must be the packageId."
		}
	case 2:
		if *in.Platform == 2 && !isPackageURL(*in.StoreID) {
			return "For an in-house macOS app, the storeId must be the URL of a .pkg or .zip file."
		}
	}
	return ""
}

// isPackageURL reports whether s is an http(s) URL whose path names a .pkg or .zip file.
func isPackageURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || !isURL(s) {
		return false
	}
	p := strings.ToLower(u.Path)
	return strings.HasSuffix(p, ".pkg") || strings.HasSuffix(p, ".zip")
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// addOrUpdateApp matches an app by packageId, platform and store, as the document says.
func (s *Server) addOrUpdateApp(c *fake.Call) {
	var in appBody
	if !decode(c, &in) {
		return
	}
	if msg := in.check(); msg != "" {
		badRequest(c, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var a *duostation.App
	for _, old := range s.st.apps {
		if old.PackageID == *in.PackageID && int(old.Platform) == *in.Platform && int(old.Store) == *in.Store {
			a = old
		}
	}
	if a == nil {
		a = &duostation.App{ID: s.st.newID("apps")}
		s.st.apps[a.ID] = a
	}
	*a = duostation.App{
		ID: a.ID, Name: *in.Name, Company: *in.Company, PackageID: *in.PackageID,
		VersionText: *in.VersionText, Platform: duostation.Platform(*in.Platform), Size: *in.Size,
		Store: duostation.Store(*in.Store), StoreID: *in.StoreID,
	}
	set(&a.Description, in.Description)
	set(&a.ImageURL, in.ImageURL)
	if in.VersionNumber != nil {
		a.VersionNumber = *in.VersionNumber
	}
	s.writeID(c, a.ID)
}
