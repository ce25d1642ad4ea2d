package relutiontest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
)

// state is everything the server knows; guarded by Server.mu.
type state struct {
	seq uint64 // UUIDs handed out so far

	orgs map[string]string // upper-case UUID → name

	users      map[string]*User  // by upper-case UUID
	userByName map[string]string // lower-case login name → UUID

	groups      []*groupRec // in creation order
	groupByUUID map[string]*groupRec

	devices deviceStore
	actions map[string][]*DeviceAction // by device UUID
	inv     map[string][]InstalledApp  // by device UUID

	apps      []*App
	appByUUID map[string]*App

	files   map[string]*csvFile
	jobs    map[string]*ImportJob
	jobList []*ImportJob // in start order
	uploads map[string]*upload
}

type groupRec struct {
	Group
	members []memberRef
}

type memberRef struct {
	uuid, typ string // typ: USER or GROUP
}

func upper(s string) string { return strings.ToUpper(s) }

// Fixed UUIDs of the seed, so that examples print stable output.
const (
	// AdminUUID is the seeded user "admin" (Ada Admin), member of "Administrators".
	AdminUUID = "0199A000-0000-7000-8000-000000000001"
	// MaxUUID is the seeded user "max" (Max Mustermann), member of "Sales"
	// and "Organame Device User".
	MaxUUID = "0199A000-0000-7000-8000-000000000002"
	// EvaUUID is the seeded user "eva" (Eva Musterfrau), member of "Sales
	// Berlin" and "Organame Device User"; she has custom properties.
	EvaUUID = "0199A000-0000-7000-8000-000000000003"

	// DeviceUserGroupUUID is the role group "Organame Device User", the
	// vendor script's default import role.
	DeviceUserGroupUUID = "0199A100-0000-7000-8000-000000000001"
	// SalesGroupUUID is "Sales": Max and the nested group "Sales Berlin".
	SalesGroupUUID = "0199A100-0000-7000-8000-000000000002"
	// SalesBerlinGroupUUID is "Sales Berlin", nested in "Sales": Eva.
	SalesBerlinGroupUUID = "0199A100-0000-7000-8000-000000000003"
	// AdministratorsGroupUUID is "Administrators": admin.
	AdministratorsGroupUUID = "0199A100-0000-7000-8000-000000000004"

	// PixelUUID is "Pixel 8": ANDROID_ENTERPRISE, COMPLIANT, admin's; it
	// has installed apps and two actions.
	PixelUUID = "0199A200-0000-7000-8000-000000000001"
	// IPhoneUUID is "iPhone 15": IOS, COMPLIANT, Max's.
	IPhoneUUID = "0199A200-0000-7000-8000-000000000002"
	// GalaxyTabUUID is "Galaxy Tab S9": ANDROID, INACTIVE, Eva's.
	GalaxyTabUUID = "0199A200-0000-7000-8000-000000000003"
	// IPadUUID is "iPad Air": IOS, NONCOMPLIANT, admin's.
	IPadUUID = "0199A200-0000-7000-8000-000000000004"
	// SurfaceUUID is "Surface Pro": WINDOWS, COMPLIANT, Max's; 7-Zip installed.
	SurfaceUUID = "0199A200-0000-7000-8000-000000000005"
	// MotoUUID is "Moto G": ANDROID, COMPLIANT, without a user.
	MotoUUID = "0199A200-0000-7000-8000-000000000006"

	// SlackAppUUID is the app "Slack", the one with an icon.
	SlackAppUUID = "0199A300-0000-7000-8000-000000000001"
	// SlackReleaseUUID is Slack's RELEASE version 24.01.10.
	SlackReleaseUUID = "0199A300-0000-7000-8000-000000000011"
	// SlackDevelopmentUUID is Slack's DEVELOPMENT version 24.02.01.
	SlackDevelopmentUUID = "0199A300-0000-7000-8000-000000000012"
	// PortalAppUUID is the app "Company Portal", which has no icon.
	PortalAppUUID = "0199A300-0000-7000-8000-000000000002"
	// PortalReleaseUUID is Company Portal's RELEASE version 3.2.0.
	PortalReleaseUUID = "0199A300-0000-7000-8000-000000000021"
	// SevenZipAppUUID is the WINGET app "7-Zip".
	SevenZipAppUUID = "0199A300-0000-7000-8000-000000000003"
	// SevenZipReleaseUUID is 7-Zip's RELEASE version 24.08.
	SevenZipReleaseUUID = "0199A300-0000-7000-8000-000000000031"

	// ExecutedActionUUID is the Pixel's EXECUTED Slack deployment.
	ExecutedActionUUID = "0199A400-0000-7000-8000-000000000001"
	// PendingActionUUID is the Pixel's PENDING Company Portal deployment.
	PendingActionUUID = "0199A400-0000-7000-8000-000000000002"
)

