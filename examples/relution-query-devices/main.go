// Command relution-query-devices lists the compliant Android and iOS devices of an
// organization, newest connection first, like script 6 of the vendor's REST API guide
// ("Query Devices in an Organization"), and prints their names as jq would.
//
// The server and token come from RELUTION_URL and RELUTION_TOKEN (or RELUTION_USERNAME and
// RELUTION_PASSWORD), the optional organization from RELUTION_ORG. With no server it queries
// the in-memory fake (relutiontest) and its sample devices.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"

	"github.com/google/uuid"
	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "relution-query-devices:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, stdout io.Writer) error {
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
	if org := os.Getenv("RELUTION_ORG"); org != "" {
		id, err := uuid.Parse(org)
		if err != nil {
			return fmt.Errorf("RELUTION_ORG %q is not a UUID", org)
		}
		cfg.Organization = id
	}
	client, err := relution.NewClient(cfg)
	if err != nil {
		return err
	}

	// The body of script 6.
	q := relution.Query{
		Limit:            100,
		GetNonpagedCount: true,
		SortOrder:        relution.SortBy(relution.Desc("lastConnectionDate")),
		Filter: relution.And(
			relution.StringEnum("platform", relution.PlatformAndroid, relution.PlatformAndroidEnterprise, relution.PlatformIOS),
			relution.StringEnum("status", relution.StatusCompliant),
		),
	}
	fmt.Fprintf(stdout, "Querying devices at %s/api/v2/devices/baseInfo/query...\n\n", cfg.BaseURL)
	page, err := client.Devices.List(ctx, q)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Done. Parsing ouput...\n\n") // sic: the script's own words
	for _, d := range page.Items {
		fmt.Fprintln(stdout, strconv.Quote(d.Name))
	}
	return nil
}
