// Package duostationtest runs a strict, in-memory fake of the DuoSTATION MDM REST API
// (v4.8.46), seeded with the document's own examples: the groups Customers and
// Customers\Company Inc, the user stefan@programduon.se in Company Inc, and that user's device
// with serial number SN123456ABC.
//
//	srv := duostationtest.NewServer()
//	defer srv.Close()
//	client, _ := duostation.NewClient(srv.Config())
//	srv.Kit().Inject(duostationtest.Fault{Method: "POST", Path: "/api/devices/{id}/wipedevice", DropAfterApply: true})
//	// ... run the code under test, then check srv.Commands(id), srv.Users(), srv.Kit().Requests() ...
//
// It serves exactly the 41 endpoints of the document, with HTTP Basic on every request, and
// refuses what a strict reading of the document refuses: unknown paths, methods, query
// parameters and JSON keys (including keys that match only when case is ignored), empty
// search parameters, null values, ids sent as strings, and bodies where the document has
// none. It keeps the document's rules: a group with subgroups or links cannot be deleted, nor
// a user with devices, nor a tag that is linked; a group path that matches several groups is
// an error; moving a user to another group moves the user's devices; apps are added or
// updated by package id, platform and store. It logs every command each device receives.
//
// The document shows no response body and no error body. The fake answers with PascalCase
// keys ("Id", "SerialNumber"), as the one public client that reads a reply expects, and with
// errors shaped as ASP.NET writes them ({"Message": "..."}). Statuses for refusals are the
// fake's choice: 400 for malformed input, 404 for an unknown id, 409 for a rule of the
// document, 401 for bad credentials. A created object's id comes as a bare number unless
// WithIDForm says otherwise.
package duostationtest
