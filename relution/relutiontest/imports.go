package relutiontest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rosterhq/roster/internal/fake"
)

// maxCSVFile bounds an uploaded users file; 64 MiB is about a million users.
const maxCSVFile = 64 << 20

// csvFile is an uploaded users file: the only copy the server keeps.
type csvFile struct {
	uuid, name string
	data       []byte
}

type fileInfoBody struct {
	UUID        string `json:"uuid"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

func (s *Server) uploadUsersCSV(c *call) {
	mr, err := c.r.MultipartReader()
	if err != nil {
		badRequest(c, "INVALID_REQUEST_BODY", "not a multipart body: "+err.Error())
		return
	}
	var file *csvFile
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			badRequest(c, "INVALID_REQUEST_BODY", "malformed multipart body: "+err.Error())
			return
		}
		if p.FormName() != "file" {
			badRequest(c, "INVALID_REQUEST_BODY", "unknown part "+strconv.Quote(p.FormName())+"; send one part named \"file\"")
			return
		}
		if file != nil {
			badRequest(c, "INVALID_REQUEST_BODY", "part \"file\" given twice")
			return
		}
		if p.FileName() == "" {
			badRequest(c, "INVALID_REQUEST_BODY", "part \"file\" has no file name")
			return
		}
		if media, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); media != "text/csv" {
			writeError(c.w, c.r, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
				"part \"file\" has content type "+strconv.Quote(p.Header.Get("Content-Type"))+"; send text/csv")
			return
		}
		data, err := io.ReadAll(io.LimitReader(p, maxCSVFile+1))
		if err != nil {
			badRequest(c, "INVALID_REQUEST_BODY", "cannot read part \"file\": "+err.Error())
			return
		}
		if len(data) > maxCSVFile {
			writeError(c.w, c.r, http.StatusRequestEntityTooLarge, "FILE_TOO_LARGE", "users file larger than 64 MiB")
			return
		}
		file = &csvFile{name: p.FileName(), data: data}
	}
	if file == nil {
		badRequest(c, "INVALID_REQUEST_BODY", "part \"file\" is missing")
		return
	}
	s.mu.Lock()
	file.uuid = s.st.newUUID()
	s.st.files[file.uuid] = file
	s.mu.Unlock()
	writeResults(c, http.StatusOK, []fileInfoBody{{UUID: file.uuid, Name: file.name, ContentType: "text/csv", Size: int64(len(file.data))}}, nil)
}

// jobBody is an import job as the start call and the status poll show it.
type jobBody struct {
	UUID         string `json:"uuid"`
	Status       string `json:"status"`
	SuccessCount int    `json:"successCount"`
	SkippedCount int    `json:"skippedCount"`
	FailureCount int    `json:"failureCount"`
}

func (s *Server) startImport(c *call) {
	q := c.r.URL.Query()
	overwrite, role, sepName := q.Get("overwrite"), q.Get("role"), q.Get("csvSeparator")
	if overwrite != "true" && overwrite != "false" {
		badRequest(c, "INVALID_PARAMETER", "overwrite must be true or false, not "+strconv.Quote(overwrite))
		return
	}
	sep := map[string]rune{"COMMA": ',', "SEMICOLON": ';'}[sepName]
	if sep == 0 {
		badRequest(c, "INVALID_PARAMETER", "csvSeparator must be COMMA or SEMICOLON, not "+strconv.Quote(sepName))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	file, ok := s.st.files[upper(c.v("fileUuid"))]
	if !ok {
		notFound(c, "FILE_NOT_FOUND", "File "+c.v("fileUuid")+" not found")
		return
	}
	// Without a role the users get none: the vendor script always sends one, but nothing
	// says the server needs it.
	var roleGroup *groupRec
	for _, g := range s.st.groups {
		if role == "" {
			break
		}
		if c.inOrg(g.OrganizationUUID) && (strings.EqualFold(g.Name, role) || strings.EqualFold(g.UUID, role)) {
			roleGroup = g
			break
		}
	}
	if roleGroup == nil && role != "" {
		badRequest(c, "ROLE_NOT_FOUND", "Role "+strconv.Quote(role)+" not found")
		return
	}
	org := OrgUUID
	if c.org != "" {
		org = c.org
	}
	job := &ImportJob{UUID: s.st.newUUID(), FileUUID: file.uuid}
	if s.cfg.importFailure {
		job.Status = "FAILED"
		job.Reports = []ImportReport{{Line: 1, Status: "FAILED", Message: "Import job failed."}}
		job.FailureCount = 1
	} else {
		s.st.runImport(job, file.data, sep, overwrite == "true", roleGroup, org, s.now())
	}
	s.st.jobs[job.UUID] = job
	s.st.jobList = append(s.st.jobList, job)
	fake.WriteJSON(c.w, http.StatusOK, jobBody{UUID: job.UUID, Status: "RUNNING"})
}

// csvColumns are the header names the import knows; mandatory ones first.
var (
	mandatoryColumns = []string{"name", "email", "givenName", "surName", "password"}
	optionalColumns  = []string{"phone", "position", "country", "managedAppleId"}
)

// knownColumn says whether name is a column of the import, spelled exactly:
// the header is not trimmed or case-folded (see runImport).
func knownColumn(name string) bool {
	if contains(mandatoryColumns, name) || contains(optionalColumns, name) {
		return true
	}
	if n, ok := strings.CutPrefix(name, "custom"); ok {
		k, err := strconv.Atoi(n)
		return err == nil && k >= 1 && k <= 15 && strconv.Itoa(k) == n
	}
	return false
}

// utf8BOM is the byte order mark spreadsheet programs put before UTF-8 text.
var utf8BOM = []byte("\uFEFF")

// runImport does the whole import at once; polls only reveal it. Must be
// called with s.mu held.
//
// How the file is read must match the client's local check, CheckCSV in
// ../csv.go, which predicts what this import refuses; the rules are kept
// in small form on both sides. Where Relution's own behaviour is not
// documented, both assume the stricter reading, so that a file the check
// passes is not refused here:
//   - A UTF-8 byte order mark at the very start is dropped before parsing.
//   - The CSV dialect is RFC 4180 as encoding/csv reads it, without
//     LazyQuotes: a bare " in an unquoted field, or text after a closing
//     quote, makes the record unparsable, and that line FAILED. Java CSV
//     readers differ on `5" tall` (taken literally, refused, or read as the
//     start of a quoted field that swallows the next lines); a check that
//     assumed the lenient reading would pass files a strict server fails.
//   - Line ends are LF or CRLF; blank lines are skipped but still counted,
//     and a record's line is the line it starts on, even when a quoted
//     field spans several lines.
//   - The header is the first record. Its names count only when spelled
//     exactly as the doc spells them: " email" is an unknown column, not
//     "email". Unknown columns are ignored. A missing mandatory column, a
//     duplicate column or an unreadable header fails the whole job with one
//     report on the header's line (line 1 unless blank lines precede it):
//     CheckCSV's whole-file problems.
//   - A line fails when its field count differs from the header's, when a
//     field is not valid UTF-8, when a mandatory field is empty or only
//     spaces, or when the phone is not in international format
//     (phonePattern).
//
// One difference is left on purpose: the check gives up on a record longer
// than 1 MiB, to bound its memory, where this import reads on.
func (st *state) runImport(job *ImportJob, data []byte, sep rune, overwrite bool, role *groupRec, org string, now int64) {
	report := func(line int, status, msg string) {
		job.Reports = append(job.Reports, ImportReport{Line: line, Status: status, Message: msg})
		switch status {
		case "SUCCESS":
			job.SuccessCount++
		case "SKIPPED":
			job.SkippedCount++
		default:
			job.FailureCount++
		}
	}
	fail := func(line int, msg string) {
		job.Status = "FAILED"
		report(line, "FAILED", msg)
	}

	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	r.Comma = sep
	r.FieldsPerRecord = -1 // a wrong count is a per-line report, not the end
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		fail(1, "The file is empty: a header line is required.")
		return
	}
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		fail(perr.StartLine, "The header line cannot be parsed.")
		return
	}
	if err != nil {
		fail(1, "The header line cannot be parsed.")
		return
	}
	headerLine, _ := r.FieldPos(0)
	col := map[string]int{}
	for i, h := range header {
		if !knownColumn(h) {
			// No source says what Relution does with a column it does not
			// know; the fake ignores it, and CheckCSV warns about it.
			continue
		}
		if _, dup := col[h]; dup {
			fail(headerLine, "Duplicate column "+strconv.Quote(h)+" in header.")
			return
		}
		col[h] = i
	}
	for _, m := range mandatoryColumns {
		if _, ok := col[m]; !ok {
			fail(headerLine, "Mandatory column "+strconv.Quote(m)+" is missing in header.")
			return
		}
	}

	roleMembers := map[string]bool{}
	if role != nil {
		for _, m := range role.members {
			roleMembers[m.uuid] = true
		}
	}
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &perr) {
			report(perr.StartLine, "FAILED", "Line could not be parsed.")
			continue
		}
		if err != nil {
			report(0, "FAILED", "Line could not be parsed.")
			break
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			report(line, "FAILED", "Number of data fields does not match number of headers.")
			continue
		}
		if i := slices.IndexFunc(rec, func(v string) bool { return !utf8.ValidString(v) }); i >= 0 {
			// A strict UTF-8 decoder refuses such a line; a lenient one
			// would store replacement characters, which is no better.
			report(line, "FAILED", "Field "+header[i]+" is not valid UTF-8.")
			continue
		}
		get := func(name string) (string, bool) {
			i, ok := col[name]
			if !ok {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		if missing := firstEmpty(get); missing != "" {
			report(line, "FAILED", "Mandatory field "+missing+" is empty.")
			continue
		}
		// The phone is matched as written, spaces around it included.
		if i, ok := col["phone"]; ok && rec[i] != "" && !phonePattern.MatchString(rec[i]) {
			report(line, "FAILED", "Phone number "+rec[i]+" is not in international format.")
			continue
		}
		name, _ := get("name")
		u := &User{}
		if id, exists := st.userByName[strings.ToLower(name)]; exists {
			if !overwrite {
				report(line, "SKIPPED", "User "+name+" should not be overwritten.")
				continue
			}
			u = st.users[id]
			u.Version++
			u.ModifiedDate = now
		} else {
			*u = User{UUID: st.newUUID(), Name: name, OrganizationUUID: org, Activated: true, Version: 1, CreatedDate: now, ModifiedDate: now}
		}
		for _, f := range []struct {
			col string
			dst *string
		}{{"email", &u.Email}, {"givenName", &u.GivenName}, {"surName", &u.Surname}, {"phone", &u.Phone},
			{"position", &u.Position}, {"country", &u.Country}, {"managedAppleId", &u.ManagedAppleID}} {
			if v, ok := get(f.col); ok {
				*f.dst = v
			}
		}
		for k := 1; k <= 15; k++ {
			key := "custom" + strconv.Itoa(k)
			v, ok := get(key)
			if !ok {
				continue
			}
			if u.CustomProperties == nil {
				u.CustomProperties = map[string]string{}
			}
			if v == "" {
				delete(u.CustomProperties, key)
			} else {
				u.CustomProperties[key] = v
			}
		}
		st.putUser(u)
		if role != nil && !roleMembers[u.UUID] {
			roleMembers[u.UUID] = true
			role.members = append(role.members, memberRef{u.UUID, "USER"})
		}
		report(line, "SUCCESS", "User "+name+" successfully stored with version "+strconv.FormatInt(u.Version, 10)+".")
	}
	job.Status = "FINISHED"
}