// seedTime is the seed's clock: 2026-01-15 09:00:00 UTC in epoch ms.
const seedTime int64 = 1768467600000

func newState(cfg config) *state {
	st := &state{
		orgs:        map[string]string{OrgUUID: OrgName},
		users:       map[string]*User{},
		userByName:  map[string]string{},
		groupByUUID: map[string]*groupRec{},
		actions:     map[string][]*DeviceAction{},
		inv:         map[string][]InstalledApp{},
		appByUUID:   map[string]*App{},
		files:       map[string]*csvFile{},
		jobs:        map[string]*ImportJob{},
		uploads:     map[string]*upload{},
	}
	seedUser := func(uuid, name, given, sur, email string, day int64) {
		st.putUser(&User{
			UUID: uuid, Name: name, OrganizationUUID: OrgUUID, Activated: true,
			Email: email, GivenName: given, Surname: sur, Country: "Germany",
			Version: 1, CreatedDate: seedTime + day*86400000, ModifiedDate: seedTime + day*86400000,
		})
	}
	seedUser(AdminUUID, "admin", "Ada", "Admin", "admin@organame.example", 0)
	seedUser(MaxUUID, "max", "Max", "Mustermann", "max@organame.example", 1)
	seedUser(EvaUUID, "eva", "Eva", "Musterfrau", "eva@organame.example", 2)
	st.users[MaxUUID].Phone = "+4912345678"
	st.users[MaxUUID].Position = "Sales"
	st.users[EvaUUID].Position = "Sales Berlin"
	st.users[EvaUUID].CustomProperties = map[string]string{"custom1": "42", "custom2": "Berlin"}

	seedGroup := func(uuid, name, desc string, members ...memberRef) {
		g := &groupRec{Group: Group{UUID: uuid, Name: name, Description: desc, OrganizationUUID: OrgUUID, Type: "GROUP"}, members: members}
		st.groups = append(st.groups, g)
		st.groupByUUID[uuid] = g
	}
	seedGroup(DeviceUserGroupUUID, "Organame Device User", "Role of users who enroll devices",
		memberRef{MaxUUID, "USER"}, memberRef{EvaUUID, "USER"})
	seedGroup(SalesGroupUUID, "Sales", "Sales department",
		memberRef{MaxUUID, "USER"}, memberRef{SalesBerlinGroupUUID, "GROUP"})
	seedGroup(SalesBerlinGroupUUID, "Sales Berlin", "Sales office Berlin", memberRef{EvaUUID, "USER"})
	seedGroup(AdministratorsGroupUUID, "Administrators", "Organization administrators", memberRef{AdminUUID, "USER"})

	for _, u := range cfg.users {
		u := u
		if u.UUID == "" {
			u.UUID = st.newUUID()
		}
		u.UUID = upper(u.UUID)
		if u.OrganizationUUID == "" {
			u.OrganizationUUID = OrgUUID
		}
		if u.Version == 0 {
			u.Version = 1
		}
		if u.CreatedDate == 0 {
			u.CreatedDate = seedTime
		}
		if u.ModifiedDate == 0 {
			u.ModifiedDate = u.CreatedDate
		}
		st.putUser(&u)
	}

	// The devices of the vendor's device query example (script 6): its
	// filter on ANDROID, ANDROID_ENTERPRISE, IOS and COMPLIANT matches the
	// Pixel, the iPhone and the Moto, newest connection first.
	hour := int64(3600000)
	st.devices.seed = []Device{
		{UUID: PixelUUID, Name: "Pixel 8", Status: "COMPLIANT", Platform: "ANDROID_ENTERPRISE", UserUUID: AdminUUID, DeviceID: "PX8-0001", SerialNumber: "35A1PX80001", LastConnectionDate: seedTime - 1*hour, Ownership: "CORPORATE", PolicyStatus: "APPLIED"},
		{UUID: IPhoneUUID, Name: "iPhone 15", Status: "COMPLIANT", Platform: "IOS", UserUUID: MaxUUID, DeviceID: "IP15-0002", SerialNumber: "F2LIP150002", LastConnectionDate: seedTime - 2*hour, Ownership: "CORPORATE", PolicyStatus: "APPLIED"},
		{UUID: GalaxyTabUUID, Name: "Galaxy Tab S9", Status: "INACTIVE", Platform: "ANDROID", UserUUID: EvaUUID, DeviceID: "GT9-0003", SerialNumber: "R52GT90003", LastConnectionDate: seedTime - 30*24*hour, Ownership: "PERSONAL", PolicyStatus: "NONE"},
		{UUID: IPadUUID, Name: "iPad Air", Status: "NONCOMPLIANT", Platform: "IOS", UserUUID: AdminUUID, DeviceID: "IPA-0004", SerialNumber: "DMPIPA0004", LastConnectionDate: seedTime - 3*hour, Ownership: "CORPORATE", PolicyStatus: "UPDATE"},
		{UUID: SurfaceUUID, Name: "Surface Pro", Status: "COMPLIANT", Platform: "WINDOWS", UserUUID: MaxUUID, DeviceID: "SFP-0005", SerialNumber: "0F3SFP0005", LastConnectionDate: seedTime - 4*hour, Ownership: "CORPORATE", PolicyStatus: "APPLIED"},
		{UUID: MotoUUID, Name: "Moto G", Status: "COMPLIANT", Platform: "ANDROID", DeviceID: "MTG-0006", SerialNumber: "ZY2MTG0006", LastConnectionDate: seedTime - 5*hour, Ownership: "CORPORATE", PolicyStatus: "APPLIED"},
	}
	for i := range st.devices.seed {
		st.devices.seed[i].OrganizationUUID = OrgUUID
	}
	st.devices.synth = cfg.devices
	st.devices.index()

	st.addApp(&App{
		UUID: SlackAppUUID, OrganizationUUID: OrgUUID, Type: "NATIVE", SubType: "PLAY_STORE",
		Name: "Slack", DefaultName: "Slack", InternalName: "com.Slack",
		Description: "Team chat", Platforms: []string{"ANDROID_ENTERPRISE", "IOS"}, Categories: []string{"Communication"},
		Versions: []AppVersion{
			{UUID: SlackReleaseUUID, AppUUID: SlackAppUUID, ReleaseStatus: "RELEASE", VersionName: "24.01.10", VersionCode: 240110},
			{UUID: SlackDevelopmentUUID, AppUUID: SlackAppUUID, ReleaseStatus: "DEVELOPMENT", VersionName: "24.02.01", VersionCode: 240201},
		},
		Icon: iconPNG(),
		Permissions: []Permission{
			{Read: true, UserGroupInfo: UserGroupInfo{UUID: DeviceUserGroupUUID, Type: "GROUP"}},
			{Read: true, UserGroupInfo: UserGroupInfo{UUID: AdminUUID, Type: "USER"}},
		},
	})
	st.addApp(&App{
		UUID: PortalAppUUID, OrganizationUUID: OrgUUID, Type: "NATIVE", SubType: "ENTERPRISE",
		Name: "Company Portal", DefaultName: "Company Portal", InternalName: "com.organame.portal",
		Description: "In-house portal", Platforms: []string{"ANDROID", "IOS"}, Categories: []string{"Business"},
		Versions: []AppVersion{
			{UUID: PortalReleaseUUID, AppUUID: PortalAppUUID, ReleaseStatus: "RELEASE", VersionName: "3.2.0", VersionCode: 320},
		},
	})
	st.addApp(&App{
		UUID: SevenZipAppUUID, OrganizationUUID: OrgUUID, Type: "NATIVE", SubType: "WINGET",
		Name: "7-Zip", DefaultName: "7-Zip", InternalName: "7zip.7zip",
		Description: "File archiver", Platforms: []string{"WINDOWS"}, Categories: []string{"Utilities"},
		Versions: []AppVersion{
			{UUID: SevenZipReleaseUUID, AppUUID: SevenZipAppUUID, ReleaseStatus: "RELEASE", VersionName: "24.08", VersionCode: 2408},
		},
	})

	st.inv[PixelUUID] = []InstalledApp{
		{Identifier: "com.Slack", Name: "Slack", AppUUID: SlackAppUUID, VersionUUID: SlackReleaseUUID, VersionToShow: "24.01.10", VersionName: "24.01.10", AppSubType: "PLAY_STORE", ApplicationSource: "INSTALLED_BY_COMPANION", IconURL: "/api/management/v1/content/apps/" + SlackAppUUID + "/icon"},
		{Identifier: "com.organame.portal", Name: "Company Portal", AppUUID: PortalAppUUID, VersionUUID: PortalReleaseUUID, VersionToShow: "3.1.0", VersionName: "3.1.0", HasUpdateAvailable: true, AppSubType: "ENTERPRISE", ApplicationSource: "INSTALLED_BY_COMPANION"},
		{Identifier: "com.android.chrome", Name: "Chrome", VersionToShow: "120.0", VersionName: "120.0"},
	}
	st.inv[SurfaceUUID] = []InstalledApp{
		{Identifier: "7zip.7zip", Name: "7-Zip", AppUUID: SevenZipAppUUID, VersionUUID: SevenZipReleaseUUID, VersionToShow: "24.08", VersionName: "24.08", AppSubType: "WINGET", ApplicationSource: "INSTALLED_BY_WINGET"},
	}
	st.actions[PixelUUID] = []*DeviceAction{
		{UUID: ExecutedActionUUID, DeviceUUID: PixelUUID, State: "EXECUTED", Type: "DEPLOY_CLASSIC_APP", CreationDate: seedTime - 48*hour,
			Details: ActionDetails{AppUUID: SlackAppUUID, VersionUUID: SlackReleaseUUID, AppInternalName: "com.Slack"}},
		{UUID: PendingActionUUID, DeviceUUID: PixelUUID, State: "PENDING", Type: "DEPLOY_CLASSIC_APP", CreationDate: seedTime - 1*hour,
			Details: ActionDetails{AppUUID: PortalAppUUID, VersionUUID: PortalReleaseUUID, AppInternalName: "com.organame.portal"}},
	}
	return st
}

