package reltio

import (
	"context"
	"net/http"
)

// PasswordPolicyService reads and sets the customer's password policy. Both calls need the
// ROLE_ADMIN_CUSTOMER role.
//
// Source: the "Get password policy" and "Set a customer password policy" pages of Reltio's
// documentation (https://docs.reltio.com), and the PasswordPolicy schema of its
// "Configuration" OpenAPI export (https://github.com/JoelSnipes/ReltioApiCollection,
// openApiSpec/Configuration.json).
type PasswordPolicyService service

// PasswordPolicy is the customer's password policy. Fields the server leaves out stay at
// their zero value (nil for the optional counts).
type PasswordPolicy struct {
	// PasswordRules are the rules a new password must pass.
	PasswordRules []PasswordRule `json:"passwordRules,omitempty"`
	// ExpirePeriodInDays is how long a password lasts.
	ExpirePeriodInDays *int `json:"expirePeriodInDays,omitempty"`
	// InactivePeriodInDays is how long an account may go unused before it is locked.
	InactivePeriodInDays *int `json:"inactivePeriodInDays,omitempty"`
	// NumberOfFailedLoginAttempts locks an account after that many failed logins.
	NumberOfFailedLoginAttempts *int `json:"numberOfFailedLoginAttempts,omitempty"`
	// UserSessionTimeoutSeconds and NumberOfFailedMFALoginAttempts are on the doc pages,
	// not in the OpenAPI schema.
	UserSessionTimeoutSeconds      *int `json:"userSessionTimeoutSeconds,omitempty"`
	NumberOfFailedMFALoginAttempts *int `json:"numberOfFailedMFALoginAttempts,omitempty"`
}

// PasswordRule is one rule of a password policy. Type names the rule with a leading dot, as
// Reltio's examples write it (".HistoryPRule", ".UppercaseCharacterPRule"); each rule uses a
// few of the other fields, as its schema in Reltio's OpenAPI export says.
type PasswordRule struct {
	Type string `json:"type"`
	// NumCharacters: DigitCharacterPRule, LowercaseCharacterPRule, UppercaseCharacterPRule,
	// NonAlphanumericCharacterPRule.
	NumCharacters *int `json:"numCharacters,omitempty"`
	// Length: AlphabeticalSequencePRule, NumericalSequencePRule, RepeatCharacterRegexPRule.
	Length *int `json:"length,omitempty"`
	// Values: AllowedCharacterPRule, IllegalCharacterPRule.
	Values string `json:"values,omitempty"`
	// LastPasswordVerifyCount: HistoryPRule.
	LastPasswordVerifyCount *int `json:"lastPasswordVerifyCount,omitempty"`
	// NumberOfCharacteristics and RuleList: CharacterCharacteristicsPRule.
	NumberOfCharacteristics *int           `json:"numberOfCharacteristics,omitempty"`
	RuleList                []PasswordRule `json:"ruleList,omitempty"`
	// Dictionary and CaseSensitive: DictionaryPRule.
	Dictionary    []string `json:"dictionary,omitempty"`
	CaseSensitive *bool    `json:"caseSensitive,omitempty"`
	// MatchBackwards and IgnoreCase: EmailPRule, UsernamePRule.
	MatchBackwards *bool `json:"matchBackwards,omitempty"`
	IgnoreCase     *bool `json:"ignoreCase,omitempty"`
}

// Get returns the customer's password policy.
//
// Endpoint: GET /customers/{customerId}/passwordPolicy
//
//roster:endpoint GET /customers/{customerId}/passwordPolicy
func (s *PasswordPolicyService) Get(ctx context.Context) (*PasswordPolicy, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	var out PasswordPolicy
	if err := (*service)(s).do(ctx, http.MethodGet, "/customers/{customerId}/passwordPolicy", nil, nil, &out, cust); err != nil {
		return nil, err
	}
	return &out, nil
}

// Set replaces the customer's password policy with p and returns the policy the server
// reports (p when the reply holds none).
//
// Endpoint: PUT /customers/{customerId}/passwordPolicy
//
//roster:endpoint PUT /customers/{customerId}/passwordPolicy
func (s *PasswordPolicyService) Set(ctx context.Context, p PasswordPolicy) (*PasswordPolicy, error) {
	cust, err := s.c.customerID()
	if err != nil {
		return nil, err
	}
	if err := checkPolicy(&p); err != nil {
		return nil, err
	}
	var out *PasswordPolicy
	if err := (*service)(s).do(ctx, http.MethodPut, "/customers/{customerId}/passwordPolicy", nil, p, &out, cust); err != nil {
		return nil, err
	}
	if out == nil {
		return &p, nil
	}
	return out, nil
}

func checkPolicy(p *PasswordPolicy) error {
	for name, v := range map[string]*int{
		"ExpirePeriodInDays":             p.ExpirePeriodInDays,
		"InactivePeriodInDays":           p.InactivePeriodInDays,
		"NumberOfFailedLoginAttempts":    p.NumberOfFailedLoginAttempts,
		"UserSessionTimeoutSeconds":      p.UserSessionTimeoutSeconds,
		"NumberOfFailedMFALoginAttempts": p.NumberOfFailedMFALoginAttempts,
	} {
		if v != nil && *v < 0 {
			return vendor.Invalid("PasswordPolicy."+name, "negative: %d", *v)
		}
	}
	return checkRules("PasswordPolicy.PasswordRules", p.PasswordRules, 0)
}

func checkRules(field string, rules []PasswordRule, depth int) error {
	if depth > 4 {
		return vendor.Invalid(field, "rule lists nested too deep")
	}
	for _, r := range rules {
		if err := checkID(field+".Type", r.Type); err != nil {
			return err
		}
		if err := checkRules(field+".RuleList", r.RuleList, depth+1); err != nil {
			return err
		}
	}
	return nil
}