func firstEmpty(get func(string) (string, bool)) string {
	for _, m := range mandatoryColumns {
		if v, _ := get(m); v == "" {
			return m
		}
	}
	return ""
}

func (s *Server) getImportJob(c *call) {
	s.mu.Lock()
	job, ok := s.st.jobs[upper(c.v("jobUuid"))]
	var out jobBody
	if ok {
		job.Polls++
		out = jobBody{UUID: job.UUID, Status: "RUNNING"}
		if job.Polls > s.cfg.importPolls {
			job.Revealed = true
			out = jobBody{UUID: job.UUID, Status: job.Status, SuccessCount: job.SuccessCount, SkippedCount: job.SkippedCount, FailureCount: job.FailureCount}
		}
	}
	s.mu.Unlock()
	if !ok {
		notFound(c, "IMPORT_JOB_NOT_FOUND", "Import job "+c.v("jobUuid")+" not found")
		return
	}
	writeResults(c, http.StatusOK, []jobBody{out}, nil)
}

var reportSchema = &schema[ImportReport]{
	fields: map[string]field[ImportReport]{
		"line":    longField(func(r ImportReport) int64 { return int64(r.Line) }),
		"status":  strField(func(r ImportReport) string { return r.Status }),
		"message": strField(func(r ImportReport) string { return r.Message }),
	},
	search: []string{"message"},
}

