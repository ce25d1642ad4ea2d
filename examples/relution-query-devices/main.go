// Command relution-query-devices lists the compliant Android and iOS devices of an
// organization, newest connection first, like script 6 of the vendor's REST API guide
// ("Query Devices in an Organization", https://hub.relution.io/en/docs/settings/rest-api),
// and prints their names as jq would. It walks every page, not only the first.
//
//	go run ./examples/relution-query-devices -h https://relution.example.com -a TOKEN -u ORG-UUID -status COMPLIANT,INACTIVE
//
// -h, -a and -u fall back to RELUTION_URL, RELUTION_TOKEN (or RELUTION_USERNAME and
// RELUTION_PASSWORD) and RELUTION_ORG. -platform and -status take comma-separated values;
// -limit is the page size. With no server at all it says so on stderr and queries the
// in-memory fake (relutiontest) and its sample devices; a token or organization given
// without a server is refused. It exits 0 on success, 1 when a call fails, 2 on bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/google/uuid"
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
	fs := flag.NewFlagSet("relution-query-devices", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The environment is read after parsing, not used as flag defaults: -help would print a
	// default token.
	host := fs.String("h", "", "Relution host, e.g. https://relution.io (default $RELUTION_URL; none: the in-memory fake)")
	token := fs.String("a", "", "API access token (default $RELUTION_TOKEN)")
	org := fs.String("u", "", "organization UUID to scope the query to (default $RELUTION_ORG)")
	platforms := fs.String("platform", "ANDROID,ANDROID_ENTERPRISE,IOS", "platforms, comma-separated")
	statuses := fs.String("status", "COMPLIANT", "device statuses, comma-separated")
	limit := fs.Int("limit", 100, "page size")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "relution-query-devices: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: relution-query-devices [-h host -a token -u org-uuid] [-platform P,...] [-status S,...] [-limit N]")
			fs.PrintDefaults()
			return 2
		}
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *limit < 1 {
		return fail("-limit must be at least 1, got %d", *limit)
	}
	for _, f := range []struct {
		v   *string
		env string
	}{{host, "RELUTION_URL"}, {token, "RELUTION_TOKEN"}, {org, "RELUTION_ORG"}} {
		if *f.v == "" {
			*f.v = os.Getenv(f.env)
		}
	}
	plats, stats := split[relution.Platform](*platforms), split[relution.DeviceStatus](*statuses)
	if len(plats) == 0 || len(stats) == 0 {
		return fail("-platform and -status need at least one value")
	}

	var cfg relution.Config
	switch {
	case *host == "" && (*token != "" || *org != "" || os.Getenv("RELUTION_USERNAME") != ""):
		// A token or organization without a server is a forgotten -h, not a wish to query
		// a fake.
		return fail("Please specify a Host URL (-h)")
	case *host == "":
		srv := relutiontest.NewServer()
		defer srv.Close()
		fmt.Fprintln(stderr, "no -h or RELUTION_URL: querying the in-memory fake")
		cfg = relution.Config{BaseURL: srv.URL, AccessToken: srv.Token}
	case *token != "":
		cfg = relution.Config{BaseURL: *host, AccessToken: *token}
	default:
		cfg = relution.Config{BaseURL: *host, Username: os.Getenv("RELUTION_USERNAME"), Password: os.Getenv("RELUTION_PASSWORD")}
		if cfg.Username == "" {
			return fail("Please specify an access token (-a or RELUTION_TOKEN)")
		}
	}
	if *org != "" {
		id, err := uuid.Parse(*org)
		if err != nil {
			return fail("-u %q is not a UUID", *org)
		}
		cfg.Organization = id
	}
	client, err := relution.NewClient(cfg)
	if err != nil {
		return fail("%v", err)
	}

	// The body of script 6, with the filter from the flags.
	q := relution.Query{
		Limit:            *limit,
		GetNonpagedCount: true,
		SortOrder:        relution.SortBy(relution.Desc("lastConnectionDate")),
		Filter: relution.And(
			relution.StringEnum("platform", plats...),
			relution.StringEnum("status", stats...),
		),
	}
	fmt.Fprintf(stdout, "Querying devices at %s/api/v2/devices/baseInfo/query...\n\n", cfg.BaseURL)
	var names []string
	for d, err := range client.Devices.All(ctx, q) {
		if err != nil {
			fmt.Fprintf(stderr, "relution-query-devices: %v\n", err)
			return 1
		}
		names = append(names, d.Name)
	}
	fmt.Fprintf(stdout, "Done. Parsing ouput...\n\n") // sic: the script's own words
	for _, n := range names {
		fmt.Fprintln(stdout, strconv.Quote(n))
	}
	return 0
}

// split splits a comma-separated flag value into upper-case values, dropping empty ones.
func split[S ~string](v string) []S {
	var out []S
	for _, p := range strings.Split(v, ",") {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			out = append(out, S(p))
		}
	}
	return out
}
