// Package razunatest runs a strict, in-memory fake of Razuna's user API (v1 with session
// tokens, v2 with API keys), seeded as a freshly set-up Razuna server: host 1 ("demo"), the
// administrator "admin" (password "admin", groups 1 SystemAdmin and 2 Administrator):
//
//	srv := razunatest.NewServer()
//	defer srv.Close()
//	client, _ := razuna.NewClient(razuna.Config{BaseURL: srv.URL, HostID: srv.HostID,
//		Username: srv.Username, Password: srv.Password})
//	// ... run the code under test, then check srv.User("jdoe").PasswordHash, srv.Kit().Requests() ...
//
// It answers as a Razuna 74ce1f07 server does, byte for byte where the razuna package's
// recordings show the reply: HTTP 200 for every result, result code 1 with the server's exact
// messages, the exception page for errors, WDDX unless __BDRETURNFORMAT asks otherwise,
// sessions that time out after 30 idle minutes (ExpireSessions) and the errors of a restarted
// server (Restart). Like the server it writes partially before some errors: add creates the
// user before it fails on an unknown group, update applies the pairs before a bad one.
//
// It is stricter than the server where the razuna package must be: a session token, password,
// API key or userdata in the URL, method or __BDRETURNFORMAT in both the query and the form,
// and a parameter the method does not take are answered with an exception page whose message
// starts with "razunatest:".
package razunatest
