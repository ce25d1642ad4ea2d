module github.com/rosterhq/roster

go 1.24

require (
	github.com/dnaeon/go-vcr/v2 v2.1.0
	github.com/google/go-cmp v0.7.0
	github.com/google/go-querystring v1.2.0
	github.com/google/uuid v1.6.0
	github.com/hashicorp/go-retryablehttp v0.7.8
)

require (
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
