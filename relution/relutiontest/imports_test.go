package relutiontest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// docCSV is the example file of the vendor's REST API guide.
const docCSV = `name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2
user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user1 position,user1 country,user1.id@company.com,43,Operations
user2,user2@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user2 position,user2 country,user2.id@company.com,24,Marketing
user3,user3@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user3 position,user3 country,user3.id@company.com,30,HR
user4,user4@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user4 position,user4 country,user4.id@company.com,32,Sales
user5,user5@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user5 position,user5 country,user5.id@company.com,45,Finance
user6,user6@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user6 position,user6 country,user6.id@company.com,30,Purchase
`

const (
	uploadPath = "/api/management/v1/csvImport/upload/users"
	role       = "Organame%20Device%20User"
)

func uploadCSV(t *testing.T, srv *Server, name, content string) string {
	t.Helper()
	body, ct := multipartBody(t, part{name: "file", filename: name, contentType: "text/csv", content: content})
	b := ok(t, srv, http.StatusOK, req{method: "POST", path: uploadPath, raw: body, contentType: ct})
	e := results[fileInfoBody](t, b)
	if len(e.Results) != 1 {
		t.Fatalf("upload answered %s", b)
	}
	want := fileInfoBody{UUID: e.Results[0].UUID, Name: name, ContentType: "text/csv", Size: int64(len(content))}
	if diff := cmp.Diff(want, e.Results[0]); diff != "" || want.UUID != strings.ToUpper(want.UUID) {
		t.Errorf("upload reply (-want +got):\n%s", diff)
	}
	return e.Results[0].UUID
}

func startImport(t *testing.T, srv *Server, fileUUID string, overwrite bool, sep string) string {
	t.Helper()
	b := ok(t, srv, http.StatusOK, req{method: "POST", path: fmt.Sprintf(
		"/api/v1/security/users/import/fromFile/%s?overwrite=%t&role=%s&csvSeparator=%s", fileUUID, overwrite, role, sep)})
	job := decode[jobBody](t, b)
	if diff := cmp.Diff(jobBody{UUID: job.UUID, Status: "RUNNING"}, job); diff != "" || job.UUID == "" {
		t.Errorf("start reply (-want +got):\n%s", diff)
	}
	return job.UUID
}

func pollJob(t *testing.T, srv *Server, jobUUID string) jobBody {
	t.Helper()
	e := results[jobBody](t, ok(t, srv, http.StatusOK, req{method: "GET", path: "/api/management/v1/csvImport/job/" + jobUUID}))
	if len(e.Results) != 1 {
		t.Fatalf("job poll answered %d results", len(e.Results))
	}
	return e.Results[0]
}

// waitJob polls like the vendor's script and returns every poll's answer.
func waitJob(t *testing.T, srv *Server, jobUUID string) []jobBody {
	t.Helper()
	var polls []jobBody
	for range 100 {
		j := pollJob(t, srv, jobUUID)
		polls = append(polls, j)
		if j.Status != "RUNNING" {
			return polls
		}
	}
	t.Fatal("job never finished")
	return nil
}

func reports(t *testing.T, srv *Server, jobUUID string) []ImportReport {
	t.Helper()
	b := ok(t, srv, http.StatusOK, req{method: "POST", path: "/api/management/v1/csvImport/job/" + jobUUID + "/entityStates/query",
		body: `{"sortOrder":{"sortFields":[{"name":"line","ascending":true}]}}`})
	return results[ImportReport](t, b).Results
}

func importCSV(t *testing.T, srv *Server, content string, overwrite bool, sep string) (jobBody, []ImportReport) {
	t.Helper()
	job := startImport(t, srv, uploadCSV(t, srv, "users.csv", content), overwrite, sep)
	polls := waitJob(t, srv, job)
	return polls[len(polls)-1], reports(t, srv, job)
}

