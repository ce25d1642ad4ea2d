package relativity

import "testing"

func TestConditionQuoting(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		c    Condition
		want string
	}{
		{Field("User Type").In("Internal"), `'User Type' IN ['Internal']`},
		{Field("Email Address").Eq("x@example.com"), `'Email Address' == 'x@example.com'`},
		{Field("Email Address").Eq("o'brien@example.com"), `'Email Address' == 'o\'brien@example.com'`},
		{Field("Notes").Eq(`back\slash`), `'Notes' == 'back\\slash'`},
		{Field("It's").Eq(1), `'It\'s' == 1`},
		{Field("Notes").Eq("line\nbreak"), `'Notes' == 'line\u000Abreak'`},
		{Field("FullName").Like("John"), `'FullName' LIKE ['John']`},
		{Field("FullName").Like("50%_off[x]"), `'FullName' LIKE ['50[%][_]off[[]x]']`},
		{Field("Name").StartsWith("a_b"), `'Name' STARTSWITH 'a[_]b'`},
		{Field("ArtifactID").InIDs(1, 2), `'ArtifactID' IN [1, 2]`},
		{Field("Active").Eq(true), `'Active' == true`},
		{Field("F").IsSet(), `'F' ISSET`},
		{And(Field("A").Eq("x"), Condition{}, Field("B").Ne(2)), `('A' == 'x') AND ('B' <> 2)`},
		{And(Field("A").Eq("x")), `'A' == 'x'`},
		{Or(Field("A").Eq("x"), Not(Field("B").IsSet())), `('A' == 'x') OR (NOT ('B' ISSET))`},
		{Not(Condition{}), ``},
		{And(), ``},
	} {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}
