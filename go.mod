module github.com/lendcore/servicing

go 1.26

require (
	github.com/rickb777/date/v2 v2.1.5
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/shopspring/decimal v1.6.0
	github.com/stretchr/testify v1.12.1
)

require golang.org/x/text v0.19.0 // indirect

require (
	github.com/govalues/decimal v0.1.32 // indirect
	github.com/rickb777/period v1.0.7 // indirect
	github.com/rickb777/plural v1.4.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	pgregory.net/rapid v1.3.0
)
