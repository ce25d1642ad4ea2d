// Package relutiontest runs a strict, in-memory fake of the Relution REST
// API, seeded with the organization "Organame" and fixed sample data:
//
//	srv := relutiontest.NewServer(relutiontest.WithImportPolls(1))
//	defer srv.Close()
//	client, _ := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
//	srv.Kit().Inject(relutiontest.Fault{Path: "/api/v2/devices/baseInfo/query", Status: 503})
//	// ... run the code under test, then check srv.User("max"), srv.Kit().Requests() ...
//
// Paths, methods, parameters and JSON keys outside the wire contract get
// Relution's error body. The organization creation wizard is a stand-in: no
// source shows its real body, so it echoes the posted object with a new uuid.
package relutiontest
