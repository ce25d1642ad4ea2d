package rest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/rosterhq/roster/internal/redact"
)

// Boundary is the fixed multipart boundary of every upload: it keeps bodies byte-identical
// between attempts and lets cassettes match. Its random-looking tail makes a clash with file
// content as unlikely as a generated one.
const Boundary = "roster-3b9f2c71e05d4a86a1c8d7f6e2b4a903"

// FormField is a plain multipart field.
type FormField struct {
	Name, Value string
}

// Multipart is a multipart/form-data body: plain fields, then one file part streamed from
// File. Size must be File's length; the body is never read whole into memory.
type Multipart struct {
	Fields      []FormField
	FileField   string // part name, e.g. "file"
	FileName    string
	ContentType string // of the file part, e.g. "text/csv"
	File        io.ReaderAt
	Size        int64
}

// SetMultipart sets a multipart body of known length, rewound on every attempt.
func (r *Request) SetMultipart(m Multipart) error {
	if m.File == nil || m.FileField == "" {
		return errors.New("rest: multipart body needs a file and its field name")
	}
	if m.Size < 0 {
		return errors.New("rest: negative multipart file size")
	}
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	if err := w.SetBoundary(Boundary); err != nil {
		return err
	}
	var secrets []string
	for _, f := range m.Fields {
		if err := w.WriteField(f.Name, f.Value); err != nil {
			return err
		}
		if redact.SensitiveKey(f.Name) {
			secrets = append(secrets, f.Value)
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
		escapeQuotes(m.FileField), escapeQuotes(m.FileName)))
	ct := m.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	if _, err := w.CreatePart(h); err != nil {
		return err
	}
	prefix := head.Bytes()
	suffix := "\r\n--" + Boundary + "--\r\n"
	file, size := m.File, m.Size
	r.SetStream(w.FormDataContentType(), int64(len(prefix))+size+int64(len(suffix)), func() (io.Reader, error) {
		return io.MultiReader(bytes.NewReader(prefix), io.NewSectionReader(file, 0, size), strings.NewReader(suffix)), nil
	})
	r.AddSecrets(secrets...)
	return nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }
