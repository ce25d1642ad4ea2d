package razunatest

import (
	"bytes"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

type kv [2]string

// exchange is one request of the recording behind testdata/observed: the requests of
// requests-real.sh and requests-extra.sh that the fake serves (POST, no credential in the
// URL), in their order. testdata/observed/<name>.body is what the real server answered
// (Razuna 74ce1f07 on Jetty 9.4 with H2; tokens masked as 0000DEADBEEF...). Values starting
// with "$" are filled from earlier replies, as the scripts do.
type exchange struct {
	name, method, path, query, kind string
	secretInURL                     bool
	form                            []kv
}

var exchanges = []exchange{
	{"04_login_POST_default", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}}},
	{"05_login_POST_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"06_login_POST_json", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "json"}}},
	{"07_login_POST_method_in_body_plain", "POST", "api/authentication.cfc", "", "form", false, []kv{{"method", "login"}, {"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"08_login_passhashed1_upper_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "21232F297A57A5A743894A0E4A801FC3"}, {"passhashed", "1"}, {"__BDRETURNFORMAT", "plain"}}},
	{"09_login_passhashed1_lower_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "21232f297a57a5a743894a0e4a801fc3"}, {"passhashed", "1"}, {"__BDRETURNFORMAT", "plain"}}},
	{"10_login_passhashed1_upper_default", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "21232F297A57A5A743894A0E4A801FC3"}, {"passhashed", "1"}}},
	{"11_login_passhashed1_plaintextpass_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "1"}, {"__BDRETURNFORMAT", "plain"}}},
	{"12_login_wrongpass_default", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "wrong"}, {"passhashed", "0"}}},
	{"13_login_wrongpass_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "wrong"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"14_login_wrongpass_json", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "wrong"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "json"}}},
	{"15_login_by_email_upper_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "ADMIN@example.com"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"16_login_missing_passhashed_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"__BDRETURNFORMAT", "plain"}}},
	{"17_login_missing_passhashed_default", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}}},
	{"18_login_hostid_nonnumeric_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "abc"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"19_login_hostid_2_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "2"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"21_loginhost_plain", "POST", "api/authentication.cfc", "method=loginhost", "form", false, []kv{{"hostname", "demo.razuna.com"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"22_loginhost_nodot_plain", "POST", "api/authentication.cfc", "method=loginhost", "form", false, []kv{{"hostname", "demo"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"23_loginhost_unknownhost_plain", "POST", "api/authentication.cfc", "method=loginhost", "form", false, []kv{{"hostname", "nosuch.razuna.com"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"24_add_john_default", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}}},
	{"25_add_john_again_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"26_add_john_again_json", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "json"}}},
	{"27_add_john_again_default", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}}},
	{"28_add_dup_loginname_case_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "J"}, {"user_last_name", "D"}, {"user_email", "other@doe.com"}, {"user_name", "JOHN"}, {"user_pass", "x"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"29_add_badtoken_default", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$BAD"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}}},
	{"30_add_badtoken_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$BAD"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"31_add_missing_args_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "A"}, {"__BDRETURNFORMAT", "plain"}}},
	{"32_add_missing_groupid_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "K"}, {"user_last_name", "L"}, {"user_email", "kl@doe.com"}, {"user_name", "kl"}, {"user_pass", "x"}, {"user_active", "T"}, {"__BDRETURNFORMAT", "plain"}}},
	{"33_getuser_POST_default", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$TOKEN"}}},
	{"34_getuser_POST_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"__BDRETURNFORMAT", "plain"}}},
	{"35_getuser_POST_json", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"__BDRETURNFORMAT", "json"}}},
	{"39_getuser_lowercase_token_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$TOKENLOWER"}, {"__BDRETURNFORMAT", "plain"}}},
	{"40_getuser_badtoken_default", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$BAD"}}},
	{"41_getuser_badtoken_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$BAD"}, {"__BDRETURNFORMAT", "plain"}}},
	{"42_getuser_badtoken_json", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$BAD"}, {"__BDRETURNFORMAT", "json"}}},
	{"43_getuser_emptytoken_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"44_getuser_missingtoken_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"__BDRETURNFORMAT", "plain"}}},
	{"45_update_by_userid_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"Johnny\"],[\"user_last_name\",\"Doe-Smith\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"46_update_by_userloginname_default", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "John"}, {"useremail", ""}, {"userdata", "[[\"user_pass\",\"EB5404CC57873876D54FB2FA62319CBB\"],[\"group_id\",\"2\"]]"}}},
	{"47_update_by_useremail_upper_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", ""}, {"useremail", "JOHN@DOE.COM"}, {"userdata", "[[\"user_active\",\"T\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"48_update_by_userid_json", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"John\"]]"}, {"__BDRETURNFORMAT", "json"}}},
	{"49_update_badkey_user_shoe_size_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_shoe_size\",\"44\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"50_update_badkey_user_shoe_size_default", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_shoe_size\",\"44\"]]"}}},
	{"51_update_nonuser_key_foo_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"foo\",\"bar\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"52_update_userdata_object_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "{\"user_first_name\":\"X\"}"}, {"__BDRETURNFORMAT", "plain"}}},
	{"53_update_userdata_invalid_json_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"X\"]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"54_update_missing_userdata_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"55_update_missing_searchkeys_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userdata", "[[\"user_first_name\",\"Johnny\"],[\"user_last_name\",\"Doe-Smith\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"56_update_notfound_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "NOPE"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"X\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"57_update_notfound_default", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "NOPE"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"X\"]]"}}},
	{"58_update_allkeys_empty_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"X\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"59_update_two_keys_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", "nosuchlogin"}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"John\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"60_update_badtoken_default", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$BAD"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"Johnny\"],[\"user_last_name\",\"Doe-Smith\"]]"}}},
	{"61_update_badtoken_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$BAD"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_first_name\",\"Johnny\"],[\"user_last_name\",\"Doe-Smith\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"62_login_john_group2_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "john"}, {"pass", "n3wSecret"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"63_getuser_john_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$JT"}, {"__BDRETURNFORMAT", "plain"}}},
	{"64_add_jane_by_group2_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$JT"}, {"user_first_name", "Jane"}, {"user_last_name", "Roe"}, {"user_email", "jane@doe.com"}, {"user_name", "jane"}, {"user_pass", "jane1doe"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"65_login_jane_nonadmin_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "jane"}, {"pass", "jane1doe"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"66_update_john_groups_1_and_2_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"group_id\",\"1\"],[\"group_id\",\"2\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"67_login_john_dual_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "john"}, {"pass", "n3wSecret"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"68_add_by_dual_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$JD"}, {"user_first_name", "A"}, {"user_last_name", "B"}, {"user_email", "a@b.c"}, {"user_name", "ab"}, {"user_pass", "x"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"69_update_john_inactive_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_active\",\"F\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"70_login_john_inactive_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "john"}, {"pass", "n3wSecret"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"71_delete_allkeys_empty_plain", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", ""}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"72_delete_badtoken_default", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$BAD"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}}},
	{"73_delete_badtoken_plain", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$BAD"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"74_delete_missing_searchkeys_plain", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"__BDRETURNFORMAT", "plain"}}},
	{"75_delete_john_by_userid_default", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}}},
	{"76_delete_john_again_plain", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"77_delete_john_again_default", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$JOHN"}, {"userloginname", ""}, {"useremail", ""}}},
	{"78_getuser_deleted_john_token_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$JT"}, {"__BDRETURNFORMAT", "plain"}}},
	{"79_delete_jane_by_useremail_plain", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", ""}, {"useremail", "JANE@doe.com"}, {"__BDRETURNFORMAT", "plain"}}},
	{"80_delete_jane_by_loginname_json", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "jane"}, {"useremail", ""}, {"__BDRETURNFORMAT", "json"}}},
	{"82_nomethod_POST", "POST", "api/user.cfc", "", "form", false, []kv{{"sessiontoken", "$TOKEN"}}},
	{"98_POST_multipart_getuser_plain", "POST", "api/user.cfc", "method=getuser", "multipart", false, []kv{{"sessiontoken", "$TOKEN"}, {"__BDRETURNFORMAT", "plain"}}},
	{"101_login_for_expiry_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"102_getuser_expired_default", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$TX"}}},
	{"103_getuser_expired_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$TX"}, {"__BDRETURNFORMAT", "plain"}}},
	{"104_add_expired_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TX"}, {"user_first_name", "John"}, {"user_last_name", "Doe"}, {"user_email", "john@doe.com"}, {"user_name", "john"}, {"user_pass", "john1doe"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X01_login_admin_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "admin"}, {"pass", "admin"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X02_add_u8_group2_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "Jürgen & <Co> \"q\""}, {"user_last_name", "Ünïcødé's"}, {"user_email", "u8@doe.com"}, {"user_name", "u8"}, {"user_pass", "u8pass"}, {"user_active", "T"}, {"groupid", "2"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X03_login_u8_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "u8"}, {"pass", "u8pass"}, {"passhashed", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X04_getuser_u8_default", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$T8"}}},
	{"X05_getuser_u8_plain", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$T8"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X06_getuser_u8_json", "POST", "api/user.cfc", "method=getuser", "form", false, []kv{{"sessiontoken", "$T8"}, {"__BDRETURNFORMAT", "json"}}},
	{"X07_update_u8_plaintext_pass_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$U8"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_pass\",\"hello\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X08_login_u8_passhashed1_verbatim_plain", "POST", "api/authentication.cfc", "method=login", "form", false, []kv{{"hostid", "1"}, {"user", "u8"}, {"pass", "hello"}, {"passhashed", "1"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X09_update_u8_empty_group_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$U8"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"group_id\",\"\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X11_update_u8_numeric_value_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$U8"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_last_name\",42]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X12_update_u8_three_elem_pair_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$U8"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[[\"user_last_name\",\"Three\",\"extra\"]]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X13_update_u8_empty_array_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$U8"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", "[]"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X14_update_u8_empty_userdata_plain", "POST", "api/user.cfc", "method=update", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", "$U8"}, {"userloginname", ""}, {"useremail", ""}, {"userdata", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"X15_add_invalid_active_X_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "V"}, {"user_last_name", "W"}, {"user_email", "vw@doe.com"}, {"user_name", "vw"}, {"user_pass", "p"}, {"user_active", "X"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X16_add_unknown_groupid_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "G"}, {"user_last_name", "H"}, {"user_email", "gh@doe.com"}, {"user_name", "gh"}, {"user_pass", "p"}, {"user_active", "T"}, {"groupid", "NOSUCHGROUP"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X17_add_empty_fields_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", ""}, {"user_last_name", ""}, {"user_email", ""}, {"user_name", ""}, {"user_pass", ""}, {"user_active", ""}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X18_add_long_loginname_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "L"}, {"user_last_name", "N"}, {"user_email", "ln@doe.com"}, {"user_name", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, {"user_pass", "p"}, {"user_active", "T"}, {"groupid", "0"}, {"__BDRETURNFORMAT", "plain"}}},
	{"X19_add_groupid_empty_plain", "POST", "api/user.cfc", "method=add", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"user_first_name", "E"}, {"user_last_name", "G"}, {"user_email", "eg@doe.com"}, {"user_name", "eg"}, {"user_pass", "p"}, {"user_active", "T"}, {"groupid", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"X20_delete_u8_by_loginname_default", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "U8"}, {"useremail", ""}}},
	{"X21_cleanup_delete_vw", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "vw"}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"X22_cleanup_delete_gh", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "gh"}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"X23_cleanup_delete_eg", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "eg"}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"X24_cleanup_delete_kl", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", "kl"}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
	{"X25_cleanup_delete_empty_login_plain", "POST", "api/user.cfc", "method=delete", "form", false, []kv{{"sessiontoken", "$TOKEN"}, {"userid", ""}, {"userloginname", ""}, {"useremail", ""}, {"__BDRETURNFORMAT", "plain"}}},
}

// deviations are the exchanges the fake does not answer byte for byte, and why.
var deviations = map[string]string{
	"82_nomethod_POST":                      "the engine's HTML error page is not reproduced; the status (500) is",
	"53_update_userdata_invalid_json_plain": "the JSON parser's line and column differ from OpenBD's",
	"68_add_by_dual_plain":                  "the fake cannot tell in which order the database lists a user's two groups",
}

var (
	tokenRE = regexp.MustCompile(`\b[0-9A-Fa-f]{32}\b`)
	uuidRE  = regexp.MustCompile(`\b[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{16}\b`)
)

// normalize hides what differs between any two servers: session tokens and new user ids.
func normalize(b []byte) string {
	s := tokenRE.ReplaceAllString(string(b), "{TOKEN}")
	return uuidRE.ReplaceAllString(s, "{UUID}")
}

var tagRE = regexp.MustCompile(`(?:<|&lt;)(sessiontoken|userid)(?:>|&gt;)([^<&]*)(?:<|&lt;)/`)

// TestObservedExchanges sends the recorded requests to the fake in their order and compares
// each reply body with the real server's.
func TestObservedExchanges(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	vars := map[string]string{"$BAD": "00000000000000000000000000000000"}
	matched := 0
	for _, ex := range exchanges {
		fill := func(v string) string {
			// Longer names first: $TOKENLOWER before $TOKEN.
			keys := slices.SortedFunc(maps.Keys(vars), func(a, b string) int { return len(b) - len(a) })
			for _, k := range keys {
				v = strings.ReplaceAll(v, k, vars[k])
			}
			return v
		}
		var body io.Reader
		ct := "application/x-www-form-urlencoded"
		if ex.kind == "multipart" {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for _, f := range ex.form {
				_ = mw.WriteField(f[0], fill(f[1]))
			}
			_ = mw.Close()
			body, ct = &buf, mw.FormDataContentType()
		} else {
			var parts []string
			for _, f := range ex.form {
				parts = append(parts, url.QueryEscape(f[0])+"="+url.QueryEscape(fill(f[1])))
			}
			body = strings.NewReader(strings.Join(parts, "&"))
		}
		u := srv.URL + "/global/" + ex.path
		if ex.query != "" {
			u += "?" + ex.query
		}
		req, err := http.NewRequest(ex.method, u, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ct)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want, err := os.ReadFile(filepath.Join("testdata", "observed", ex.name+".body"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tagRE.FindAllStringSubmatch(string(got), -1) {
			switch {
			case m[1] == "sessiontoken" && len(m[2]) == 32:
				vars["$LAST"] = m[2]
			case m[1] == "userid":
				vars["$LASTID"] = m[2]
			}
		}
		switch ex.name {
		case "05_login_POST_plain", "X01_login_admin_plain":
			vars["$TOKEN"], vars["$TOKENLOWER"] = vars["$LAST"], strings.ToLower(vars["$LAST"])
		case "24_add_john_default":
			vars["$JOHN"] = vars["$LASTID"]
		case "62_login_john_group2_plain":
			vars["$JT"] = vars["$LAST"]
		case "67_login_john_dual_plain":
			vars["$JD"] = vars["$LAST"]
		case "101_login_for_expiry_plain":
			vars["$TX"] = vars["$LAST"]
			srv.ExpireSessions()
		case "X02_add_u8_group2_plain":
			vars["$U8"] = vars["$LASTID"]
		case "X03_login_u8_plain":
			vars["$T8"] = vars["$LAST"]
		}
		if why, ok := deviations[ex.name]; ok {
			t.Logf("%s: not compared: %s", ex.name, why)
			continue
		}
		if g, w := normalize(got), normalize(want); g != w {
			t.Errorf("%s:\n got %q\nwant %q", ex.name, g, w)
			continue
		}
		matched++
	}
	if matched < 90 {
		t.Errorf("only %d exchanges matched", matched)
	}
}
