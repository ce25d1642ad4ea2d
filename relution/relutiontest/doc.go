// Package relutiontest runs a strict, in-memory fake of the Relution REST
// API, seeded with the organization "Organame" and fixed sample data, for
// the tests of code built on package relution:
//
//	srv := relutiontest.NewServer(relutiontest.WithImportPolls(1))
//	defer srv.Close()
//	client := srv.NewClient() // a *relution.Client for the fake
//	srv.SeedDevice(relution.Device{Name: "Kiosk", Status: relution.StatusCompliant})
//	srv.Kit().Inject(relutiontest.Fault{Path: "/api/v2/devices/baseInfo/query", Status: 503})
//	// ... run the code under test with client, then check what it did:
//	// srv.User("max"), srv.Requests("POST", "/api/v2/devices/baseInfo/query") ...
//
// The seeded objects' UUIDs are constants (PixelUUID) and uuid.UUID values
// (PixelID); SeedUser and SeedDevice take the relution package's own types.
//
// Paths, methods, parameters and JSON keys outside the wire contract get
// Relution's error body. The organization creation wizard is a stand-in: no
// source shows its real body, so it echoes the posted object with a new uuid.
package relutiontest