func TestImportDocExample(t *testing.T) {
	t.Parallel()
	srv := start(t)

	fileUUID := uploadCSV(t, srv, "users.csv", docCSV)
	jobUUID := startImport(t, srv, fileUUID, false, "COMMA")

	// Before the terminal state shows, the report is empty.
	if got := reports(t, srv, jobUUID); len(got) != 0 {
		t.Errorf("reports while RUNNING: %v", got)
	}
	polls := waitJob(t, srv, jobUUID)
	want := []jobBody{
		{UUID: jobUUID, Status: "RUNNING"},
		{UUID: jobUUID, Status: "RUNNING"},
		{UUID: jobUUID, Status: "FINISHED", SuccessCount: 6},
	}
	if diff := cmp.Diff(want, polls); diff != "" {
		t.Errorf("polls (-want +got):\n%s", diff)
	}
	// Counts stay final.
	if diff := cmp.Diff(want[2], pollJob(t, srv, jobUUID)); diff != "" {
		t.Errorf("poll after the end (-want +got):\n%s", diff)
	}
	var wantReports []ImportReport
	for i := 1; i <= 6; i++ {
		wantReports = append(wantReports, ImportReport{Line: i + 1, Status: "SUCCESS", Message: fmt.Sprintf("User user%d successfully stored with version 1.", i)})
	}
	if diff := cmp.Diff(wantReports, reports(t, srv, jobUUID)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}

	u, found := srv.User("user4")
	if !found {
		t.Fatal("user4 not stored")
	}
	wantUser := User{
		UUID: u.UUID, Name: "user4", OrganizationUUID: OrgUUID, Activated: true,
		Email: "user4@company.com", GivenName: "Heinz", Surname: "Ketchup", Phone: "+49234346345",
		Position: "user4 position", Country: "user4 country", ManagedAppleID: "user4.id@company.com",
		Version: 1, CreatedDate: u.CreatedDate, ModifiedDate: u.CreatedDate,
		CustomProperties: map[string]string{"custom1": "32", "custom2": "Sales"},
	}
	if diff := cmp.Diff(wantUser, u); diff != "" {
		t.Errorf("stored user (-want +got):\n%s", diff)
	}
	// Imported users join the role's group.
	found = false
	for _, g := range srv.UserGroups(u.UUID) {
		found = found || g.UUID == DeviceUserGroupUUID
	}
	if !found {
		t.Errorf("user4 is not in the role group: %v", srv.UserGroups(u.UUID))
	}

	// Importing again without overwrite skips every line.
	second := startImport(t, srv, fileUUID, false, "COMMA")
	last := waitJob(t, srv, second)
	if diff := cmp.Diff(jobBody{UUID: second, Status: "FINISHED", SkippedCount: 6}, last[len(last)-1]); diff != "" {
		t.Errorf("second import (-want +got):\n%s", diff)
	}
	if got := reports(t, srv, second)[3]; got != (ImportReport{Line: 5, Status: "SKIPPED", Message: "User user4 should not be overwritten."}) {
		t.Errorf("second import line 5: %+v", got)
	}
	// With overwrite, every user gets version 2.
	third := startImport(t, srv, fileUUID, true, "COMMA")
	waitJob(t, srv, third)
	if got := reports(t, srv, third)[0]; got != (ImportReport{Line: 2, Status: "SUCCESS", Message: "User user1 successfully stored with version 2."}) {
		t.Errorf("overwrite line 2: %+v", got)
	}
	if u, _ := srv.User("user1"); u.Version != 2 {
		t.Errorf("user1 version %d after overwrite, want 2", u.Version)
	}
}

