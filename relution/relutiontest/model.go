package relutiontest

// The types below are the fake's own copy of the wire contract. They do not
// come from package relution on purpose: the fake is an independent check of
// the client, so a field the client spells wrong fails a test instead of
// being shared silently.

// User is a Relution user as GET /api/v1/security/users/{uuid} returns it.
type User struct {
	UUID             string `json:"uuid"`
	Name             string `json:"name"` // the login name (the CSV's "name" column)
	OrganizationUUID string `json:"organizationUuid"`
	Activated        bool   `json:"activated"`
	Locked           bool   `json:"locked"`
	Email            string `json:"email"`
	GivenName        string `json:"givenName"`
	Surname          string `json:"surname"` // the CSV column is "surName"
	Phone            string `json:"phone"`
	Position         string `json:"position"`
	Country          string `json:"country"`
	ManagedAppleID   string `json:"managedAppleId"`
	Version          int64  `json:"version"`      // 1 when created, one more per change
	CreatedDate      int64  `json:"createdDate"`  // epoch milliseconds
	ModifiedDate     int64  `json:"modifiedDate"` // epoch milliseconds
	// CustomProperties holds the CSV's custom1..custom15 columns. The wire
	// contract does not show them on the user object, so they are not
	// serialised; queries can still filter on them as the stringMap field
	// "customProperties".
	CustomProperties map[string]string `json:"-"`
}

// Group is a user group (roles are groups too, such as "Organame Device User").
type Group struct {
	UUID             string `json:"uuid"`
	Name             string `json:"name"`
	Description      string `json:"description"`
	OrganizationUUID string `json:"organizationUuid"`
	Type             string `json:"type"` // always "GROUP"
}

// Member is one entry of a group's member list.
type Member struct {
	UUID string `json:"uuid"`
	Type string `json:"type"` // "USER" or "GROUP"
	Name string `json:"name"`
}

// GroupRef is a group as a user's group list shows it.
type GroupRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// Device is a managed device as the device query returns it.
type Device struct {
	UUID               string `json:"uuid"`
	Name               string `json:"name"`
	Status             string `json:"status"`             // COMPLIANT, NONCOMPLIANT, INACTIVE
	Platform           string `json:"platform"`           // ANDROID, ANDROID_ENTERPRISE, IOS, WINDOWS
	UserUUID           string `json:"userUuid,omitempty"` // empty when the device has no user
	OrganizationUUID   string `json:"organizationUuid"`
	DeviceID           string `json:"deviceId"`
	SerialNumber       string `json:"serialNumber"`
	LastConnectionDate int64  `json:"lastConnectionDate"` // epoch milliseconds; 0 means never
	Ownership          string `json:"ownership"`          // CORPORATE, PERSONAL
	PolicyStatus       string `json:"policyStatus"`       // APPLIED, UPDATE, NONE
}

// InstalledApp is one app in a device's inventory.
type InstalledApp struct {
	Identifier         string `json:"identifier"` // package or bundle id
	Name               string `json:"name"`
	AppUUID            string `json:"appUuid,omitempty"` // empty for apps Relution does not manage
	VersionUUID        string `json:"versionUuid,omitempty"`
	VersionToShow      string `json:"versionToShow"`
	VersionName        string `json:"versionName"`
	HasUpdateAvailable bool   `json:"hasUpdateAvailable"`
	AppSubType         string `json:"appSubType"`
	ApplicationSource  string `json:"applicationSource"`
	IconURL            string `json:"iconUrl"`
}

// DeviceAction is a command queued for a device, such as an app deployment.
type DeviceAction struct {
	UUID         string        `json:"uuid"`
	DeviceUUID   string        `json:"deviceUuid"`
	State        string        `json:"state"` // PENDING, EXECUTED, ERROR, ...
	Type         string        `json:"type"`  // DEPLOY_CLASSIC_APP, ...
	CreationDate int64         `json:"creationDate"`
	ErrorCode    int64         `json:"errorCode"`
	Details      ActionDetails `json:"details"`
}

// ActionDetails says what an app action is about.
type ActionDetails struct {
	AppUUID         string `json:"appUuid,omitempty"`
	VersionUUID     string `json:"versionUuid,omitempty"`
	AppInternalName string `json:"appInternalName"`
}

// App is an app of the organization's store, with all its versions. Its
// JSON tags name the baseInfo fields; the server writes versions, icon and
// permissions in their own shapes, so those fields are not serialised.
type App struct {
	UUID             string       `json:"uuid"`
	OrganizationUUID string       `json:"organizationUuid"`
	Type             string       `json:"type"`    // NATIVE
	SubType          string       `json:"subType"` // WINGET, WINDOWS_MSI, ...
	Name             string       `json:"name"`
	DefaultName      string       `json:"defaultName"`
	InternalName     string       `json:"internalName"` // bundle or package id
	Description      string       `json:"description"`
	Platforms        []string     `json:"platforms"`
	Categories       []string     `json:"categories"`
	Versions         []AppVersion `json:"-"`
	// Icon is the PNG the icon endpoint serves; nil means the app has none.
	Icon []byte `json:"-"`
	// Permissions is what GET .../permissions/RELEASE answers.
	Permissions []Permission `json:"-"`
}

// AppVersion is one version of an app.
type AppVersion struct {
	UUID          string `json:"uuid"`
	AppUUID       string `json:"appUuid"`
	ReleaseStatus string `json:"releaseStatus"` // DEVELOPMENT, REVIEW, RELEASE
	VersionName   string `json:"versionName"`
	VersionCode   int64  `json:"versionCode"`
}

// Permission grants a user or group access to an app's released version.
type Permission struct {
	Read          bool          `json:"read"`
	UserGroupInfo UserGroupInfo `json:"userGroupInfo"`
}

// UserGroupInfo names the subject of a Permission.
type UserGroupInfo struct {
	UUID string `json:"uuid"`
	Type string `json:"type"` // USER or GROUP
}

// ImportJob is the state of a CSV user import, including what the client
// has not been shown yet.
type ImportJob struct {
	UUID     string
	FileUUID string
	// Status is what the next poll answers if it is not RUNNING any more;
	// Revealed says whether a poll has shown it yet.
	Status       string // FINISHED or FAILED
	Revealed     bool
	Polls        int // GET .../job/{uuid} calls so far
	SuccessCount int
	SkippedCount int
	FailureCount int
	Reports      []ImportReport
}

// ImportReport is the outcome of one line of an imported CSV file.
type ImportReport struct {
	Line    int    `json:"line"` // the header is line 1
	Status  string `json:"status"`
	Message string `json:"message"`
}
