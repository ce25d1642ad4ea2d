// Package fake holds what every vendor's in-memory fake server shares:
// routing from catalogue templates, strict JSON and form decoding, JSON and
// XML writers, credential checks, an OAuth2 token endpoint, a request log
// and fault injection.
//
// # Routes
//
// A vendor fake declares its endpoints with the catalogue's own templates
// (the rows of endpoints.tsv) and serves them with a Router:
//
//	routes := []fake.Route{
//		{Method: "GET", Path: "/api/users/{id}", Handle: s.getUser},
//		{Method: "GET", Path: "/api/groups?path={path}", Handle: s.groupByPath},
//		{Method: "GET", Path: "/api/groups", Query: []string{"limit", "offset"}, Handle: s.listGroups},
//		{Method: "POST", Path: "/global/api/user.cfc?method=add", Body: fake.BodyForm, Handle: s.addUser},
//		{Method: "POST", Path: "/token", Body: fake.BodyAny, Public: true, Handle: s.tokens.Handle},
//	}
//	rt := fake.NewRouter(fake.RouterConfig{Auth: s.authorized, Error: writeError}, routes)
//
// The Router checks credentials first (RouterConfig.Auth; Public routes skip
// it), picks the most specific route (more literal segments, then a literal
// further left, then more query selectors), answers 404, 405 with Allow, and
// an unknown ?method= itself through the vendor's ErrorWriter, refuses
// unknown, repeated and missing query parameters and bodies of the wrong
// kind, and hands the handler a *Call:
//
//	func (s *Server) getUser(c *fake.Call) {
//		u, ok := s.users[c.Var("id")]
//		if !ok {
//			c.Error(404, "USER_NOT_FOUND", "no user "+c.Var("id"))
//			return
//		}
//		c.JSON(200, u)
//	}
//
// Handlers decode bodies strictly with Call.DecodeJSON or Call.DecodeForm
// (or DecodeJSON and DecodeForm), which refuse duplicate, unknown, repeated
// and missing fields with a *DecodeError naming the field.
//
// Razuna-style session checks that need the form (a sessiontoken field) go
// in RouterConfig.Check, which sees the decoded Call and can skip Public
// routes itself.
//
// # Replies
//
// WriteJSON (Call.JSON) writes JSON as Java servers do; WriteXML writes
// text/xml, and an XML value writes for a vendor whose server escapes
// differently (XML{ASCII: true}: non-ASCII as &#xfc;, as Razuna does).
//
// # Tokens
//
// A TokenServer is one OAuth2 token endpoint (client credentials, password
// and refresh grants; client authentication by Basic for Reltio or by form
// fields for Relativity; short lifetimes; a rate limit answering 429). The
// vendor fake mounts it on a Public route and validates bearer tokens with
// it in its auth check:
//
//	tokens := fake.NewTokenServer(fake.TokenConfig{ClientID: id, ClientSecret: secret, RateLimit: 10})
//	auth := func(w http.ResponseWriter, r *http.Request) bool {
//		if _, err := tokens.Check(r); err != nil {
//			writeError(w, r, 401, "invalid_token", "Token is invalid")
//			return false
//		}
//		return true
//	}
//
// Tests end every token at once with ExpireAll and read the counts with
// Stats.
//
// # Log and faults
//
// A Kit wraps the whole handler, router included:
//
//	kit := fake.NewKit(writeError)
//	srv := httptest.NewServer(kit.Handler(rt))
//
// and tests plan faults and read the log through it:
//
//	kit.Inject(fake.Fault{Method: "POST", Path: "/global/api/user.cfc", Query: "method=add", Status: 503})
//	...
//	reqs := kit.Requests()
//
// An injected Status is a real HTTP status with a plain-text body, never
// the vendor's error shape (Razuna's own errors are HTTP 200 pages; an
// injected 503 is still a 503); NewKit's WithFaultWriter changes that.
package fake
