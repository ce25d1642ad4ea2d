// Package duostation is a client for the REST API of DuoSTATION MDM (version 4.8.46 of the
// vendor's "DuoSTATION MDM REST API" document): groups, users, devices, tags and their links to
// devices, users and groups, apps, and the commands an administrator sends to a device (lock,
// wipe, send a message, ...).
//
// Create a Client with the customer's site and a DuoSTATION MDM login (the API uses HTTP Basic
// with the same user name and password as the web console), and use its services:
//
//	client, err := duostation.NewClient(duostation.Config{
//		BaseURL:  "https://mdm.example.com",
//		Username: os.Getenv("DUOSTATION_USERNAME"),
//		Password: os.Getenv("DUOSTATION_PASSWORD"),
//	})
//	group, err := client.Groups.GetByPath(ctx, duostation.ParseGroupPath(`Customers\Company Inc`))
//	id, err := client.Users.Create(ctx, duostation.UserCreate{Name: "Ann", GroupID: &group.ID})
//
// Ids of groups, users, tags, apps and links are integers; devices have GUIDs
// ("0f8fad5b-d9cb-469f-a165-70867728950e"). The vendor document shows request bodies
// (camelCase keys) but no response body; a public client reads the device id from a key spelled
// "Id" (https://github.com/m-eddington/duostation-mdm-api-test, api-test.sh). So replies are
// decoded without regard to the case of their keys, and the id of a created object is accepted
// as a number, a numeric string or an object holding an id.
//
// A device command (Devices.Lock, Devices.Wipe, ...) is never sent twice: when its reply is lost
// the error matches ErrMaybeApplied, and the caller decides whether to look and send again.
// Errors are *Error values that match the package's sentinels with errors.Is; bad input is a
// *ValidationError, returned before anything is sent. The duostationtest package is an
// in-memory fake of the API for tests.
package duostation