func TestImportLineReports(t *testing.T) {
	t.Parallel()
	srv := start(t, WithImportPolls(0))
	csv := strings.Join([]string{
		"surName;givenName;name;email;password;phone",
		"Ketchup;Heinz;new1;new1@x.example;pw;+4912345",
		"Ketchup;Heinz;short;x@x.example;pw",
		"Ketchup;;noname;y@x.example;pw;",
		";Heinz;nosur;y@x.example;pw;",
		"Ketchup;Heinz;badphone;z@x.example;pw;0049 123",
		"Ketchup;Heinz;shortphone;z@x.example;pw;+123",
		"Admin;Ada;admin;admin@x.example;pw;",
		`"Semi;colon";Heinz;new2;new2@x.example;pw;+491234567890123`,
		"Ketchup;Heinz;new1;new1@x.example;pw;",
		"",
		"Ketchup;Heinz;new3;new3@x.example;pw;+4912345;extra",
	}, "\r\n")
	job, got := importCSV(t, srv, csv, false, "SEMICOLON")
	want := []ImportReport{
		{2, "SUCCESS", "User new1 successfully stored with version 1."},
		{3, "FAILED", "Number of data fields does not match number of headers."},
		{4, "FAILED", "Mandatory field givenName is empty."},
		{5, "FAILED", "Mandatory field surName is empty."},
		{6, "FAILED", "Phone number 0049 123 is not in international format."},
		{7, "FAILED", "Phone number +123 is not in international format."},
		{8, "SKIPPED", "User admin should not be overwritten."},
		{9, "SUCCESS", "User new2 successfully stored with version 1."},
		{10, "SKIPPED", "User new1 should not be overwritten."},
		{12, "FAILED", "Number of data fields does not match number of headers."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(jobBody{UUID: job.UUID, Status: "FINISHED", SuccessCount: 2, SkippedCount: 2, FailureCount: 6}, job); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
	if u, _ := srv.User("new2"); u.Surname != "Semi;colon" || u.Phone != "+491234567890123" {
		t.Errorf("new2 stored as %+v", u)
	}
	if u, _ := srv.User("admin"); u.Version != 1 || u.Email != "admin@organame.example" {
		t.Errorf("skipped admin changed: %+v", u)
	}
}

func TestImportReportQuery(t *testing.T) {
	t.Parallel()
	srv := start(t, WithImportPolls(0))
	csv := "name,email,givenName,surName,password\na,a@x,A,A,p\nb,,B,B,p\nc,c@x,C,C,p\n"
	job := startImport(t, srv, uploadCSV(t, srv, "u.csv", csv), false, "COMMA")
	waitJob(t, srv, job)
	path := "/api/management/v1/csvImport/job/" + job + "/entityStates/query"
	b := ok(t, srv, http.StatusOK, req{method: "POST", path: path, body: `{"filter":{"type":"stringEnum","fieldName":"status","values":["FAILED"]},"getNonpagedCount":true}`})
	e := results[ImportReport](t, b)
	if diff := cmp.Diff([]ImportReport{{3, "FAILED", "Mandatory field email is empty."}}, e.Results); diff != "" || *e.NonpagedCount != 1 {
		t.Errorf("failed lines (-want +got):\n%s", diff)
	}
	b = ok(t, srv, http.StatusOK, req{method: "POST", path: path, body: `{"sortOrder":{"sortFields":[{"name":"line","ascending":false}]},"limit":2,"offset":0}`})
	var lines []int
	for _, r := range results[ImportReport](t, b).Results {
		lines = append(lines, r.Line)
	}
	if diff := cmp.Diff([]int{4, 3}, lines); diff != "" {
		t.Errorf("descending lines (-want +got):\n%s", diff)
	}
	// An empty body is the empty query.
	if n := len(results[ImportReport](t, ok(t, srv, http.StatusOK, req{method: "POST", path: path, contentType: "application/json"})).Results); n != 3 {
		t.Errorf("empty query: %d reports, want 3", n)
	}
	fails(t, srv, 400, "INVALID_SORT_ORDER", req{method: "POST", path: path, body: `{"sortOrder":{"sortFields":[{"name":"row","ascending":true}]}}`})
	fails(t, srv, 404, "IMPORT_JOB_NOT_FOUND", req{method: "POST", path: "/api/management/v1/csvImport/job/0000/entityStates/query", body: `{}`})
}

func TestImportBadHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, header, message string
	}{
		{"missing mandatory", "name,email,givenName,password", `Mandatory column "surName" is missing in header.`},
		{"old column name", "userid,email,first name,last name,password", `Mandatory column "name" is missing in header.`},
		{"duplicate column", "name,email,givenName,surName,password,email", `Duplicate column "email" in header.`},
		{"wrong case", "Name,email,givenName,surName,password", `Mandatory column "name" is missing in header.`},
		{"empty file", "", "The file is empty: a header line is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := NewServer(WithImportPolls(1))
			defer srv.Close()
			content := tt.header
			if content != "" {
				content += "\nu,u@x,U,U,p\n"
			}
			job, got := importCSV(t, srv, content, false, "COMMA")
			if diff := cmp.Diff([]ImportReport{{1, "FAILED", tt.message}}, got); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(jobBody{UUID: job.UUID, Status: "FAILED", FailureCount: 1}, job); diff != "" {
				t.Errorf("job (-want +got):\n%s", diff)
			}
			if _, found := srv.User("u"); found {
				t.Error("a failed import stored a user")
			}
		})
	}
}

