package relution_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/rosterhq/roster/relution"
	"github.com/rosterhq/roster/relution/relutiontest"
)

// Create an organization through the creation wizard. The reply is the server's JSON,
// undecoded: no public source shows its shape.
func ExampleOrganizationsService_Create() {
	srv := relutiontest.NewServer()
	defer srv.Close()
	client, err := relution.NewClient(relution.Config{BaseURL: srv.URL, AccessToken: srv.Token})
	if err != nil {
		log.Fatal(err)
	}
	reply, err := client.Organizations.Create(context.Background(),
		relution.Organization{Name: "Example Org", UniqueName: "example-org"})
	if err != nil {
		log.Fatal(err)
	}
	var created struct {
		Name string `json:"name"`
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal(reply, &created); err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Name, created.UUID != "")
	// Output:
	// Example Org true
}