// queryEntityStates answers the per-line reports. A job still RUNNING (to
// the client's eyes) has none yet.
func (s *Server) queryEntityStates(c *call) {
	q, err := parseQueryBody(c.body)
	if err != nil {
		queryFailed(c, err)
		return
	}
	s.mu.Lock()
	job, ok := s.st.jobs[upper(c.v("jobUuid"))]
	var reports []ImportReport
	if ok && job.Revealed {
		reports = append(reports, job.Reports...)
	}
	s.mu.Unlock()
	if !ok {
		notFound(c, "IMPORT_JOB_NOT_FOUND", "Import job "+c.v("jobUuid")+" not found")
		return
	}
	respondQuery(c, reports, reportSchema, q)
}

// createOrganization is a stand-in: no source shows the wizard's real body
// or reply, so it echoes any JSON object back with a new "uuid", and
// registers that UUID as an organization for tenantOrganizationUuid.
func (s *Server) createOrganization(c *call) {
	var obj map[string]json.RawMessage
	if err := fake.DecodeJSON(c.body, &obj); err != nil {
		badRequest(c, "INVALID_REQUEST_BODY", "invalid organization: "+err.Error())
		return
	}
	if obj == nil {
		badRequest(c, "INVALID_REQUEST_BODY", "invalid organization: want a JSON object, not null")
		return
	}
	var name string
	_ = json.Unmarshal(obj["name"], &name) // a missing or odd name just stays empty
	s.mu.Lock()
	id := s.st.newUUID()
	s.st.orgs[id] = name
	s.mu.Unlock()
	obj["uuid"], _ = json.Marshal(id)
	fake.WriteJSON(c.w, http.StatusOK, obj)
}
