// Package roster is a Go SDK for provisioning and managing users, groups,
// devices and apps in five vendor systems over their REST APIs. This package
// holds no code: it is the overview. The work is done by one package per
// vendor:
//
//   - relution: Relution MDM (CSV user import, organizations, devices, users,
//     groups, apps)
//   - reltio: Reltio user management (the Auth service)
//   - razuna: the Razuna User API
//   - duostation: DuoSTATION MDM (groups, users, devices, tags, apps)
//   - relativity: the Relativity User Manager (Relativity-Identity)
//
// Each vendor's endpoint catalogue, the list of REST calls its package makes,
// is fixtures/<vendor>/endpoints.tsv; the README's vendor table sums them up.
//
// # Clients
//
// Every vendor package has the same shape: a Config struct, validated by
// NewClient, and a Client whose services are fields:
//
//	client, err := relution.NewClient(relution.Config{
//		BaseURL:     "https://mdm.example.com",
//		AccessToken: os.Getenv("RELUTION_TOKEN"),
//	})
//	if err != nil {
//		return err // names the missing or malformed field
//	}
//	f, err := os.Open("users.csv")
//	if err != nil {
//		return err
//	}
//	defer f.Close()
//	job, err := client.ImportJobs.ImportUsers(ctx, f, relution.ImportOptions{
//		Role: "Organame Device User", Separator: relution.Comma,
//	})
//
// NewClient does no I/O. Besides its vendor fields (base URL, credentials, API
// version), every Config has HTTPClient, Logger, Retry and UserAgent, each
// with a documented default. Without an HTTPClient, each client keeps a pool of
// up to 100 idle connections per host, so concurrent callers reuse them. Every
// reply is read under a size cap, gzip undone, so a hostile or broken server
// cannot exhaust memory. Every method takes a context.Context first. A
// List method returns one page; an All method returns an iter.Seq2 over every
// page. Long-running work has a Wait method that polls until the job ends.
//
// # Authentication
//
// Each vendor authenticates its own way, and the client does it on every
// request: an access-token header (Relution's X-User-Access-Token), HTTP Basic
// (DuoSTATION, Relativity, Relution), an OAuth2 bearer token fetched and
// cached by the client (Reltio, Relativity), or a session token from a login
// call, cached and renewed when the vendor says it expired (Razuna). A token
// that can be refreshed is refreshed once after a 401, and the request is sent
// once more; never in a loop.
//
// # Errors
//
// A call that fails at the server or on the way returns an *Error, with the
// HTTP status, the method, the URL, the vendor's error code and message, the
// reply body and headers, the Retry-After the server asked for and the
// vendor's request id; tokens and passwords are removed from all of them.
// Every vendor package re-exports the same Error type, so one errors.As target
// serves all five. A call cut short by its context names the call and still
// matches the context's error. Test for kinds of failure with [errors.Is] and
// the sentinels every vendor package exports:
//
//	ErrNotFound      404
//	ErrUnauthorized  401
//	ErrForbidden     403
//	ErrConflict      409 (and vendor signals meaning "already exists")
//	ErrRateLimited   429, or a Retry-After longer than the policy allows
//	ErrUnavailable   502, 503, 504
//	ErrMaybeApplied  a change whose reply was lost, unreadable or a 5xx: the server may have applied it
//
// Input that is wrong before anything is sent (a missing field, a bad CSV
// line) is a *ValidationError naming the field, and matches ErrInvalidInput.
//
// # Retries
//
// One rule for every vendor, set by Config.Retry (a RetryPolicy: by default 4
// attempts, waits from 200 ms doubling up to 10 s):
//
//   - Reads (GET, and the few POST queries that change nothing) are retried on
//     network errors and on 429, 502, 503 and 504.
//   - Writes are sent again only when they provably did not take effect: the
//     connection was never made, the server answered 429, or it answered 401
//     (or the vendor's "session expired") and the credentials were refreshed
//     once. After any 5xx (500 included), a timeout or a connection lost
//     mid-request, a write is not resent: the error matches ErrMaybeApplied,
//     and you should check the server before trying again.
//   - A Retry-After header is honoured up to the policy's MaxWait; a longer one
//     fails the call at once with ErrRateLimited. Every wait ends when the
//     context is done.
//
// # Logging
//
// Set Config.Logger to a *slog.Logger to get one Debug record per HTTP attempt
// (method, URL, status, duration, attempt number). A nil Logger means silence.
// Bodies are never logged, and secrets (tokens, passwords, API keys, session
// values, cookies) are replaced by REDACTED in URLs, headers and errors.
//
// # Testing with fakes
//
// Each vendor package comes with <vendor>test, an in-memory fake of the
// vendor's API on net/http/httptest, seeded with the vendor doc's sample data
// and as strict as the real server about paths, fields and authentication:
//
//	srv := relutiontest.NewServer()
//	defer srv.Close()
//	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
//
// The fakes record requests and can inject faults (an error status, latency,
// a reply lost after the change was applied), so code that handles failures
// can be tested too.
//
// # Examples
//
// The programs under examples/ do one real task each. With no server in the
// environment they start the vendor's fake in-process, so
//
//	go run ./examples/relution-import-users
//
// works anywhere; with RELUTION_URL and RELUTION_TOKEN (or the flags -h and
// -a) it imports into a real Relution server instead, making the same calls.
package roster
