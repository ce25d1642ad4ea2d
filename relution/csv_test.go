package relution

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// docUsersCSV is the example CSV of doc.txt §1.
const docUsersCSV = `name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2
user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user1 position,user1 country,user1.id@company.com,43,Operations
user2,user2@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user2 position,user2 country,user2.id@company.com,24,Marketing
user3,user3@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user3 position,user3 country,user3.id@company.com,30,HR
user4,user4@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user4 position,user4 country,user4.id@company.com,32,Sales
user5,user5@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user5 position,user5 country,user5.id@company.com,45,Finance
user6,user6@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user6 position,user6 country,user6.id@company.com,30,Purchase
`

const csvHeader = "name,email,givenName,surName,password,phone"

func TestSeparatorRune(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sep     Separator
		want    rune
		wantErr bool
	}{
		{Comma, ',', false},
		{Semicolon, ';', false},
		{"", ',', false},
		{"comma", 0, true},
		{"TAB", 0, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.sep), func(t *testing.T) {
			t.Parallel()
			got, err := tt.sep.Rune()
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Rune() = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// csvProblems runs CheckCSV and returns its problems, failing t on any
// other kind of error.
func csvProblems(t testing.TB, in string, sep Separator) *CSVError {
	t.Helper()
	err := CheckCSV(strings.NewReader(in), sep)
	if err == nil {
		return nil
	}
	var ce *CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("CheckCSV: %v (%T), want nil or *CSVError", err, err)
	}
	return ce
}

func TestCheckCSV(t *testing.T) {
	t.Parallel()
	row := "u,u@x.de,Heinz,Ketchup,pw,+4912345"
	tests := []struct {
		name string
		in   string
		sep  Separator
		want []CSVProblem
	}{
		{name: "doc example", in: docUsersCSV, sep: Comma},
		{name: "doc example, empty separator means comma", in: docUsersCSV},
		{name: "semicolon", in: strings.ReplaceAll(docUsersCSV, ",", ";"), sep: Semicolon},
		{name: "CRLF", in: strings.ReplaceAll(docUsersCSV, "\n", "\r\n"), sep: Comma},
		{name: "BOM", in: "\ufeff" + docUsersCSV, sep: Comma},
		{name: "no trailing newline", in: strings.TrimSuffix(docUsersCSV, "\n"), sep: Comma},
		{name: "trailing empty lines", in: docUsersCSV + "\n\n", sep: Comma},
		{name: "header only", in: csvHeader + "\n", sep: Comma},
		{name: "mandatory columns only", in: "name,email,givenName,surName,password\nu,u@x.de,H,K,pw\n", sep: Comma},
		{name: "columns in any order", in: "password,surName,givenName,email,name\npw,K,H,u@x.de,u\n", sep: Comma},
		{name: "phone at the length limits", in: csvHeader + "\nu,u@x.de,H,K,pw,+1234\nu,u@x.de,H,K,pw,+123456789012345\n", sep: Comma},
		{name: "empty optional phone", in: csvHeader + "\nu,u@x.de,H,K,pw,\n", sep: Comma},
		{
			name: "comma file read with semicolon",
			in:   docUsersCSV,
			sep:  Semicolon,
			want: []CSVProblem{{1, "", `no known column: the first line must be the header, such as "name,email,givenName,surName,password,phone,position,country,managedAppleId"`, true}},
		},
		{
			name: "missing mandatory column",
			in:   "name,givenName,surName,password\nu,H,K,pw\n",
			sep:  Comma,
			want: []CSVProblem{{1, "email", `missing mandatory column "email"`, true}},
		},
		{
			name: "unknown, duplicate, unnamed and too many custom columns",
			in:   csvHeader + ",GivenName,email,,custom16,custom0,fax, surName \n" + row + ",a,b,c,d,e,f,g\n",
			sep:  Comma,
			want: []CSVProblem{
				{1, "GivenName", `unknown column "GivenName" (did you mean "givenName"?)`, false},
				{1, "email", `duplicate column "email" (columns 2 and 8)`, true},
				{1, "", "column 9 has no name", false},
				{1, "custom16", `column "custom16": only custom1 to custom15 exist`, false},
				{1, "", "column 11: unknown name (the columns are name, email, givenName, surName, password, phone, position, country, managedAppleId and custom1 to custom15)", false},
				{1, "", "column 12: unknown name (the columns are name, email, givenName, surName, password, phone, position, country, managedAppleId and custom1 to custom15)", false},
				{1, " surName ", `unknown column " surName " (did you mean "surName"?)`, false},
			},
		},
		{
			name: "pre-5.34 column names",
			in:   "userid,Email,first name,Last Name,password,phone number\nu,u@x.de,H,K,pw,+4912345\n",
			sep:  Comma,
			want: []CSVProblem{
				{1, "userid", `unknown column "userid" (renamed "name" in Relution 5.34): mandatory column "name" is missing`, true},
				{1, "Email", `unknown column "Email" (did you mean "email"?): mandatory column "email" is missing`, true},
				{1, "first name", `unknown column "first name" (renamed "givenName" in Relution 5.34): mandatory column "givenName" is missing`, true},
				{1, "Last Name", `unknown column "Last Name" (renamed "surName" in Relution 5.34): mandatory column "surName" is missing`, true},
				{1, "phone number", `unknown column "phone number" (renamed "phone" in Relution 5.34)`, false},
			},
		},
		{
			name: "field count mismatch",
			in:   csvHeader + "\n" + row + "\n" + row + ",extra\nu,u@x.de\n" + row + "\n",
			sep:  Comma,
			want: []CSVProblem{
				{3, "", "7 fields, header has 6", false},
				{4, "", "2 fields, header has 6", false},
			},
		},
		{
			name: "empty mandatory values",
			in:   csvHeader + "\n" + row + "\n,u@x.de,H,K,pw,\nu, ,H,K,,+4912345\n",
			sep:  Comma,
			want: []CSVProblem{
				{3, "name", `mandatory field "name" is empty`, false},
				{4, "email", `mandatory field "email" is empty`, false},
				{4, "password", `mandatory field "password" is empty`, false},
			},
		},
		{
			name: "phone not international",
			in: csvHeader + "\nu,u@x.de,H,K,pw,0171 234567\nu,u@x.de,H,K,pw,+49\nu,u@x.de,H,K,pw,+49abc\nu,u@x.de,H,K,pw,+1234567890123456\n" +
				"u,u@x.de,H,K,pw,+49 30 1234567\nu,u@x.de,H,K,pw,+49 (0)30 123-45/6.7\nu,u@x.de,H,K,pw, +4912345\nu,u@x.de,H,K,pw,\uff0b4912345\nu,u@x.de,H,K,pw,+49１２３４５\n",
			sep: Comma,
			want: []CSVProblem{
				{2, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{3, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{4, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{5, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{6, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{7, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{8, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{9, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
				{10, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false},
			},
		},
		{
			name: "quoted newlines keep the start line",
			in:   csvHeader + ",position\n" + row + ",\"two\nlines\"\r\n\"u\",\"\",H,K,pw,+4912345,\"a\r\nb\"\n" + row + "\n",
			sep:  Comma,
			want: []CSVProblem{
				{4, "email", `mandatory field "email" is empty`, false},
				{6, "", "6 fields, header has 7", false},
			},
		},
		{
			name: "blank lines are skipped, lines still counted",
			in:   "\n" + csvHeader + "\n\n" + row + "\nu,,H,K,pw,\n",
			sep:  Comma,
			want: []CSVProblem{{5, "email", `mandatory field "email" is empty`, false}},
		},
		{
			name: "bare quote is a problem, checking goes on",
			in:   csvHeader + "\nu,u\"@x.de,H,K,pw,\n" + row + "\nu,,H,K,pw,\n",
			sep:  Comma,
			want: []CSVProblem{
				{2, "", `malformed CSV: bare " in non-quoted-field (line 2, column 4)`, false},
				{4, "email", `mandatory field "email" is empty`, false},
			},
		},
		{
			name: "unclosed quote at the end",
			in:   csvHeader + "\n" + row + "\n\"u,u@x.de,H,K,pw,\n",
			sep:  Comma,
			want: []CSVProblem{{3, "", `malformed CSV: extraneous or missing " in quoted-field (line 3, column 19)`, false}},
		},
		{
			name: "malformed header",
			in:   "name,\"email\"x,givenName\nu,,\n",
			sep:  Comma,
			want: []CSVProblem{{1, "", `malformed CSV: extraneous or missing " in quoted-field (line 1, column 12)`, true}},
		},
		{
			name: "not UTF-8",
			in:   csvHeader + "\nu,u@x.de,M\xfcller,K,pw,\n",
			sep:  Comma,
			want: []CSVProblem{{2, "givenName", `field "givenName" is not valid UTF-8 (save the file as UTF-8)`, false}},
		},
		{
			name: "empty file",
			in:   "",
			sep:  Comma,
			want: []CSVProblem{{1, "", "no header line: the file is empty", true}},
		},
		{
			name: "BOM only",
			in:   "\ufeff\r\n",
			sep:  Comma,
			want: []CSVProblem{{1, "", "no header line: the file is empty", true}},
		},
		{
			name: "headerless file: no password quoted, counts still checked",
			in:   "u,u@x.de,H,K,s3cret\nu,u@x.de,H,K,s3cret,+4912345\n",
			sep:  Comma,
			want: []CSVProblem{
				{1, "", `no known column: the first line must be the header, such as "name,email,givenName,surName,password,phone,position,country,managedAppleId"`, true},
				{2, "", "6 fields, header has 5", false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ce := csvProblems(t, tt.in, tt.sep)
			var got []CSVProblem
			if ce != nil {
				got = ce.Problems
				if ce.Omitted != 0 {
					t.Errorf("Omitted = %d, want 0", ce.Omitted)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckCSVBadSeparator(t *testing.T) {
	t.Parallel()
	err := CheckCSV(strings.NewReader(docUsersCSV), "TAB")
	var ce *CSVError
	if err == nil || errors.As(err, &ce) {
		t.Errorf("CheckCSV with separator TAB = %v, want a plain error", err)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestCheckCSVReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	tests := []struct {
		name string
		r    io.Reader
	}{
		{"at once", failingReader{boom}},
		{"after the header", io.MultiReader(strings.NewReader(csvHeader+"\n"), failingReader{boom})},
		{"after the BOM", io.MultiReader(strings.NewReader("\ufeff"), failingReader{boom})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := CheckCSV(tt.r, Comma); !errors.Is(err, boom) {
				t.Errorf("CheckCSV = %v, want it to wrap %v", err, boom)
			}
		})
	}
}

func TestCheckCSVProblemCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(csvHeader + "\n")
	const bad = maxCSVProblems + 2345
	for range bad {
		b.WriteString("u,,H,K,pw,\n")
	}
	ce := csvProblems(t, b.String(), Comma)
	if ce == nil {
		t.Fatal("no problems")
	}
	if len(ce.Problems) != maxCSVProblems || ce.Omitted != bad-maxCSVProblems {
		t.Errorf("%d problems kept, %d omitted; want %d, %d", len(ce.Problems), ce.Omitted, maxCSVProblems, bad-maxCSVProblems)
	}
	if last := ce.Problems[len(ce.Problems)-1]; last.Line != maxCSVProblems+1 {
		t.Errorf("last kept problem on line %d, want %d", last.Line, maxCSVProblems+1)
	}
	if !strings.HasPrefix(ce.Error(), fmt.Sprintf("relution: users CSV: %d problems: line 2: ", bad)) ||
		!strings.HasSuffix(ce.Error(), fmt.Sprintf("; and %d more", bad-csvErrorShown)) {
		t.Errorf("Error() = %q", ce.Error())
	}
}

// TestCheckCSVRecordTooLong feeds a record with no end; CheckCSV must stop
// after about maxCSVRecordBytes instead of reading it all.
func TestCheckCSVRecordTooLong(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tail io.Reader
	}{
		{"no line break", endless('x')},
		{"unclosed quote over many lines", io.MultiReader(strings.NewReader(`"`), endless('\n'))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			counted := &countingReader{r: tt.tail}
			in := io.MultiReader(strings.NewReader(csvHeader+",position\nu,u@x.de,H,K,pw,+4912345,\"a\nb\"\n"), counted)
			err := CheckCSV(in, Comma)
			var ce *CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("CheckCSV = %v, want *CSVError", err)
			}
			want := []CSVProblem{{4, "", "a record starting at or after this line is longer than 1048576 bytes; checking stopped", false}}
			if diff := cmp.Diff(want, ce.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if counted.n > 2*maxCSVRecordBytes {
				t.Errorf("read %d bytes of the endless record, want about %d", counted.n, maxCSVRecordBytes)
			}
		})
	}
}

type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestCSVErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  CSVError
		want string
	}{
		{
			"one",
			CSVError{Problems: []CSVProblem{{1, "email", `missing mandatory column "email"`, false}}},
			`relution: users CSV: 1 problem: line 1: missing mandatory column "email"`,
		},
		{
			"three",
			CSVError{Problems: []CSVProblem{
				{1, "email", `missing mandatory column "email"`, false},
				{4, "", "9 fields, header has 11", false},
				{5, "phone", "phone number \"0171\" is not in international format, such as +4912345", false},
			}},
			`relution: users CSV: 3 problems: line 1: missing mandatory column "email"; line 4: 9 fields, header has 11; line 5: phone number "0171" is not in international format, such as +4912345`,
		},
		{
			"omitted counted",
			CSVError{Problems: []CSVProblem{{2, "", "a", false}, {3, "", "b", false}, {4, "", "c", false}, {5, "", "d", false}, {6, "", "e", false}, {7, "", "f", false}}, Omitted: 10},
			`relution: users CSV: 16 problems: line 2: a; line 3: b; line 4: c; line 5: d; line 6: e; and 11 more`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestCSVProblemQuotesAreShort(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ä", 10_000)
	ce := csvProblems(t, csvHeader+","+long+"\nu,u@x.de,H,K,pw,"+long+",x\n", Comma)
	if ce == nil {
		t.Fatal("no problems")
	}
	for _, p := range ce.Problems {
		if len(p.Reason) > 400 {
			t.Errorf("reason of %d bytes: %.80s...", len(p.Reason), p.Reason)
		}
	}
}

func TestCSVWriter(t *testing.T) {
	t.Parallel()
	heinz := UserRecord{
		Name: "user1", Email: "user1@company.com", GivenName: "Heinz", SurName: "Ketchup",
		Password: "p4ssw0rd", Phone: "+49234346345", Position: "user1 position",
		Country: "user1 country", ManagedAppleID: "user1.id@company.com",
	}
	heinz.Custom[0], heinz.Custom[1] = "43", "Operations"
	tests := []struct {
		name    string
		opts    CSVWriterOptions
		records []UserRecord
		want    string
	}{
		{
			"doc example line",
			CSVWriterOptions{Separator: Comma, Customs: 2},
			[]UserRecord{heinz},
			"name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2\n" +
				"user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user1 position,user1 country,user1.id@company.com,43,Operations\n",
		},
		{
			"semicolon, no customs, quoting",
			CSVWriterOptions{Separator: Semicolon},
			[]UserRecord{{Name: "a;b", Email: "e", GivenName: `"G"`, SurName: "S,T", Password: "p\nq"}},
			"name;email;givenName;surName;password;phone;position;country;managedAppleId\n" +
				"\"a;b\";e;\"\"\"G\"\"\";S,T;\"p\nq\";;;;\n",
		},
		{
			"no records: header only",
			CSVWriterOptions{Customs: 1},
			nil,
			"name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			w, err := NewCSVWriter(&buf, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.records {
				if err := w.Write(r); err != nil {
					t.Fatalf("Write: %v", err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatalf("Flush: %v", err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if err := CheckCSV(&buf, tt.opts.Separator); err != nil {
				t.Errorf("CheckCSV of the output: %v", err)
			}
		})
	}
}

func TestNewCSVWriterErrors(t *testing.T) {
	t.Parallel()
	for _, opts := range []CSVWriterOptions{{Separator: "TAB"}, {Customs: -1}, {Customs: 16}} {
		if _, err := NewCSVWriter(io.Discard, opts); err == nil {
			t.Errorf("NewCSVWriter(%+v): nil error", opts)
		}
	}
}

func TestCSVWriterRefuses(t *testing.T) {
	t.Parallel()
	good := UserRecord{Name: "u", Email: "u@x.de", GivenName: "H", SurName: "K", Password: "pw"}
	multiline := good
	multiline.Position = "a\nb\nc"
	noEmail := good
	noEmail.Email = " "
	badPhone := good
	badPhone.Phone = "0171"
	custom3 := good
	custom3.Custom[2] = "x"
	latin1 := good
	latin1.GivenName = "M\xfcller"

	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, CSVWriterOptions{Customs: 2})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		r    UserRecord
		want []CSVProblem // nil: written
	}{
		{good, nil},
		{multiline, nil}, // lines 3 to 5
		{noEmail, []CSVProblem{{6, "email", `mandatory field "email" is empty`, false}}},
		{badPhone, []CSVProblem{{6, "phone", "phone number is not in international format: + and 4 to 15 digits, such as +4912345", false}}},
		{custom3, []CSVProblem{{6, "custom3", "custom3 is set, but the writer has 2 custom columns (CSVWriterOptions.Customs)", false}}},
		{latin1, []CSVProblem{{6, "givenName", `field "givenName" is not valid UTF-8 (save the file as UTF-8)`, false}}},
		{UserRecord{}, []CSVProblem{
			{6, "name", `mandatory field "name" is empty`, false},
			{6, "email", `mandatory field "email" is empty`, false},
			{6, "givenName", `mandatory field "givenName" is empty`, false},
			{6, "surName", `mandatory field "surName" is empty`, false},
			{6, "password", `mandatory field "password" is empty`, false},
		}},
		{good, nil},
	}
	for i, s := range steps {
		err := w.Write(s.r)
		var got []CSVProblem
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("step %d: Write = %v (%T), want *CSVError", i, err, err)
			}
			got = ce.Problems
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("step %d: problems (-want +got):\n%s", i, diff)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 6 {
		t.Errorf("output has %d lines, want 6 (refused records left out):\n%s", n, buf.String())
	}
	if err := CheckCSV(&buf, Comma); err != nil {
		t.Errorf("CheckCSV of the output: %v", err)
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCSVWriterIOError(t *testing.T) {
	t.Parallel()
	w, err := NewCSVWriter(errWriter{}, CSVWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Flush = %v, want the writer's error", err)
	}
}

// FuzzCheckCSV checks that CheckCSV never panics and that what it reports
// is well formed, whatever the input.
func FuzzCheckCSV(f *testing.F) {
	for _, s := range []string{
		docUsersCSV,
		"\ufeff" + strings.ReplaceAll(docUsersCSV, "\n", "\r\n"),
		strings.ReplaceAll(docUsersCSV, ",", ";"),
		"",
		"\n\n",
		csvHeader + "\nu,\"a\nb\",H,K,pw,+49 123\n",
		csvHeader + "\nu,u\"x,H,K,pw,\n",
		"\"unclosed\n" + csvHeader,
		"name,name,,custom16,first name,GivenName\n1,2\n",
		"userid;email;first name\n\xff\xfe;;\n",
		csvHeader + "\n,,,,,\n\"\",\"\"\"\",\r\r\n",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, semicolon bool) {
		sep := Comma
		if semicolon {
			sep = Semicolon
		}
		err := CheckCSV(bytes.NewReader(data), sep)
		if err == nil {
			return
		}
		var ce *CSVError
		if !errors.As(err, &ce) {
			t.Fatalf("CheckCSV = %v (%T), want nil or *CSVError", err, err)
		}
		if len(ce.Problems) == 0 || len(ce.Problems) > maxCSVProblems || ce.Omitted < 0 {
			t.Fatalf("%d problems, %d omitted", len(ce.Problems), ce.Omitted)
		}
		prev, header := 0, 0
		for _, p := range ce.Problems {
			if p.Line < 1 || p.Line < prev || p.Reason == "" {
				t.Fatalf("bad problem %+v after line %d", p, prev)
			}
			prev = p.Line
			// Whole-file problems are all about the header (or an empty file): one line.
			if p.WholeFile {
				if header != 0 && p.Line != header {
					t.Fatalf("whole-file problems on lines %d and %d", header, p.Line)
				}
				header = p.Line
			}
		}
		if ce.WholeFile() != (header != 0) {
			t.Fatalf("WholeFile() = %v, whole-file problems at line %d", ce.WholeFile(), header)
		}
		if ce.Error() == "" {
			t.Fatal("empty Error()")
		}
	})
}

// FuzzCSVWriterRoundTrip checks that whatever CSVWriter accepts, CheckCSV
// accepts, and reads back unchanged.
func FuzzCSVWriterRoundTrip(f *testing.F) {
	f.Add("user1", "user1@company.com", "Heinz", "Ketchup", "p4ssw0rd", "+49234346345", "43", false)
	f.Add("a;b", "e,f", `"G"`, " S", "p\nq", "", "x\r\ny", true)
	f.Add("", "", "", "", "", "0171", "", false)
	f.Fuzz(func(t *testing.T, name, email, given, sur, password, phone, custom1 string, semicolon bool) {
		sep := Comma
		if semicolon {
			sep = Semicolon
		}
		r := UserRecord{Name: name, Email: email, GivenName: given, SurName: sur, Password: password, Phone: phone}
		r.Custom[0] = custom1
		var buf bytes.Buffer
		w, err := NewCSVWriter(&buf, CSVWriterOptions{Separator: sep, Customs: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(r); err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("Write = %v (%T), want *CSVError", err, err)
			}
			return
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := CheckCSV(bytes.NewReader(buf.Bytes()), sep); err != nil {
			t.Fatalf("CheckCSV of accepted record %+v: %v\n%q", r, err, buf.String())
		}
		comma, _ := sep.Rune()
		cr := csv.NewReader(&buf)
		cr.Comma = comma
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{name, email, given, sur, password, phone, "", "", "", custom1}
		for i, v := range want {
			if !utf8.ValidString(v) {
				t.Fatalf("Write accepted invalid UTF-8 %q", v)
			}
			// A quoted CRLF reads back as LF, as in every CSV reader.
			want[i] = strings.ReplaceAll(v, "\r\n", "\n")
		}
		if len(rows) != 2 {
			t.Fatalf("read %d rows, want 2", len(rows))
		}
		if diff := cmp.Diff(want, rows[1]); diff != "" {
			t.Fatalf("read back (-want +got):\n%s", diff)
		}
	})
}

func BenchmarkCheckCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2\n")
	for i := range 5000 {
		fmt.Fprintf(&buf, "user%d,user%d@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,position %d,country,user%d.id@company.com,%d,Operations\n", i, i, i, i, i%100)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckCSV(bytes.NewReader(data), Comma); err != nil {
			b.Fatal(err)
		}
	}
}

// No problem text quotes a value that may be a password: a header that does not match its
// lines, or a data line used as the header, must not leak one.
func TestCheckCSVNeverQuotesValues(t *testing.T) {
	t.Parallel()
	const secret = "Sup3rS3cret"
	files := []string{
		// Header in another order than the data: the password sits under phone.
		"name,email,givenName,surName,phone,password\nmax,m@x.de,Max,M," + secret + ",+4912345\n",
		// A data line's value as a column name.
		"name,email," + secret + ",surName,password\nmax,m@x.de,Max,M,pw\n",
		// Twice.
		"name,email,givenName,surName,password," + secret + "," + secret + "\nmax,m@x.de,Max,M,pw,a,b\n",
		// No header at all.
		"max,m@x.de,Max,M," + secret + "\n",
		// Bad quoting around the secret.
		"name,email,givenName,surName,password\nmax,m@x.de,Max,M,x\"" + secret + "\"y\n",
		// Too few fields.
		"name,email,givenName,surName,password,phone\nmax,m@x.de,Max,M," + secret + "\n",
	}
	for i, f := range files {
		err := CheckCSV(strings.NewReader(f), Comma)
		if err == nil {
			t.Errorf("file %d passed the check", i)
			continue
		}
		var ce *CSVError
		if errors.As(err, &ce) {
			for _, p := range ce.Problems {
				if strings.Contains(p.Column+p.Reason, secret) {
					t.Errorf("file %d: problem quotes the secret: %+v", i, p)
				}
			}
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("file %d: error quotes the secret: %v", i, err)
		}
	}
}