func (st *state) putUser(u *User) {
	if old, ok := st.users[u.UUID]; ok {
		delete(st.userByName, strings.ToLower(old.Name))
	}
	st.users[u.UUID] = u
	st.userByName[strings.ToLower(u.Name)] = u.UUID
}

func (st *state) addApp(a *App) {
	st.apps = append(st.apps, a)
	st.appByUUID[a.UUID] = a
}

// iconPNG draws the seeded app icon: a 2×2 PNG, built rather than embedded
// so that the bytes are known to decode.
func iconPNG() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	for i, c := range []color.NRGBA{{0x4A, 0x15, 0x4B, 0xFF}, {0x36, 0xC5, 0xF0, 0xFF}, {0x2E, 0xB6, 0x7D, 0xFF}, {0xEC, 0xB2, 0x2E, 0xFF}} {
		img.Set(i%2, i/2, c)
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // writing to memory cannot fail
	return buf.Bytes()
}

// deviceStore holds the seeded and added devices and describes the
// synthetic ones, which are computed from their index. Natural order:
// seeded, synthetic, added.
type deviceStore struct {
	seed   []Device
	synth  int
	added  []Device
	byUUID map[string]int // seeded and added: index in natural order
	gen    uint64         // bumped on every change, to expire cached queries
	cache  []deviceCacheEntry
}

