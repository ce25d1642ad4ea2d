package relativity

import (
	"encoding/json"
	"strconv"
)

// Types shared by several services: references to other objects, the Meta and Actions blocks
// of a reply, and the enumerations of the User Manager (REST) page.

// ArtifactRef points at an object by its Artifact ID, as requests do: {"ArtifactID": 663}.
type ArtifactRef struct {
	ArtifactID int `json:"ArtifactID"`
}

// Ref is an object as replies name it: {"Name", "ArtifactID", "Guids"}.
type Ref struct {
	Name       string   `json:"Name"`
	ArtifactID int      `json:"ArtifactID"`
	Guids      []string `json:"Guids"`
}

// SecuredRef is a reference a request sends: {"Secured": false, "Value": {"ArtifactID": n}}.
// The vendor's samples and clients always send Secured false.
type SecuredRef struct {
	Secured bool        `json:"Secured"`
	Value   ArtifactRef `json:"Value"`
}

// SecuredObject is a reference as replies show it. Secured is true when the caller may not
// see the object; Value is then empty.
type SecuredObject struct {
	Secured bool `json:"Secured"`
	Value   Ref  `json:"Value"`
}

// Meta lists the fields of an object that the server does not support or will not change
// ("ReadOnly": ["Client", "Email Address"]). Replies carry it when asked (IncludeMetadata).
type Meta struct {
	Unsupported []string `json:"Unsupported"`
	ReadOnly    []string `json:"ReadOnly"`
}

// Action is an operation the caller may perform on an object, with the REST path it uses.
// Replies carry them when asked (IncludeActions).
type Action struct {
	Name        string   `json:"Name"`
	Href        string   `json:"Href"`
	Verb        string   `json:"Verb"`
	IsAvailable bool     `json:"IsAvailable"`
	Reason      []string `json:"Reason"`
}

// GetOptions selects the extra blocks of a read. The zero value sends no query parameters,
// as Relativity's own client does.
type GetOptions struct {
	// IncludeMetadata asks for Meta (the fields that cannot be changed).
	IncludeMetadata bool `url:"includeMetadata,omitempty"`
	// IncludeActions asks for Actions (what the caller may do with the object).
	IncludeActions bool `url:"includeActions,omitempty"`
}

// DocumentViewer is the viewer a user opens documents in.
type DocumentViewer string

// The document viewers of the User Manager (.NET) page. The empty value is sent as Default:
// it is the enumeration's zero value, the one a .NET client sends when nothing is set.
const (
	DocumentViewerDefault          DocumentViewer = "Default"
	DocumentViewerHTML             DocumentViewer = "HTML"
	DocumentViewerActiveX          DocumentViewer = "ActiveX"
	DocumentViewerRelativityReview DocumentViewer = "RelativityReview"
)

// FileType is the document view a user sees first (DefaultSelectedFileType).
type FileType string

// The file types of the User Manager (.NET) page; the empty value is sent as Default.
const (
	FileTypeDefault    FileType = "Default"
	FileTypeViewer     FileType = "Viewer"
	FileTypeImage      FileType = "Image"
	FileTypeLongText   FileType = "LongText"
	FileTypeNative     FileType = "Native"
	FileTypeProduction FileType = "Production"
)

// EmailPreference says which emails a user gets.
type EmailPreference string

// The email preferences of the User Manager (.NET) page; the empty value is sent as Default.
const (
	EmailPreferenceDefault   EmailPreference = "Default"
	EmailPreferenceAll       EmailPreference = "All"
	EmailPreferenceErrorOnly EmailPreference = "ErrorOnly"
	EmailPreferenceNone      EmailPreference = "None"
)

// The numbers behind the names, for replies that send an enumeration as its number
// (PSRelativityAPI's RelativityIdentityV1UserModelsEnums.ps1 lists them).
var (
	viewerNames   = []string{"Default", "HTML", "ActiveX", "RelativityReview"}
	fileTypeNames = []string{"Default", "Viewer", "Image", "LongText", "Native", "Production"}
	emailNames    = []string{"Default", "All", "ErrorOnly", "None"}
)

