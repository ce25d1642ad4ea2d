package relutiontest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/rosterhq/roster/relution/relutiontest"
)

// call sends one authenticated request and decodes the JSON reply into out.
func call(srv *relutiontest.Server, method, path, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-User-Access-Token", srv.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// The vendor's device query (script 6) against the seeded devices.
func Example() {
	srv := relutiontest.NewServer()
	defer srv.Close()

	query := `{"limit":100,"offset":0,"getNonpagedCount":true,
	 "sortOrder":{"sortFields":[{"name":"lastConnectionDate","ascending":false}]},
	 "filter":{"type":"logOp","operation":"AND","filters":[
	  {"type":"stringEnum","fieldName":"platform","values":["ANDROID","ANDROID_ENTERPRISE","IOS"]},
	  {"type":"stringEnum","fieldName":"status","values":["COMPLIANT"]}]}}`
	var reply struct {
		Results       []relutiontest.Device `json:"results"`
		NonpagedCount int                   `json:"nonpagedCount"`
	}
	if err := call(srv, "POST", "/api/v2/devices/baseInfo/query", "application/json", strings.NewReader(query), &reply); err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range reply.Results {
		fmt.Println(d.Name, d.Platform, d.Status)
	}
	fmt.Println("total:", reply.NonpagedCount)
	// Output:
	// Pixel 8 ANDROID_ENTERPRISE COMPLIANT
	// iPhone 15 IOS COMPLIANT
	// Moto G ANDROID COMPLIANT
	// total: 3
}

// The CSV import as the vendor's uploadUserCSV.sh runs it.
func ExampleWithImportPolls() {
	srv := relutiontest.NewServer(relutiontest.WithImportPolls(1))
	defer srv.Close()

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="users.csv"`}
	h["Content-Type"] = []string{"text/csv"}
	w, _ := mw.CreatePart(h)
	io.WriteString(w, "name,email,givenName,surName,password,phone\n"+
		"user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345\n"+
		"user2,user2@company.com,Heinz,Ketchup,p4ssw0rd\n"+
		"admin,admin@company.com,Ada,Admin,p4ssw0rd,\n")
	mw.Close()

	var upload struct {
		Results []struct{ UUID string } `json:"results"`
	}
	if err := call(srv, "POST", "/api/management/v1/csvImport/upload/users", mw.FormDataContentType(), &buf, &upload); err != nil {
		fmt.Println(err)
		return
	}
	var job struct{ UUID, Status string }
	path := "/api/v1/security/users/import/fromFile/" + upload.Results[0].UUID + "?overwrite=false&role=Organame%20Device%20User&csvSeparator=COMMA"
	if err := call(srv, "POST", path, "", nil, &job); err != nil {
		fmt.Println(err)
		return
	}
	type status struct {
		Status                                   string
		SuccessCount, SkippedCount, FailureCount int
	}
	var poll struct{ Results []status }
	for poll.Results == nil || poll.Results[0].Status == "RUNNING" {
		if err := call(srv, "GET", "/api/management/v1/csvImport/job/"+job.UUID, "", nil, &poll); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("Job status:", poll.Results[0].Status)
	}
	s := poll.Results[0]
	fmt.Printf("success: %d, skipped: %d, failed: %d\n", s.SuccessCount, s.SkippedCount, s.FailureCount)

	var report struct {
		Results []struct {
			Line            int
			Status, Message string
		}
	}
	sort := `{"sortOrder":{"sortFields":[{"name":"line","ascending":true}]}}`
	if err := call(srv, "POST", "/api/management/v1/csvImport/job/"+job.UUID+"/entityStates/query", "application/json", strings.NewReader(sort), &report); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range report.Results {
		fmt.Printf("%d: [%s] %s\n", r.Line, r.Status, r.Message)
	}
	// Output:
	// Job status: RUNNING
	// Job status: FINISHED
	// success: 1, skipped: 1, failed: 1
	// 2: [SUCCESS] User user1 successfully stored with version 1.
	// 3: [FAILED] Number of data fields does not match number of headers.
	// 4: [SKIPPED] User admin should not be overwritten.
}

// Kit names the type of srv.Kit(), so that code outside this module can
// keep it or hand it to a helper.
func ExampleKit() {
	srv := relutiontest.NewServer()
	defer srv.Close()

	var kit *relutiontest.Kit = srv.Kit()
	kit.Inject(relutiontest.Fault{Method: "GET", Path: "/api/v1/security/groups", Status: 503, Count: 1})
	var groups any
	fmt.Println(call(srv, "GET", "/api/v1/security/groups", "", nil, &groups) != nil)
	fmt.Println(call(srv, "GET", "/api/v1/security/groups", "", nil, &groups))
	fmt.Println(requestsTo(kit, "/api/v1/security/groups"))
	// Output:
	// true
	// <nil>
	// 2
}

// requestsTo counts the logged requests to path.
func requestsTo(kit *relutiontest.Kit, path string) int {
	n := 0
	for _, r := range kit.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}
