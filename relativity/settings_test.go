package relativity_test

import (
	"errors"
	"testing"

	"github.com/rosterhq/roster/relativity"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	srv, client := newFake(t)
	ctx := t.Context()
	s, err := client.Settings.Get(ctx, &relativity.GetOptions{IncludeMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.FirstName != "Rob" || s.EmailPreference != relativity.EmailPreferenceAll || len(s.Meta.ReadOnly) != 2 {
		t.Errorf("settings = %+v", s)
	}
	req := s.Request()
	req.ItemListPageLength = 10
	req.DefaultSelectedFileType = relativity.FileTypeLongText
	got, err := client.Settings.Update(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got.ItemListPageLength != 10 || got.DefaultSelectedFileType != relativity.FileTypeLongText {
		t.Errorf("updated = %+v", got)
	}
	reqs := srv.Kit().Requests()
	// The doc's sample request with this test's two changes; no LastModifiedOn (the reply
	// carried none).
	want := `{"UserSettingRequest":{"DefaultFilterVisibility":true,"DefaultSelectedFileType":"LongText","EmailAddress":"rob.allen@example.com","EmailPreference":"All","FirstName":"Rob","ItemListPageLength":10,"LastName":"Allen","SavedSearchDefaultsToPublic":false,"SkipDefaultPreference":false}}`
	assertJSON(t, reqs[len(reqs)-1].Body, want)
	if reqs[0].Query.Get("includeMetadata") != "true" || reqs[0].Query.Has("includeActions") {
		t.Errorf("get query = %v", reqs[0].Query)
	}
}

func TestSettingsStale(t *testing.T) {
	t.Parallel()
	_, client := newFake(t)
	ctx := t.Context()
	me, err := client.Users.Get(ctx, 9, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := client.Settings.Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	req := s.Request()
	req.LastModifiedOn = me.LastModifiedOn
	if _, err := client.Settings.Update(ctx, req); err != nil {
		t.Fatal(err)
	}
	// The same LastModifiedOn again: the first update changed it.
	req.ItemListPageLength = 77
	_, err = client.Settings.Update(ctx, req)
	var e *relativity.Error
	if !errors.Is(err, relativity.ErrConflict) || !errors.As(err, &e) || e.StatusCode != 409 {
		t.Errorf("stale update: %v", err)
	}
}
