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
package fake