func knownName(names []string, v string) bool {
	if v == "" {
		return true
	}
	for _, n := range names {
		if n == v {
			return true
		}
	}
	return false
}

func orDefault(v string) string {
	if v == "" {
		return "Default"
	}
	return v
}

// enumFromJSON reads an enumeration as its name or its number.
func enumFromJSON(data []byte, names []string) string {
	var s string
	if json.Unmarshal(data, &s) == nil {
		return s
	}
	var n int
	if json.Unmarshal(data, &n) == nil && n >= 0 && n < len(names) {
		return names[n]
	}
	if string(data) == "null" {
		return ""
	}
	return string(data)
}

// MarshalText writes the viewer; empty is Default.
func (v DocumentViewer) MarshalText() ([]byte, error) { return []byte(orDefault(string(v))), nil }

// UnmarshalJSON reads the viewer as a name or a number.
func (v *DocumentViewer) UnmarshalJSON(data []byte) error {
	*v = DocumentViewer(enumFromJSON(data, viewerNames))
	return nil
}

// MarshalText writes the file type; empty is Default.
func (v FileType) MarshalText() ([]byte, error) { return []byte(orDefault(string(v))), nil }

// UnmarshalJSON reads the file type as a name or a number.
func (v *FileType) UnmarshalJSON(data []byte) error {
	*v = FileType(enumFromJSON(data, fileTypeNames))
	return nil
}

// MarshalText writes the preference; empty is Default.
func (v EmailPreference) MarshalText() ([]byte, error) {
	return []byte(orDefault(string(v))), nil
}

// UnmarshalJSON reads the preference as a name or a number.
func (v *EmailPreference) UnmarshalJSON(data []byte) error {
	*v = EmailPreference(enumFromJSON(data, emailNames))
	return nil
}

// GroupType is a group's type as the server writes it, a name ("SystemGroup") or a number; it
// holds the text either way.
type GroupType string

// UnmarshalJSON reads a string, or any other JSON value as its text.
func (k *GroupType) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		*k = GroupType(s)
		return nil
	}
	if string(data) == "null" {
		*k = ""
		return nil
	}
	if n, err := strconv.ParseInt(string(data), 10, 64); err == nil {
		*k = GroupType(strconv.FormatInt(n, 10))
		return nil
	}
	*k = GroupType(data)
	return nil
}

// Sort orders query results by a field.
type Sort struct {
	FieldIdentifier FieldIdentifier `json:"FieldIdentifier"`
	// Direction is Ascending or Descending; empty is sent as Ascending.
	Direction Direction `json:"Direction"`
}

// FieldIdentifier names a field of a sort or a field list.
type FieldIdentifier struct {
	Name string `json:"Name"`
}

// Direction is a sort direction, sent as its name as the doc's samples do.
type Direction string

// Sort directions.
const (
	Ascending  Direction = "Ascending"
	Descending Direction = "Descending"
)

// MarshalText writes the direction; empty is Ascending.
func (d Direction) MarshalText() ([]byte, error) {
	if d == "" {
		return []byte(Ascending), nil
	}
	return []byte(d), nil
}

// SortBy returns a sort on field in direction dir.
func SortBy(field string, dir Direction) Sort {
	return Sort{FieldIdentifier: FieldIdentifier{Name: field}, Direction: dir}
}

func checkSorts(field string, sorts []Sort) error {
	for i, s := range sorts {
		if s.FieldIdentifier.Name == "" {
			return vendor.Invalid(field+"["+strconv.Itoa(i)+"]", "no field name")
		}
		if s.Direction != "" && s.Direction != Ascending && s.Direction != Descending {
			return vendor.Invalid(field+"["+strconv.Itoa(i)+"]", "direction %q is neither Ascending nor Descending", s.Direction)
		}
	}
	return nil
}

// checkPage refuses a Start or Length the server could not answer.
func checkPage(start, length int) error {
	if start < 0 {
		return vendor.Invalid("Start", "negative (%d); the first result is 0", start)
	}
	if length <= 0 {
		return vendor.Invalid("Length", "must be at least 1, got %d", length)
	}
	return nil
}
