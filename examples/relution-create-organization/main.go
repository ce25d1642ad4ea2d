// Command relution-create-organization creates an organization through Relution's creation
// wizard, like script 5 of the vendor's REST API guide ("Create a New Organization",
// https://hub.relution.io/en/docs/settings/rest-api), and prints the server's reply.
//
//	go run ./examples/relution-create-organization -h https://relution.example.com -a SYSADMIN-TOKEN -name "Acme" -unique acme
//
// No public source shows the wizard's request body: the guide's script 5 posts a copy of
// script 6's device query. This example sends a small organization built from the fields of
// Relution's legacy organization model (name, uniqueName, ...); adjust it to what your server
// expects. The call returns the server's JSON undecoded.
//
// Run twice, it creates a second organization: no catalogued call looks an organization up,
// so it cannot tell that the first one exists. It is the one Relution example that is not
// safe to repeat.
//
// It needs a system administrator's token: -h and -a, falling back to RELUTION_URL and
// RELUTION_TOKEN (or RELUTION_USERNAME and RELUTION_PASSWORD). With no server at all it says
// so on stderr and uses the in-memory fake, whose wizard echoes the object back with a new
// uuid; a token, -name or -unique given without a server is refused. It exits 0 on success,
// 1 when the call fails, 2 on bad usage.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("relution-create-organization", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	host := fs.String("h", "", "Relution host (default $RELUTION_URL; none: the in-memory fake)")
	token := fs.String("a", "", "system administrator's access token (default $RELUTION_TOKEN)")
	name := fs.String("name", "", `organization name (default "Example Org")`)
	unique := fs.String("unique", "", `organization unique name (default "example-org")`)
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "relution-create-organization: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: relution-create-organization [-h host -a token] [-name NAME] [-unique UNIQUE-NAME]")
			fs.PrintDefaults()
			return 2
		}
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	explicit := *token != "" || *name != "" || *unique != ""
	if *host == "" {
		*host = os.Getenv("RELUTION_URL")
	}
	if *token == "" {
		*token = os.Getenv("RELUTION_TOKEN")
	}
	explicit = explicit || *token != "" || os.Getenv("RELUTION_USERNAME") != ""
	if *name == "" {
		*name = "Example Org"
	}
	if *unique == "" {
		*unique = "example-org"
	}

	var cfg relution.Config
	switch {
	case *host == "" && explicit:
		// An organization or token without a server is a forgotten -h, not a wish to
		// create it in a fake.
		return fail("Please specify a Host URL (-h)")
	case *host == "":
		srv := relutiontest.NewServer()
		defer srv.Close()
		fmt.Fprintln(stderr, "no -h or RELUTION_URL: creating the organization in the in-memory fake")
		cfg = relution.Config{BaseURL: srv.URL, AccessToken: srv.Token}
	case *token != "":
		cfg = relution.Config{BaseURL: *host, AccessToken: *token}
	default:
		cfg = relution.Config{BaseURL: *host, Username: os.Getenv("RELUTION_USERNAME"), Password: os.Getenv("RELUTION_PASSWORD")}
		if cfg.Username == "" {
			return fail("Please specify an access token (-a or RELUTION_TOKEN)")
		}
	}
	client, err := relution.NewClient(cfg)
	if err != nil {
		return fail("%v", err)
	}
	org := relution.Organization{Name: *name, UniqueName: *unique, ReportLocaleString: "en"}
	fmt.Fprintf(stdout, "Creating organization %q at %s...\n", org.Name, cfg.BaseURL)
	reply, err := client.Organizations.Create(ctx, org)
	if err != nil {
		fmt.Fprintf(stderr, "relution-create-organization: %v\n", err)
		return 1
	}
	var out bytes.Buffer
	if err := json.Indent(&out, reply, "", "  "); err != nil {
		// Any 2xx reply is success: its body, if any, is shown as it came.
		out.Reset()
		out.Write(reply)
	}
	fmt.Fprintf(stdout, "Done. Server replied:\n%s\n", out.Bytes())
	return 0
}
