package relution_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// The tests in this file hold CheckCSV, the client's local check of a users
// CSV, against the fake server's import (relutiontest): the check finds a
// whole-file problem exactly when the fake fails the whole job, at the line
// of the check's first whole-file problem; otherwise the lines the fake
// fails are exactly the lines of the check's line problems, leaving out
// the header's (columns the import does not know, which the fake ignores).
// The rules both sides follow are listed at CheckCSV and at relutiontest's
// runImport.

// agreeHeader and agreeRow are a header and a valid line for the table.
const (
	agreeHeader = "name,email,givenName,surName,password,phone"
	agreeRow    = "u1,u1@x.example,Heinz,Ketchup,pw,+4912345"
)

// agreeDocCSV is the example file of doc.txt §1.
const agreeDocCSV = `name,email,givenName,surName,password,phone,position,country,managedAppleId,custom1,custom2
user1,user1@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user1 position,user1 country,user1.id@company.com,43,Operations
user2,user2@company.com,Heinz,Ketchup,p4ssw0rd,+49234346345,user2 position,user2 country,user2.id@company.com,24,Marketing
`

// agreeRows joins a header and lines with LF and a final LF.
func agreeRows(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// agreePhone is the table's file with one line whose phone is p.
func agreePhone(p string) string {
	return agreeRows(agreeHeader, "u1,u1@x.example,Heinz,Ketchup,pw,"+p)
}

// agreeCustoms is a header with every column, custom1 to customN, and one
// valid line.
func agreeCustoms(n int) string {
	cols := []string{"name", "email", "givenName", "surName", "password", "phone", "position", "country", "managedAppleId"}
	vals := []string{"u1", "u1@x.example", "Heinz", "Ketchup", "pw", "+4912345", "Chef", "DE", "u1@apple.example"}
	for k := 1; k <= n; k++ {
		cols = append(cols, "custom"+strconv.Itoa(k))
		vals = append(vals, "c"+strconv.Itoa(k))
	}
	return agreeRows(strings.Join(cols, ","), strings.Join(vals, ","))
}

// agreeCases are edge cases of every rule, on both sides of the edge. fails
// lists the lines the import fails, nil when it imports every line; a
// header problem is one failed line, the header's.
var agreeCases = []struct {
	name  string
	sep   relution.Separator
	in    string
	fails []int
}{
	// Separators.
	{name: "doc example", in: agreeDocCSV},
	{name: "doc example with semicolons", sep: relution.Semicolon, in: strings.ReplaceAll(agreeDocCSV, ",", ";")},
	{name: "comma file read as semicolon", sep: relution.Semicolon, in: agreeDocCSV, fails: []int{1}},
	{name: "semicolon file, commas in values", sep: relution.Semicolon, in: agreeRows(strings.ReplaceAll(agreeHeader, ",", ";"), "u1;a,b@x.example;Heinz;Ketchup, jr.;pw;+4912345")},
	{name: "quoted semicolon in a semicolon file", sep: relution.Semicolon, in: agreeRows(strings.ReplaceAll(agreeHeader, ",", ";"), `u1;u1@x.example;"Semi;colon";Ketchup;pw;`)},

	// Phone: "+" and 4 to 15 digits, nothing else.
	{name: "phone with 4 digits", in: agreePhone("+1234")},
	{name: "phone with 3 digits", in: agreePhone("+123"), fails: []int{2}},
	{name: "phone with 15 digits", in: agreePhone("+123456789012345")},
	{name: "phone with 16 digits", in: agreePhone("+1234567890123456"), fails: []int{2}},
	{name: "phone with spaces", in: agreePhone("+49 30 1234567"), fails: []int{2}},
	{name: "phone with dashes and brackets", in: agreePhone("+49-(30)-1234567"), fails: []int{2}},
	{name: "phone with a leading space", in: agreePhone(" +4912345"), fails: []int{2}},
	{name: "phone with a trailing space, quoted", in: agreePhone(`"+4912345 "`), fails: []int{2}},
	{name: "phone without plus", in: agreePhone("004912345"), fails: []int{2}},
	{name: "phone with full-width digits", in: agreePhone("+49１２３４５"), fails: []int{2}},
	{name: "phone empty", in: agreePhone("")},
	{name: "phone only spaces", in: agreePhone("  "), fails: []int{2}},
	{name: "phone quoted", in: agreePhone(`"+4912345"`)},

	// Mandatory columns and values.
	{name: "mandatory columns only", in: agreeRows("name,email,givenName,surName,password", "u1,u1@x.example,H,K,pw")},
	{name: "columns in any order", in: agreeRows("password,surName,givenName,email,name", "pw,K,H,u1@x.example,u1")},
	{name: "missing mandatory column", in: agreeRows("name,email,givenName,password", "u1,u1@x.example,H,pw"), fails: []int{1}},
	{name: "empty mandatory value", in: agreeRows(agreeHeader, agreeRow, "u2,,Heinz,Ketchup,pw,"), fails: []int{3}},
	{name: "mandatory value of spaces", in: agreeRows(agreeHeader, "u2,u2@x.example,  ,Ketchup,pw,"), fails: []int{2}},
	{name: "mandatory value quoted empty", in: agreeRows(agreeHeader, `u2,u2@x.example,Heinz,Ketchup,"",`), fails: []int{2}},
	{name: "mandatory value of one character", in: agreeRows(agreeHeader, "u,e,H,K,p,")},
	{name: "mandatory values with spaces around", in: agreeRows(agreeHeader, " u2 , u2@x.example , Heinz , Ketchup , pw ,")},
	{name: "every mandatory value empty", in: agreeRows(agreeHeader, ",,,,,"), fails: []int{2}},

	// Header names: exact, untrimmed, known, once.
	{name: "unknown column", in: agreeRows(agreeHeader+",fax", agreeRow+",x")},
	{name: "column with a leading space", in: agreeRows("name, email,givenName,surName,password", "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "column with a trailing space, quoted", in: agreeRows(`name,"email ",givenName,surName,password`, "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "column in the wrong case", in: agreeRows("name,Email,givenName,surName,password", "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "pre-5.34 column name", in: agreeRows("userid,email,givenName,surName,password", "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "duplicate column", in: agreeRows(agreeHeader+",email", agreeRow+",u1@x.example"), fails: []int{1}},
	{name: "unnamed column", in: agreeRows(agreeHeader+",", agreeRow+",")},
	{name: "unicode column name", in: agreeRows("name,émail,givenName,surName,password", "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "quoted column names", in: agreeRows(`"name","email","givenName","surName","password"`, "u1,u1@x.example,H,K,pw")},

	// custom1 to custom15.
	{name: "custom1 to custom15", in: agreeCustoms(15)},
	{name: "custom16", in: agreeRows(agreeHeader+",custom16", agreeRow+",x")},
	{name: "custom0", in: agreeRows(agreeHeader+",custom0", agreeRow+",x")},
	{name: "custom01", in: agreeRows(agreeHeader+",custom01", agreeRow+",x")},
	{name: "custom without number", in: agreeRows(agreeHeader+",custom", agreeRow+",x")},

	// Field counts.
	{name: "one field too many", in: agreeRows(agreeHeader, agreeRow, agreeRow+",x", agreeRow), fails: []int{3}},
	{name: "one field too few", in: agreeRows(agreeHeader, "u1,u1@x.example,Heinz,Ketchup,pw"), fails: []int{2}},
	{name: "a line of spaces", in: agreeRows(agreeHeader, agreeRow, "   ", agreeRow), fails: []int{3}},
	{name: "header only", in: agreeRows(agreeHeader)},

	// BOM, line ends, blank lines.
	{name: "BOM", in: "\ufeff" + agreeDocCSV},
	{name: "BOM before a quoted column name", in: "\ufeff" + agreeRows(`"name",email,givenName,surName,password`, "u1,u1@x.example,H,K,pw")},
	{name: "BOM and an error", in: "\ufeff" + agreeRows(agreeHeader, "u1,,H,K,pw,"), fails: []int{2}},
	{name: "CRLF", in: strings.ReplaceAll(agreeDocCSV, "\n", "\r\n")},
	{name: "CRLF and errors", in: strings.ReplaceAll(agreeRows(agreeHeader, agreeRow, "u2,,H,K,pw,", agreeRow+",x"), "\n", "\r\n"), fails: []int{3, 4}},
	{name: "mixed line ends", in: agreeHeader + "\r\n" + agreeRow + "\n" + "u2,,H,K,pw,\r\n", fails: []int{3}},
	// One line whose "columns" past password are unknown: warnings, and nothing to import.
	{name: "old Mac line ends", in: agreeHeader + "\r" + agreeRow + "\r"},
	{name: "no final line end", in: agreeHeader + "\n" + "u2,,H,K,pw,", fails: []int{2}},
	{name: "blank lines are counted", in: agreeRows(agreeHeader, "", agreeRow, "", "", "u2,,H,K,pw,", ""), fails: []int{6}},
	{name: "blank lines before the header", in: agreeRows("", "", agreeHeader, "u2,,H,K,pw,"), fails: []int{4}},
	{name: "blank line before a bad header", in: agreeRows("", "name,email", "u1,u1@x.example"), fails: []int{2}},
	{name: "blank CRLF lines", in: strings.ReplaceAll(agreeRows(agreeHeader, "", "u2,,H,K,pw,"), "\n", "\r\n"), fails: []int{3}},

	// Quotes.
	{name: "doubled quotes in a quoted field", in: agreeRows(agreeHeader+",position", agreeRow+`,"5"" tall"`)},
	{name: "separator in a quoted field", in: agreeRows(agreeHeader, `u1,u1@x.example,"Ketchup, Heinz",K,pw,`)},
	{name: "bare quote in a field", in: agreeRows(agreeHeader+",position", agreeRow+`,5" tall`, "u2,,H,K,pw,,"), fails: []int{2, 3}},
	{name: "text after a closing quote", in: agreeRows(agreeHeader, `u1,"u1"@x.example,H,K,pw,`), fails: []int{2}},
	{name: "space before an opening quote", in: agreeRows(agreeHeader, `u1, "u1@x.example",H,K,pw,`), fails: []int{2}},
	{name: "bare quote in the header", in: agreeRows(`name,e"mail,givenName,surName,password`, "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "unclosed quote at the end", in: agreeRows(agreeHeader, agreeRow, `"u2,u2@x.example,H,K,pw,`), fails: []int{3}},
	{name: "unclosed quote swallows the rest", in: agreeRows(agreeHeader, `u2,"u2@x.example,H,K,pw,`, agreeRow, "u3,,H,K,pw,"), fails: []int{2}},

	// Quoted line breaks: a record's line is the one it starts on.
	{name: "quoted newline", in: agreeRows(agreeHeader+",position", agreeRow+",\"two\nlines\"", "u2,,H,K,pw,,x"), fails: []int{4}},
	{name: "quoted CRLF, error on the multi-line record", in: agreeRows(agreeHeader+",position", agreeRow+",x", "u2,,H,K,pw,,\"a\r\nb\r\nc\"", agreeRow+",y"), fails: []int{3}},
	{name: "quoted newline in a mandatory field", in: agreeRows(agreeHeader, "u1,u1@x.example,\"Heinz\nKarl\",K,pw,")},
	{name: "quoted newline in the header", in: agreeRows("name,\"email\n\",givenName,surName,password", "u1,u1@x.example,H,K,pw"), fails: []int{1}},
	{name: "quoted newline then a bad quote", in: agreeRows(agreeHeader+",position", agreeRow+",\"a\nb\"", `u2,u2@x.example,H,K,pw,,a"b`), fails: []int{4}},

	// Unicode and encodings.
	{name: "unicode values", in: agreeRows(agreeHeader+",country", "müller,müller@x.example,Jürgen,Müller-Lüdenscheidt,pässwörd,+4912345,Österreich", "東京,t@x.example,太郎,山田,パスワード,,日本", "emoji,e@x.example,🙂,👍🏽,🔑,,🏳️‍🌈")},
	{name: "not UTF-8", in: agreeRows(agreeHeader, agreeRow, "u2,u2@x.example,M\xfcller,K,pw,"), fails: []int{3}},
	{name: "not UTF-8 in an optional field", in: agreeRows(agreeHeader+",country", agreeRow+",\xd6sterreich"), fails: []int{2}},
	{name: "not UTF-8 in the header", in: agreeRows(agreeHeader+",count\xfdry", agreeRow+",x")},

	// Empty files.
	{name: "empty file", in: "", fails: []int{1}},
	{name: "only a BOM", in: "\ufeff", fails: []int{1}},
	{name: "only blank lines", in: "\n\r\n\n", fails: []int{1}},

	// Lines the fake skips are not failures.
	{name: "user twice in the file", in: agreeRows(agreeHeader, agreeRow, agreeRow)},
	{name: "seeded user", in: agreeRows(agreeHeader, "admin,admin@x.example,Ada,Admin,pw,")},
}

func TestCheckCSVAgreesWithFake(t *testing.T) {
	t.Parallel()
	for _, tt := range agreeCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := checkAgainstFake(t, tt.in, tt.sep)
			if !slices.Equal(got, tt.fails) {
				t.Errorf("the fake failed lines %v, want %v\nfile: %q", got, tt.fails, tt.in)
			}
		})
	}
}

// TestCheckCSVAgreesWithFakeRandom does the same for generated files.
func TestCheckCSVAgreesWithFakeRandom(t *testing.T) {
	t.Parallel()
	n := 400
	if testing.Short() {
		n = 100
	}
	rng := rand.New(rand.NewPCG(2024, 534)) // deterministic: a failure names a file that stays the same
	type file struct {
		in  string
		sep relution.Separator
	}
	files := make([]file, n)
	for i := range files {
		g := &csvGen{r: rng, sep: relution.Comma, comma: ','}
		if rng.IntN(3) == 0 {
			g.sep, g.comma = relution.Semicolon, ';'
		}
		files[i] = file{g.file(), g.sep}
	}
	var passed, failed int
	t.Run("files", func(t *testing.T) {
		for i, f := range files {
			if err := relution.CheckCSV(strings.NewReader(f.in), f.sep); err == nil {
				passed++
			} else {
				failed++
			}
			t.Run(fmt.Sprintf("%03d", i), func(t *testing.T) {
				t.Parallel()
				checkAgainstFake(t, f.in, f.sep)
			})
		}
	})
	t.Logf("%d files passed, %d failed", passed, failed)
	// The grammar must exercise both verdicts, or the test proves little.
	if passed < n/5 || failed < n/5 {
		t.Errorf("%d files passed and %d failed the check; want at least %d of each", passed, failed, n/5)
	}
}

// checkAgainstFake runs CheckCSV on in and imports in into a fresh fake
// through the client, fails t unless the two agree (see the top of this
// file), and returns the lines the fake failed, in order.
func checkAgainstFake(t *testing.T, in string, sep relution.Separator) []int {
	t.Helper()
	var (
		checked   []int // lines of line problems, but the header's
		wholeFile []int // lines of whole-file problems
	)
	header := headerLine(in)
	checkErr := relution.CheckCSV(strings.NewReader(in), sep)
	if checkErr != nil {
		var ce *relution.CSVError
		if !errors.As(checkErr, &ce) {
			t.Fatalf("CheckCSV = %v (%T), want nil or *CSVError", checkErr, checkErr)
		}
		for _, p := range ce.Problems {
			switch {
			case p.WholeFile:
				wholeFile = append(wholeFile, p.Line)
			case p.Line == header:
			case len(checked) == 0 || checked[len(checked)-1] != p.Line:
				checked = append(checked, p.Line)
			}
		}
		if ce.WholeFile() != (len(wholeFile) > 0) {
			t.Errorf("WholeFile() = %v, but whole-file problems are on lines %v", ce.WholeFile(), wholeFile)
		}
	}

	srv := relutiontest.NewServer(relutiontest.WithImportPolls(0))
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	job, err := client.ImportJobs.ImportUsers(ctx, strings.NewReader(in), relution.ImportOptions{
		Separator: sep,
		Check:     relution.CheckOff,
		Wait:      relution.WaitOptions{Interval: time.Millisecond, MaxInterval: time.Millisecond},
	})
	if err != nil && !errors.Is(err, relution.ErrJobFailed) {
		t.Fatalf("ImportUsers: %v", err)
	}
	var failedLines []int
	var reports []string
	for r, err := range client.ImportJobs.AllReports(ctx, job.UUID) {
		if err != nil {
			t.Fatalf("AllReports: %v", err)
		}
		reports = append(reports, fmt.Sprintf("%d: [%s] %s", r.Line, r.Status, r.Message))
		if r.Status == relution.ReportFailed {
			failedLines = append(failedLines, r.Line)
		}
	}

	disagree := func(why string) {
		t.Helper()
		t.Errorf("CheckCSV and the fake disagree: %s\nfile (%s): %q\nCheckCSV: %v\nfake job: %s, reports:\n\t%s",
			why, sep, in, checkErr, job.Status, strings.Join(reports, "\n\t"))
	}
	switch {
	case (job.Status == relution.JobFailed) != (len(wholeFile) > 0):
		disagree("one fails the whole file, the other does not")
	case job.Status == relution.JobFailed:
		if len(reports) != 1 || len(failedLines) != 1 {
			disagree("a failed job has more than its header report")
		} else if failedLines[0] != wholeFile[0] {
			disagree(fmt.Sprintf("the fake failed the header on line %d, the check's first whole-file problem is on line %d", failedLines[0], wholeFile[0]))
		}
	case !slices.Equal(failedLines, checked):
		disagree(fmt.Sprintf("the fake failed lines %v, the check reported lines %v", failedLines, checked))
	}
	return failedLines
}

// headerLine is the line the header of in starts on: the first line after
// a BOM and blank lines, as encoding/csv counts them.
func headerLine(in string) int {
	in = strings.TrimPrefix(in, "\ufeff")
	line := 1
	for {
		l, rest, found := strings.Cut(in, "\n")
		if !found || strings.TrimSuffix(l, "\r") != "" {
			return line
		}
		in = rest
		line++
	}
}

// csvGen generates users CSV files from a small grammar of valid and
// invalid headers, fields and line shapes. Most choices are valid, so that
// a good share of files passes, and each invalid one is one rule's edge.
type csvGen struct {
	r     *rand.Rand
	sep   relution.Separator
	comma rune
	users int
}

// chance is true with probability p.
func (g *csvGen) chance(p float64) bool { return g.r.Float64() < p }

// pick returns one of choices.
func pick[T any](g *csvGen, choices ...T) T { return choices[g.r.IntN(len(choices))] }

func (g *csvGen) file() string {
	var b strings.Builder
	if g.chance(0.2) {
		b.WriteString("\ufeff")
	}
	eol := pick(g, "\n", "\n", "\r\n")
	newline := func() {
		if g.chance(0.05) {
			b.WriteString(pick(g, "\n", "\r\n")) // a mixed line end
			return
		}
		b.WriteString(eol)
	}
	if g.chance(0.05) {
		newline() // a blank line before the header
	}
	cols := g.header()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = g.headerName(c)
	}
	b.WriteString(g.join(names))
	lines := g.r.IntN(7)
	for range lines {
		newline()
		if g.chance(0.08) {
			newline() // a blank line
		}
		b.WriteString(g.line(cols))
	}
	if lines == 0 || g.chance(0.85) {
		newline()
	}
	if g.chance(0.05) {
		newline() // a trailing blank line
	}
	return b.String()
}

// header returns the columns of a header, each a known column or, rarely,
// a broken name.
func (g *csvGen) header() []string {
	var cols []string
	for _, c := range []string{"name", "email", "givenName", "surName", "password"} {
		if g.chance(0.97) {
			cols = append(cols, c)
		}
	}
	for _, c := range []string{"phone", "position", "country", "managedAppleId"} {
		if g.chance(0.5) {
			cols = append(cols, c)
		}
	}
	for k := range g.r.IntN(4) {
		cols = append(cols, "custom"+strconv.Itoa(pick(g, k+1, k+1, 15, 1+g.r.IntN(15))))
	}
	if g.chance(0.03) {
		cols = append(cols, "custom"+strconv.Itoa(1+g.r.IntN(15))) // maybe a duplicate
	}
	g.r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	if len(cols) > 0 && g.chance(0.12) {
		i := g.r.IntN(len(cols))
		c := cols[i]
		cols[i] = pick(g,
			" "+c, c+" ", strings.ToUpper(c[:1])+c[1:], "fax", "", "custom16", "custom0", "userid",
			"first name", c+"\xff", "é"+c, cols[(i+1)%len(cols)], // the last one a duplicate, unless alone
		)
	}
	return cols
}

// headerName writes column c, sometimes quoted, rarely with a broken quote.
func (g *csvGen) headerName(c string) string {
	switch {
	case g.chance(0.01):
		return c + `"`
	case g.chance(0.1) || strings.ContainsAny(c, "\"\r\n"+string(g.comma)):
		return quoteField(c)
	}
	return c
}

// line returns one line for cols: their values, or, rarely, a field too
// many or too few.
func (g *csvGen) line(cols []string) string {
	g.users++
	fields := make([]string, len(cols))
	for i, c := range cols {
		fields[i] = g.field(c)
	}
	switch {
	case g.chance(0.02):
		fields = append(fields, g.field("position"))
	case len(fields) > 0 && g.chance(0.02):
		fields = fields[:len(fields)-1]
	}
	return g.join(fields)
}

// join joins already written fields with the separator.
func (g *csvGen) join(fields []string) string { return strings.Join(fields, string(g.comma)) }

// field returns a written field of column c: a value, quoted when it must
// be and sometimes when it need not, or, rarely, broken CSV.
func (g *csvGen) field(c string) string {
	switch {
	case g.chance(0.003):
		return `5" tall` // bare quote
	case g.chance(0.003):
		return `"quoted"text` // text after the closing quote
	case g.chance(0.001):
		return `"unclosed` // swallows the rest of the file
	}
	v := g.value(c)
	if strings.ContainsAny(v, "\"\r\n"+string(g.comma)) || g.chance(0.1) {
		return quoteField(v)
	}
	return v
}

// quoteField quotes v as RFC 4180 does.
func quoteField(v string) string { return `"` + strings.ReplaceAll(v, `"`, `""`) + `"` }

// value returns a value for column c.
func (g *csvGen) value(c string) string {
	if g.chance(0.004) {
		return "M\xfcller" // Latin-1, not UTF-8
	}
	switch c {
	case "name", "email", "givenName", "surName", "password":
		if g.chance(0.015) {
			return pick(g, "", " ", "\t", "  ")
		}
		switch c {
		case "name":
			return pick(g, "user"+strconv.Itoa(g.users), "user"+strconv.Itoa(g.users), "müller"+strconv.Itoa(g.users), "admin", " spaced"+strconv.Itoa(g.users)+" ")
		case "email":
			return pick(g, "user"+strconv.Itoa(g.users)+"@x.example", "a,b@x.example", "a;b@x.example")
		}
		return g.text()
	case "phone":
		return g.phone()
	}
	if g.chance(0.3) {
		return ""
	}
	return g.text()
}

// text returns a free-text value: words, unicode, separators, quotes, line
// breaks, spaces.
func (g *csvGen) text() string {
	return pick(g,
		"Heinz", "Ketchup", "Operations", "p4ssw0rd", "Müller-Lüdenscheidt", "東京", "🙂👍🏽", "Ωmega",
		"Ketchup, jr.", "a;b", `5" tall`, `"quoted"`, "two\nlines", "cr\r\nlf", " padded ", "x",
		"tab\there", "ends with \\", "ü\u0308", "\u00a0nbsp",
	)
}

// phone returns a phone number around the edges of the rule: "+" and 4 to
// 15 digits, nothing else.
func (g *csvGen) phone() string {
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + g.r.IntN(10)))
		}
		return b.String()
	}
	if g.chance(0.25) {
		return ""
	}
	if g.chance(0.8) {
		return "+" + digits(4+g.r.IntN(12))
	}
	return pick(g,
		"+"+digits(3), "+"+digits(16), "+"+digits(1+g.r.IntN(3)), digits(8), "00"+digits(8),
		"+49 30 "+digits(6), "+49-30-"+digits(6), "+49 (0)30 "+digits(5), "+49/"+digits(6), "+49."+digits(6),
		" +"+digits(7), "+"+digits(7)+" ", "+", "", " ", "++"+digits(6), "+49１２３４５", "＋"+digits(7), "+"+digits(3)+"a"+digits(3),
	)
}
