// Package fake holds what every vendor's in-memory fake server shares: strict
// JSON decoding (duplicate and unknown keys are errors), credential checks, a
// request log and fault injection.
//
// A vendor fake wraps its handler once:
//
//	kit := fake.NewKit(writeVendorError)
//	srv := httptest.NewServer(kit.Handler(mux))
//
// and its users plan faults and read the log through the Kit:
//
//	kit.Inject(fake.Fault{Method: "POST", Path: "/api/users", Status: 503, Count: 2})
//	...
//	reqs := kit.Requests()
package fake
