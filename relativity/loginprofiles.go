package relativity

import (
	"context"
	"net/http"
)

// Paths of the Login Profile Manager, as the endpoint catalogue writes them: the spaces of
// the service name are percent-encoded, as the server needs them.
const (
	pathSaveLoginProfile = "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SaveLoginProfileAsync"
	pathSetPassword      = "/Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SetPasswordAsync"
)

// LoginProfilesService lets users log in with a password. Relativity-Identity has no
// password endpoint; these are the older Login Profile Manager's, called by Relativity's own
// REST test client (relativitydev/relativity.testing.framework.api,
// Strategies/Users/UserSetPasswordStrategy.cs).
type LoginProfilesService service

// PasswordOptions are the password login settings of a user's login profile.
type PasswordOptions struct {
	// MustResetPasswordOnNextLogin makes the user choose a new password at the next login.
	MustResetPasswordOnNextLogin bool
}

type saveProfileBody struct {
	Profile struct {
		UserID   int `json:"userId"`
		Password struct {
			IsEnabled                    bool `json:"IsEnabled"`
			MustResetPasswordOnNextLogin bool `json:"MustResetPasswordOnNextLogin"`
		} `json:"Password"`
	} `json:"Profile"`
}

// EnablePassword turns on password login for the user. Call it before SetPassword.
//
// Endpoint: POST /Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SaveLoginProfileAsync
//
//roster:endpoint POST /Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SaveLoginProfileAsync
func (s *LoginProfilesService) EnablePassword(ctx context.Context, userID int, opts PasswordOptions) error {
	if err := checkID("userID", userID); err != nil {
		return err
	}
	var b saveProfileBody
	b.Profile.UserID = userID
	b.Profile.Password.IsEnabled = true
	b.Profile.Password.MustResetPasswordOnNextLogin = opts.MustResetPasswordOnNextLogin
	return s.c.call(ctx, http.MethodPost, pathSaveLoginProfile, b, nil)
}

type setPasswordBody struct {
	UserID   int    `json:"UserId"`
	Password string `json:"Password"`
}

// SetPassword sets the user's password. The password never appears in errors or logs. A
// server that refuses a password it has seen before answers with an error whose Message
// says "Cannot reuse a previous password".
//
// Endpoint: POST /Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SetPasswordAsync
//
//roster:endpoint POST /Relativity.REST/api/Relativity.Services.Security.ISecurityModule/Login%20Profile%20Manager/SetPasswordAsync
func (s *LoginProfilesService) SetPassword(ctx context.Context, userID int, password string) error {
	if err := checkID("userID", userID); err != nil {
		return err
	}
	if err := vendor.CheckSecret("password", password); err != nil {
		return err
	}
	req, err := s.c.newRequest(ctx, http.MethodPost, pathSetPassword)
	if err != nil {
		return err
	}
	req.AddSecrets(password)
	if err := req.SetJSON(setPasswordBody{UserID: userID, Password: password}); err != nil {
		return err
	}
	return s.c.core.Do(req, nil)
}
