package redact

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func benchRedactor() *Redactor {
	r := New(func() []string {
		return []string{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}
	})
	r.Add("Sommer/2024+Neu", "client-secret-0123456789")
	r.AddWhole("ops")
	return r
}

// An error message: what every failed call redacts a few times.
func BenchmarkString(b *testing.B) {
	r := benchRedactor()
	const msg = `relution: GET https://mdm.example.com/api/v1/security/users/7f3c?filter=name: 404 Not Found: {"message":"user not found"}`
	b.ReportAllocs()
	for b.Loop() {
		_ = r.String(msg)
	}
}

func BenchmarkURL(b *testing.B) {
	r := benchRedactor()
	u, _ := url.Parse("https://mdm.example.com/api/v1/security/users?limit=100&offset=200&sessiontoken=abc&filter=name")
	b.ReportAllocs()
	for b.Loop() {
		_ = r.URL(u)
	}
}

// A 1 MiB error body: the most a failed call redacts.
func BenchmarkBody1MiB(b *testing.B) {
	r := benchRedactor()
	var sb strings.Builder
	sb.WriteString(`{"errors":[`)
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, `{"id":%d,"message":"value 50%% of https:\/\/h\/x?a=b&amp;c=d is invalid","user":"user%d"},`, i, i)
	}
	sb.WriteString(`{}]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Body("application/json", body)
	}
}

func BenchmarkBodyText1MiB(b *testing.B) {
	r := benchRedactor()
	body := []byte(strings.Repeat("<p>An error page with some words and 100% of &amp; entities</p>\n", 1<<20/64))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Body("text/html", body)
	}
}

func BenchmarkBodyLimitRun(b *testing.B) {
	r := benchRedactor()
	body := []byte(strings.Repeat("x", 1<<20+100))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.BodyLimit("text/plain", body, 1<<20)
	}
}

// A hostile body: every byte starts an escape and the secret starts with what it decodes to.
func BenchmarkBodyAdversarial(b *testing.B) {
	r := New()
	r.Add(`\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\x`, `%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%x`, "&&&&&&&&&&&&&&&&&&&&&&&&&&&x")
	body := []byte(strings.Repeat(`\\\\%25%25&amp;&amp;\u005c`, 64<<10/28))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = r.Body("text/plain", body)
	}
}