// Columns the import does not know are ignored: the job imports the lines.
func TestImportIgnoresUnknownColumns(t *testing.T) {
	t.Parallel()
	for _, header := range []string{
		"name,email,givenName,surName,password,nickname",
		"name,email,givenName,surName,password,custom16",
		"name,email,givenName,surName,password,custom01",
		"name,email,givenName,surName,password,phone number",
		"name,email,givenName,surName,password,",
	} {
		t.Run(header, func(t *testing.T) {
			t.Parallel()
			srv := NewServer(WithImportPolls(0))
			defer srv.Close()
			job, got := importCSV(t, srv, header+"\nu,u@x,U,U,p,+4912345\n", false, "COMMA")
			if diff := cmp.Diff([]ImportReport{{2, "SUCCESS", "User u successfully stored with version 1."}}, got); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
			if job.Status != "FINISHED" {
				t.Errorf("job %s, want FINISHED", job.Status)
			}
			if u, found := srv.User("u"); !found || u.Phone != "" {
				t.Errorf("user %+v, found %v; want stored without the unknown column's value", u, found)
			}
		})
	}
}

// TestImportStrictReading pins the reading rules that the client's local
// check (relution.CheckCSV) shares with the import; relution's
// csvfake_test.go holds the two against each other.
func TestImportStrictReading(t *testing.T) {
	t.Parallel()
	const header = "name,email,givenName,surName,password,phone"
	tests := []struct {
		name, csv string
		want      []ImportReport
		failed    bool // the whole job FAILED
	}{
		{
			name: "BOM before a quoted column name",
			csv:  "\uFEFF\"name\",email,givenName,surName,password\nu,u@x,U,U,p\n",
			want: []ImportReport{{2, "SUCCESS", "User u successfully stored with version 1."}},
		},
		{
			name: "bare quote",
			csv:  header + ",position\nu,u@x,U,U,p,,5\" tall\nv,v@x,V,V,p,,\n",
			want: []ImportReport{{2, "FAILED", "Line could not be parsed."}, {3, "SUCCESS", "User v successfully stored with version 1."}},
		},
		{
			name: "text after a closing quote",
			csv:  header + "\nu,\"u\"@x,U,U,p,\n",
			want: []ImportReport{{2, "FAILED", "Line could not be parsed."}},
		},
		{
			name: "doubled quotes",
			csv:  header + ",position\nu,u@x,U,U,p,,\"5\"\" tall\"\n",
			want: []ImportReport{{2, "SUCCESS", "User u successfully stored with version 1."}},
		},
		{
			name:   "column name with a space",
			csv:    "name, email,givenName,surName,password\nu,u@x,U,U,p\n",
			want:   []ImportReport{{1, "FAILED", `Mandatory column "email" is missing in header.`}},
			failed: true,
		},
		{
			name:   "header problem after blank lines",
			csv:    "\n\r\nname,email\nu,u@x\n",
			want:   []ImportReport{{3, "FAILED", `Mandatory column "givenName" is missing in header.`}},
			failed: true,
		},
		{
			name:   "unparsable header after a blank line",
			csv:    "\nname,e\"mail\nu,u@x\n",
			want:   []ImportReport{{2, "FAILED", "The header line cannot be parsed."}},
			failed: true,
		},
		{
			name: "phones",
			csv:  header + "\na,a@x,A,A,p,+49 30 1234567\nb,b@x,B,B,p, +4912345\nc,c@x,C,C,p,+1234\nd,d@x,D,D,p,+123456789012345\n",
			want: []ImportReport{
				{2, "FAILED", "Phone number +49 30 1234567 is not in international format."},
				{3, "FAILED", "Phone number  +4912345 is not in international format."},
				{4, "SUCCESS", "User c successfully stored with version 1."},
				{5, "SUCCESS", "User d successfully stored with version 1."},
			},
		},
		{
			name: "not UTF-8",
			csv:  header + ",country\nu,u@x,M\xfcller,U,p,,DE\nv,v@x,V,V,p,,\xd6sterreich\n",
			want: []ImportReport{{2, "FAILED", "Field givenName is not valid UTF-8."}, {3, "FAILED", "Field country is not valid UTF-8."}},
		},
		{
			name: "quoted newline keeps the start line",
			csv:  header + ",position\nu,u@x,U,U,p,,\"a\r\nb\"\nv,,V,V,p,,\n",
			want: []ImportReport{{2, "SUCCESS", "User u successfully stored with version 1."}, {4, "FAILED", "Mandatory field email is empty."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := NewServer(WithImportPolls(0))
			defer srv.Close()
			job, got := importCSV(t, srv, tt.csv, false, "COMMA")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
			if (job.Status == "FAILED") != tt.failed {
				t.Errorf("job status %s, want FAILED %t", job.Status, tt.failed)
			}
		})
	}
}

func TestImportAllColumnsAndBOM(t *testing.T) {
	t.Parallel()
	srv := start(t, WithImportPolls(0))
	var cols, vals []string
	for _, c := range append(append([]string{}, mandatoryColumns...), optionalColumns...) {
		cols = append(cols, c)
		vals = append(vals, "v-"+c)
	}
	vals[5] = "+4912345" // phone
	for k := 1; k <= 15; k++ {
		cols = append(cols, fmt.Sprintf("custom%d", k))
		vals = append(vals, fmt.Sprintf("c%d", k))
	}
	csv := "\uFEFF" + strings.Join(cols, ",") + "\n" + strings.Join(vals, ",") + "\n"
	job, got := importCSV(t, srv, csv, false, "COMMA")
	if job.SuccessCount != 1 {
		t.Fatalf("import: %+v %+v", job, got)
	}
	u, _ := srv.User("v-name")
	if u.Email != "v-email" || u.ManagedAppleID != "v-managedAppleId" || len(u.CustomProperties) != 15 || u.CustomProperties["custom15"] != "c15" {
		t.Errorf("stored %+v", u)
	}
}

func TestImportFailureOption(t *testing.T) {
	t.Parallel()
	srv := start(t, WithImportFailure(), WithImportPolls(3))
	job, got := importCSV(t, srv, docCSV, false, "COMMA")
	if job.Status != "FAILED" || job.FailureCount != 1 || len(got) != 1 || got[0].Status != "FAILED" {
		t.Errorf("job %+v, reports %+v", job, got)
	}
	if _, found := srv.User("user1"); found {
		t.Error("a failed job stored users")
	}
	j, _ := srv.ImportJob(job.UUID)
	if j.Polls != 4 || !j.Revealed {
		t.Errorf("ImportJob = %+v, want 4 polls, revealed", j)
	}
}

func TestImportManyLines(t *testing.T) {
	t.Parallel()
	srv := start(t, WithImportPolls(0))
	csv := manyUsersCSV(5000)
	job, got := importCSV(t, srv, csv, false, "COMMA")
	if job.SuccessCount != 5000 || len(got) != 5000 || got[4999].Line != 5001 {
		t.Errorf("job %+v, %d reports", job, len(got))
	}
	if n := len(srv.Users()); n != 5003 {
		t.Errorf("%d users, want 5003", n)
	}
}

func manyUsersCSV(n int) string {
	var b strings.Builder
	b.WriteString("name,email,givenName,surName,password,phone\n")
	for i := range n {
		fmt.Fprintf(&b, "bulk%05d,bulk%05d@x.example,Bulk,User,pw,+49%08d\n", i, i, i)
	}
	return b.String()
}

func BenchmarkImport5000(b *testing.B) {
	csv := []byte(manyUsersCSV(5000))
	for b.Loop() {
		st := newState(config{})
		job := &ImportJob{}
		st.runImport(job, csv, ',', false, st.groups[0], OrgUUID, 1)
		if job.SuccessCount != 5000 {
			b.Fatal(job)
		}
	}
}

func TestImportRequestErrors(t *testing.T) {
	t.Parallel()
	srv := start(t)
	file := uploadCSV(t, srv, "u.csv", docCSV)
	base := "/api/v1/security/users/import/fromFile/"
	tests := []struct {
		name   string
		path   string
		status int
		code   string
	}{
		{"unknown file", base + "0000?overwrite=false&role=" + role + "&csvSeparator=COMMA", 404, "FILE_NOT_FOUND"},
		{"missing overwrite", base + file + "?role=" + role + "&csvSeparator=COMMA", 400, "INVALID_PARAMETER"},
		{"missing separator", base + file + "?overwrite=false&role=" + role, 400, "INVALID_PARAMETER"},
		{"bad separator", base + file + "?overwrite=false&role=" + role + "&csvSeparator=TAB", 400, "INVALID_PARAMETER"},
		{"lower-case separator", base + file + "?overwrite=false&role=" + role + "&csvSeparator=comma", 400, "INVALID_PARAMETER"},
		{"bad overwrite", base + file + "?overwrite=yes&role=" + role + "&csvSeparator=COMMA", 400, "INVALID_PARAMETER"},
		{"unknown role", base + file + "?overwrite=false&role=Nobody&csvSeparator=COMMA", 400, "ROLE_NOT_FOUND"},
		{"extra parameter", base + file + "?overwrite=false&role=" + role + "&csvSeparator=COMMA&dryRun=true", 400, "INVALID_PARAMETER"},
		{"job unknown", "/api/management/v1/csvImport/job/1234", 404, "IMPORT_JOB_NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := "POST"
			if strings.Contains(tt.path, "/job/") {
				method = "GET"
			}
			fails(t, srv, tt.status, tt.code, req{method: method, path: tt.path})
		})
	}
	t.Run("body on start", func(t *testing.T) {
		t.Parallel()
		fails(t, srv, 400, "INVALID_REQUEST_BODY", req{method: "POST", path: base + file + "?overwrite=false&role=" + role + "&csvSeparator=COMMA", body: "{}"})
	})
	t.Run("role by UUID and lower-case file UUID", func(t *testing.T) {
		t.Parallel()
		ok(t, srv, 200, req{method: "POST", path: base + strings.ToLower(file) + "?overwrite=false&role=" + url.QueryEscape(strings.ToLower(DeviceUserGroupUUID)) + "&csvSeparator=COMMA"})
	})
}

