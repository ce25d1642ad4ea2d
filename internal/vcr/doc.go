// Package vcr replays recorded HTTP exchanges (go-vcr v2 cassettes) under roster's HTTP core,
// and records new ones through filters that scrub every secret (DESIGN §7).
//
// A vendor test replays a cassette like this:
//
//	token := vcr.Env(t, "RELUTION_TOKEN", "test-token")
//	hc := vcr.Open(t, "../fixtures/relution/import-users", vcr.WithSecrets(token))
//	client, err := relution.NewClient(relution.Config{
//		BaseURL: vcr.Env(t, "RELUTION_URL", "https://mdm.example.com"), AccessToken: token, HTTPClient: hc})
//	job, err := client.ImportJobs.ImportUsers(ctx, f, relution.ImportOptions{})
//
// The client returned by Open is the transport under the retry loop, so every attempt of a call
// is one interaction of the cassette: a recorded 503 followed by a 200 replays as a retry. A
// request that matches no unused interaction fails at once (the core does not retry a cassette
// miss) with an error that wraps cassette.ErrInteractionNotFound and shows the request as the
// matcher saw it.
//
// # Matching
//
// The matcher compares the method, the path and the decoded query, and the body, after applying
// the same scrubbing (package redact) to the live request and to the recorded one: so a cassette
// whose token reads REDACTED matches a request that carries a real token. The host and scheme
// are ignored, which lets one cassette serve any base URL. Bodies are compared by content type:
// JSON canonically (key order and white space do not matter, numbers are compared as written),
// form bodies as decoded values, other bodies as scrubbed text. Multipart bodies are never
// recorded (an import CSV holds passwords): a multipart request matches a recorded multipart
// request when its boundary is rest.Boundary, whatever its content. Headers are not compared.
// Each interaction is used once: a request takes the first unused one that matches.
//
// # Recording
//
// ROSTER_RECORD=1 switches every Open to recording: the requests go to the real server (the
// test reads its address and credentials with Env, from the variables of DESIGN §8), and when
// the test ends the cassette is written afresh, scrubbed by save filters: the URL, request
// headers, form and body, response status, headers (names too; Set-Cookie; Date is dropped)
// and body. Secrets are found in every encoding package redact knows (either-case percent
// escapes, JSON and HTML escapes, the base64 of Basic credentials). A failed test, or a test
// that sent nothing, leaves the old cassette alone. The file is refused if any known secret
// survived scrubbing.
//
// The scrubbed secrets are the credentials the recorded requests carried (sensitive headers,
// query and form values, JSON values under sensitive keys; the password inside a Basic
// header), the tokens replies handed out under sensitive keys, and what the test names: the
// client's whole secret set with WithRedactor (the usual choice for a vendor test, which
// cannot reach the authorizer its client builds), an authorizer's with WithAuth, values with
// WithSecrets or WithSecretSource, and user names or client ids, hidden only as whole values,
// with WithNames.
//
//	ROSTER_RECORD=1 ROSTER_RECORD_SOURCE="recorded against Relution 5.27 (demo tenant)" \
//		RELUTION_URL=https://mdm.example.com RELUTION_TOKEN=... go test ./relution -run TestImportUsers
//
// # Provenance
//
// A cassette must say where its exchanges come from: its first lines are comments, one of them
// `# source: ...` (the vendor doc's sample, a recording against a named server and version, a
// published spec example, or "synthesized from ..." with what it relied on). Open fails a test
// whose cassette has no such line. go-vcr drops comments when it saves, so recording writes the
// comment block back: ROSTER_RECORD_SOURCE if set, else WithSource, else the block the old file
// had. A recording with none of these fails: only the person recording knows which server
// answered.
package vcr