type deviceCacheEntry struct {
	key  string
	gen  uint64
	refs []int32
}

func (d *deviceStore) len() int { return len(d.seed) + d.synth + len(d.added) }

func (d *deviceStore) index() {
	d.byUUID = make(map[string]int, len(d.seed)+len(d.added))
	for i := range d.seed {
		d.byUUID[d.seed[i].UUID] = i
	}
	for i := range d.added {
		d.byUUID[d.added[i].UUID] = len(d.seed) + d.synth + i
	}
}

// explicit returns the stored device at natural index i, or nil for a
// synthetic one.
func (d *deviceStore) explicit(i int) *Device {
	if i < len(d.seed) {
		return &d.seed[i]
	}
	if j := i - len(d.seed) - d.synth; j >= 0 {
		return &d.added[j]
	}
	return nil
}

func (d *deviceStore) at(i int) Device {
	if e := d.explicit(i); e != nil {
		return *e
	}
	k := i - len(d.seed)
	return Device{
		UUID: synthUUID(k), Name: synthName(k), Status: synthStatus(k), Platform: synthPlatform(k),
		UserUUID: synthUser(k), OrganizationUUID: OrgUUID, DeviceID: "SYN-" + pad(k, 8), SerialNumber: "SN" + pad(k, 8),
		LastConnectionDate: synthLastConnection(k), Ownership: synthOwnership(k), PolicyStatus: synthPolicy(k),
	}
}

