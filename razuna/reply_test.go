package razuna

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Bodies as a Razuna 74ce1f07 server sent them (Jetty 9.4, H2), tokens masked.
const (
	plainLogin = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<responsecode>0</responsecode>\n" +
		"<sessiontoken>0000DEADBEEF00000000000000000005</sessiontoken>\n</Response>\n"
	wddxLogin = "<wddxPacket version='1.0'><header></header><data><string>&lt;?xml version=\"1.0\" encoding=\"UTF-8\"?&gt;" +
		"<char code='0a'/>&lt;Response&gt;<char code='0a'/>&lt;responsecode&gt;0&lt;/responsecode&gt;<char code='0a'/>" +
		"&lt;sessiontoken&gt;0000DEADBEEF00000000000000000004&lt;/sessiontoken&gt;<char code='0a'/>&lt;/Response&gt;" +
		"<char code='0a'/><char code='09'/><char code='09'/><char code='09'/></string></data></wddxPacket>"
	wddxUmlaut = "<wddxPacket version='1.0'><header></header><data><string>&lt;?xml version=\"1.0\" encoding=\"UTF-8\"?&gt;" +
		"<char code='0a'/>&lt;Response&gt;<char code='0a'/>&lt;responsecode&gt;0&lt;/responsecode&gt;<char code='0a'/>" +
		"&lt;userid&gt;4F1C5A9E-0B6B-4C7E-9A1D2B3C4D5E6F70&lt;/userid&gt;<char code='0a'/>&lt;loginname&gt;u8&lt;/loginname&gt;" +
		"<char code='0a'/>&lt;email&gt;u8@doe.com&lt;/email&gt;<char code='0a'/>" +
		"&lt;firstname&gt;J&amp;#xfc;rgen &amp;amp; &amp;lt;Co&amp;gt; &amp;quot;q&amp;quot;&lt;/firstname&gt;<char code='0a'/>" +
		"&lt;lastname&gt;&amp;#xdc;n&amp;#xef;c&amp;#xf8;d&amp;#xe9;&amp;apos;s&lt;/lastname&gt;<char code='0a'/>" +
		"&lt;/Response&gt;<char code='0a'/><char code='09'/><char code='09'/><char code='09'/><char code='09'/></string></data></wddxPacket>"
	plainUmlaut = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<responsecode>0</responsecode>\n" +
		"<userid>4F1C5A9E-0B6B-4C7E-9A1D2B3C4D5E6F70</userid>\n<loginname>u8</loginname>\n<email>u8@doe.com</email>\n" +
		"<firstname>J&#xfc;rgen &amp; &lt;Co&gt; &quot;q&quot;</firstname>\n<lastname>&#xdc;n&#xef;c&#xf8;d&#xe9;&apos;s</lastname>\n</Response>\n"
	pageMissingArg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<error>\n" +
		"<message><![CDATA[Value not provided for required argument SESSIONTOKEN of function getuser()]]></message>\n" +
		"<errorcode><![CDATA[errorCode.runtimeError]]></errorcode>\n<detail><![CDATA[]]></detail>\n</error>\n</Response>\n"
	pageRestart = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<error>\n" +
		"<message><![CDATA[application.razuna.userid[0000DEADBEEF00000000000000000014] doesn't exist.]]></message>\n" +
		"<errorcode><![CDATA[]]></errorcode>\n<detail><![CDATA[Error at line 1, column 27]]></detail>\n</error>\n</Response>\n\n\t    \n\t"
	plainExists = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<responsecode>1</responsecode>\n" +
		"<message>User already exists</message>\n<userid>0AE29A3F-EE73-4C2B-BF6AE2E91CBC318A</userid>\n</Response>\n"
	plainDenied = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n<responsecode>1</responsecode>\n" +
		"<sessiontoken>Access Denied</sessiontoken>\n</Response>\n"
)

