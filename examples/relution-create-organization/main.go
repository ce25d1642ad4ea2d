// Command relution-create-organization creates an organization through Relution's creation
// wizard, like script 5 of the vendor's REST API guide ("Create a New Organization"), and
// prints the server's reply.
//
// No public source shows the wizard's request body: the guide's script 5 posts a copy of
// script 6's device query. This example sends a small organization built from the fields of
// Relution's legacy organization model (name, uniqueName, ...); adjust it to what your server
// expects. The call returns the server's JSON undecoded.
//
// It needs a system administrator's token: RELUTION_URL and RELUTION_TOKEN (or
// RELUTION_USERNAME and RELUTION_PASSWORD). With no server it uses the in-memory fake, whose
// wizard echoes the object back with a new uuid.
package main

import (
	"bytes"
	"context"
	"encoding/json"
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
	name := flag.String("name", "Example Org", "organization name")
	unique := flag.String("unique", "example-org", "organization unique name")
	flag.Parse()
	err := run(ctx, os.Stdout, relution.Organization{Name: *name, UniqueName: *unique, ReportLocaleString: "en"})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "relution-create-organization:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout io.Writer, org relution.Organization) error {
	cfg := relution.Config{
		BaseURL:     os.Getenv("RELUTION_URL"),
		AccessToken: os.Getenv("RELUTION_TOKEN"),
	}
	if cfg.BaseURL == "" {
		srv := relutiontest.NewServer()
		defer srv.Close()
		cfg.BaseURL, cfg.AccessToken = srv.URL, srv.Token
	} else if cfg.AccessToken == "" {
		cfg.Username, cfg.Password = os.Getenv("RELUTION_USERNAME"), os.Getenv("RELUTION_PASSWORD")
	}
	client, err := relution.NewClient(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Creating organization %q at %s...\n", org.Name, cfg.BaseURL)
	reply, err := client.Organizations.Create(ctx, org)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, reply, "", "  "); err != nil {
		return fmt.Errorf("reply is not JSON: %w", err)
	}
	fmt.Fprintf(stdout, "Done. Server replied:\n%s\n", out.Bytes())
	return nil
}
