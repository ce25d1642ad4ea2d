package fake

import (
	"encoding/xml"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
)

type xmlUser struct {
	XMLName   xml.Name `xml:"Response"`
	Code      int      `xml:"responsecode"`
	ID        string   `xml:"id,attr,omitempty"`
	FirstName string   `xml:"firstname"`
	LastName  string   `xml:"lastname"`
	Message   string   `xml:"message,omitempty"`
	Detail    *cdata   `xml:"detail,omitempty"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

func TestWriteXML(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteXML(w, http.StatusCreated, xmlUser{FirstName: `Jürgen & <Co> "q"`, LastName: "Ünïcødé's"})
	if w.Code != http.StatusCreated || w.Header().Get("Content-Type") != "text/xml; charset=UTF-8" {
		t.Errorf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Response><responsecode>0</responsecode><firstname>Jürgen &amp; &lt;Co&gt; &#34;q&#34;</firstname>` +
		`<lastname>Ünïcødé&#39;s</lastname></Response>`
	if got := w.Body.String(); got != want {
		t.Errorf("body:\n%s\nwant:\n%s", got, want)
	}
	// What it writes parses back to the same values.
	var back xmlUser
	if err := xml.Unmarshal(w.Body.Bytes(), &back); err != nil || back.FirstName != `Jürgen & <Co> "q"` || back.LastName != "Ünïcødé's" {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

// Razuna escapes non-ASCII as hexadecimal references and quotes as named
// entities: the body below is what the observed server sent for the same
// names (observed/real-extra/X05_getuser_u8_plain.http).
func TestXMLASCII(t *testing.T) {
	t.Parallel()
	x := XML{ContentType: "text/html;charset=utf-8", ASCII: true}
	w := httptest.NewRecorder()
	x.Write(w, http.StatusOK, xmlUser{
		ID:        "ä\"'",
		FirstName: `Jürgen & <Co> "q"`,
		LastName:  "Ünïcødé's",
		Message:   "😀 \u00a0",
		Detail:    &cdata{"ünchanged 'in' CDATA"},
	})
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/html;charset=utf-8" {
		t.Errorf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Response id="&#xe4;&quot;&apos;"><responsecode>0</responsecode>` +
		`<firstname>J&#xfc;rgen &amp; &lt;Co&gt; &quot;q&quot;</firstname>` +
		`<lastname>&#xdc;n&#xef;c&#xf8;d&#xe9;&apos;s</lastname>` +
		`<message>&#x1f600; &#xa0;</message>` +
		`<detail><![CDATA[ünchanged 'in' CDATA]]></detail></Response>`
	if got := w.Body.String(); got != want {
		t.Errorf("body:\n%s\nwant:\n%s", got, want)
	}
	var back xmlUser
	if err := xml.Unmarshal(w.Body.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != "ä\"'" || back.FirstName != `Jürgen & <Co> "q"` || back.LastName != "Ünïcødé's" || back.Message != "😀 \u00a0" || back.Detail.Text != "ünchanged 'in' CDATA" {
		t.Errorf("round trip = %+v", back)
	}
}

func TestXMLEscapeText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		x    XML
		in   string
		want string
	}{
		{XML{}, `a<b>&"c'ü`, "a&lt;b&gt;&amp;&#34;c&#39;ü"},
		{XML{ASCII: true}, `a<b>&"c'ü`, "a&lt;b&gt;&amp;&quot;c&apos;&#xfc;"},
		{XML{ASCII: true}, "<![CDATA[ü]]>", "&lt;![CDATA[&#xfc;]]&gt;"},
	} {
		if got := tt.x.EscapeText(tt.in); got != tt.want {
			t.Errorf("%+v.EscapeText(%q) = %q, want %q", tt.x, tt.in, got, tt.want)
		}
	}
}

func TestXMLMarshalError(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteXML(w, http.StatusOK, map[string]float64{"x": math.Pi})
	if w.Code != http.StatusInternalServerError {
		t.Errorf("unmarshallable value: status %d, want 500", w.Code)
	}
	if _, err := (XML{ASCII: true}).Marshal(make(chan int)); err == nil {
		t.Error("Marshal(chan) succeeded")
	}
}