func TestParseReply(t *testing.T) {
	t.Parallel()
	umlaut := map[string]string{
		"userid": "4F1C5A9E-0B6B-4C7E-9A1D2B3C4D5E6F70", "loginname": "u8", "email": "u8@doe.com",
		"firstname": `Jürgen & <Co> "q"`, "lastname": "Ünïcødé's",
	}
	tests := []struct {
		name   string
		body   string
		page   bool
		code   string
		fields map[string]string
	}{
		{"plain login", plainLogin, false, "0", map[string]string{"sessiontoken": "0000DEADBEEF00000000000000000005"}},
		{"wddx login", wddxLogin, false, "0", map[string]string{"sessiontoken": "0000DEADBEEF00000000000000000004"}},
		{"plain escapes", plainUmlaut, false, "0", umlaut},
		{"wddx escapes twice", wddxUmlaut, false, "0", umlaut},
		{"exists", plainExists, false, "1", map[string]string{"message": msgUserExists, "userid": "0AE29A3F-EE73-4C2B-BF6AE2E91CBC318A"}},
		{"page", pageMissingArg, true, "", map[string]string{
			"message":   "Value not provided for required argument SESSIONTOKEN of function getuser()",
			"errorcode": "errorCode.runtimeError", "detail": "",
		}},
		{"doc's capitals", "<Response><ResponseCode> 0 </ResponseCode><SessionToken>T</SessionToken></Response>", false, "0",
			map[string]string{"sessiontoken": "T"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := parseReply([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if r.page != tt.page || r.code != tt.code {
				t.Errorf("page %v code %q, want %v %q", r.page, r.code, tt.page, tt.code)
			}
			if diff := cmp.Diff(tt.fields, r.fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseReplyRefusesOtherShapes(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"",
		"<html><body>OpenBD Internal Server Error</body></html>",
		`"<Response><responsecode>0</responsecode></Response>"`,
		"<Response><message>no code</message></Response>",
		"<Response><responsecode>2</responsecode></Response>",
		"<Response><responsecode>0</responsecode></Response><Response><responsecode>0</responsecode></Response>",
		"<Response><responsecode>0</responsecode>",
		`<?xml version="1.0" encoding="ISO-8859-1"?><Response><responsecode>0</responsecode></Response>`,
		"<wddxPacket version='1.0'><data><number>1</number></data></wddxPacket>",
		"<wddxPacket version='1.0'><data><string>&lt;Response&gt;<char code='zz'/></string></data></wddxPacket>",
		"<wddxPacket version='1.0'><data><string>a</string><string>b</string></data></wddxPacket>",
		"<Response><responsecode>0</responsecode><a><b><c><d><e><f><g><h>x</h></g></f></e></d></c></b></a></Response>",
	} {
		if r, err := parseReply([]byte(body)); !errors.Is(err, errNotReply) {
			t.Errorf("parseReply(%q) = %+v, %v; want errNotReply", body, r, err)
		}
	}
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]error{
		plainExists: ErrConflict,
		plainDenied: ErrUnauthorized,
		"<Response><responsecode>1</responsecode><message>Session timeout</message></Response>":                     ErrUnauthorized,
		"<Response><responsecode>1</responsecode><message>User with the ID could not be found</message></Response>": ErrNotFound,
		"<Response><responsecode>1</responsecode><message>User is not a System Administrator</message></Response>":  ErrForbidden,
		"<Response><responsecode>1</responsecode><message>Something new</message></Response>":                       nil,
		pageMissingArg: nil,
	} {
		r, err := parseReply([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := kindOf(r); got != want {
			t.Errorf("kindOf(%q) = %v, want %v", body, got, want)
		}
	}
}

func TestRestartKey(t *testing.T) {
	t.Parallel()
	for msg, want := range map[string]string{
		"application.razuna.userid[0000DEADBEEF00000000000000000014] doesn't exist.": "userid",
		"application.razuna.hostid[0000DEADBEEF00000000000000000014] doesn't exist.": "hostid",
		"application.razuna.prefix[arguments.sessiontoken] doesn't exist.":           "prefix",
		"application.razuna.userid[x] doesn't exist. Really.":                        "",
		"Variable [THEXML] does not exist":                                           "",
	} {
		if got := restartKey(msg); got != want {
			t.Errorf("restartKey(%q) = %q, want %q", msg, got, want)
		}
	}
	r, err := parseReply([]byte(pageRestart))
	if err != nil || !r.page || restartKey(r.get("message")) != "userid" {
		t.Errorf("restart page: %+v, %v", r, err)
	}
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{plainLogin, wddxLogin, wddxUmlaut, plainUmlaut, pageMissingArg, pageRestart, plainExists} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseReply(body)
		if err != nil {
			if !errors.Is(err, errNotReply) {
				t.Fatalf("error %v does not wrap errNotReply", err)
			}
			return
		}
		if r.page == (r.code != "") {
			t.Fatalf("page %v with code %q", r.page, r.code)
		}
		if !r.page && r.code != "0" && r.code != "1" {
			t.Fatalf("code %q", r.code)
		}
		for k, v := range r.fields {
			if k != strings.ToLower(k) || v != strings.TrimSpace(v) {
				t.Fatalf("field %q = %q not normalised", k, v)
			}
		}
		_ = kindOf(r)
		_ = restartKey(r.get("message"))
	})
}