func TestUploadErrors(t *testing.T) {
	t.Parallel()
	srv := start(t)
	tests := []struct {
		name   string
		parts  []part
		status int
		code   string
	}{
		{"wrong part name", []part{{name: "upload", filename: "u.csv", contentType: "text/csv", content: docCSV}}, 400, "INVALID_REQUEST_BODY"},
		{"no file name", []part{{name: "file", contentType: "text/csv", content: docCSV}}, 400, "INVALID_REQUEST_BODY"},
		{"wrong content type", []part{{name: "file", filename: "u.csv", contentType: "application/octet-stream", content: docCSV}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"two files", []part{{name: "file", filename: "u.csv", contentType: "text/csv", content: "a"}, {name: "file", filename: "v.csv", contentType: "text/csv", content: "b"}}, 400, "INVALID_REQUEST_BODY"},
		{"no parts", nil, 400, "INVALID_REQUEST_BODY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body, ct := multipartBody(t, tt.parts...)
			fails(t, srv, tt.status, tt.code, req{method: "POST", path: uploadPath, raw: body, contentType: ct})
		})
	}
	t.Run("not multipart", func(t *testing.T) {
		t.Parallel()
		fails(t, srv, 415, "UNSUPPORTED_MEDIA_TYPE", req{method: "POST", path: uploadPath, body: docCSV, contentType: "text/csv"})
	})
	t.Run("charset parameter allowed", func(t *testing.T) {
		t.Parallel()
		body, ct := multipartBody(t, part{name: "file", filename: "u.csv", contentType: "text/csv; charset=UTF-8", content: docCSV})
		id := results[fileInfoBody](t, ok(t, srv, 200, req{method: "POST", path: uploadPath, raw: body, contentType: ct})).Results[0].UUID
		name, data, found := srv.UploadedFile(id)
		if !found || name != "u.csv" || string(data) != docCSV {
			t.Errorf("UploadedFile = %q, %d bytes, %v", name, len(data), found)
		}
	})
}

// A start whose reply is lost still starts the job: the test can find it.
func TestImportStartReplyLost(t *testing.T) {
	t.Parallel()
	srv := start(t, WithImportPolls(0))
	file := uploadCSV(t, srv, "users.csv", docCSV)
	srv.Kit().Inject(Fault{Method: "POST", Path: "/api/v1/security/users/import/fromFile/*", DropAfterApply: true})
	path := "/api/v1/security/users/import/fromFile/" + file + "?overwrite=false&role=" + role + "&csvSeparator=COMMA"
	r, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-User-Access-Token", srv.Token)
	if resp, err := srv.Client().Do(r); err == nil {
		resp.Body.Close()
		t.Fatalf("got a reply (%d), want a transport error", resp.StatusCode)
	}
	jobs := srv.ImportJobs()
	if len(jobs) != 1 || jobs[0].FileUUID != file || jobs[0].SuccessCount != 6 || jobs[0].Revealed {
		t.Fatalf("jobs after the lost reply: %+v", jobs)
	}
	if _, found := srv.User("user6"); !found {
		t.Error("the lost start did not import")
	}
	if n := len(srv.Kit().Requests()); n != 2 {
		t.Errorf("logged %d requests, want 2", n)
	}
}