// find returns the natural index of the device with the given UUID.
func (d *deviceStore) find(id string) (int, bool) {
	id = upper(id)
	if i, ok := d.byUUID[id]; ok {
		return i, true
	}
	if rest, ok := strings.CutPrefix(id, synthPrefix); ok && len(rest) == 12 {
		k, err := strconv.ParseUint(rest, 16, 64)
		if err == nil && k < uint64(d.synth) && synthUUID(int(k)) == id {
			return len(d.seed) + int(k), true
		}
	}
	return 0, false
}

const synthPrefix = "5E1F0000-0000-4000-8000-"

var (
	synthPlatforms  = []string{"ANDROID", "ANDROID_ENTERPRISE", "IOS", "WINDOWS"}
	synthStatuses   = []string{"COMPLIANT", "INACTIVE", "NONCOMPLIANT"}
	synthOwnerships = []string{"CORPORATE", "PERSONAL"}
	synthPolicies   = []string{"APPLIED", "UPDATE", "NONE"}
	synthUsers      = []string{AdminUUID, MaxUUID, EvaUUID, ""}
)

func synthUUID(k int) string {
	h := strings.ToUpper(strconv.FormatUint(uint64(k), 16))
	return synthPrefix + strings.Repeat("0", 12-len(h)) + h
}
func synthName(k int) string     { return "Device " + pad(k, 6) }
func synthPlatform(k int) string { return synthPlatforms[k%4] }

// synthStatus cycles on a different period from the platform so that every
// platform has devices of every status.
func synthStatus(k int) string        { return synthStatuses[(k/4)%3] }
func synthOwnership(k int) string     { return synthOwnerships[(k/12)%2] }
func synthPolicy(k int) string        { return synthPolicies[k%3] }
func synthUser(k int) string          { return synthUsers[(k/3)%4] }
func synthLastConnection(k int) int64 { return seedTime - 6*3600000 - int64(k)*60000 }
func pad(k, width int) string {
	s := strconv.Itoa(k)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// devRef is a device by natural index, read field by field, so that
// filtering synthetic devices on enum fields allocates nothing.
type devRef struct {
	d *deviceStore
	i int32
}

func (r devRef) synth() (int, bool) {
	if r.d.explicit(int(r.i)) != nil {
		return 0, false
	}
	return int(r.i) - len(r.d.seed), true
}

func devStr(explicit func(*Device) string, synth func(int) string) func(devRef) string {
	return func(r devRef) string {
		if e := r.d.explicit(int(r.i)); e != nil {
			return explicit(e)
		}
		k, _ := r.synth()
		return synth(k)
	}
}

var deviceSchema = &schema[devRef]{
	fields: map[string]field[devRef]{
		"uuid":             strField(devStr(func(d *Device) string { return d.UUID }, synthUUID)),
		"name":             strField(devStr(func(d *Device) string { return d.Name }, synthName)),
		"status":           strField(devStr(func(d *Device) string { return d.Status }, synthStatus)),
		"platform":         strField(devStr(func(d *Device) string { return d.Platform }, synthPlatform)),
		"userUuid":         strField(devStr(func(d *Device) string { return d.UserUUID }, synthUser)),
		"organizationUuid": strField(devStr(func(d *Device) string { return d.OrganizationUUID }, func(int) string { return OrgUUID })),
		"deviceId":         strField(devStr(func(d *Device) string { return d.DeviceID }, func(k int) string { return "SYN-" + pad(k, 8) })),
		"serialNumber":     strField(devStr(func(d *Device) string { return d.SerialNumber }, func(k int) string { return "SN" + pad(k, 8) })),
		"ownership":        strField(devStr(func(d *Device) string { return d.Ownership }, synthOwnership)),
		"policyStatus":     strField(devStr(func(d *Device) string { return d.PolicyStatus }, synthPolicy)),
		"lastConnectionDate": dateField(func(r devRef) int64 {
			if e := r.d.explicit(int(r.i)); e != nil {
				return e.LastConnectionDate
			}
			k, _ := r.synth()
			return synthLastConnection(k)
		}),
	},
	search: []string{"name", "serialNumber", "deviceId"},
}
