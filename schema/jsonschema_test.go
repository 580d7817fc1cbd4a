package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// compileJSONSchema compiles JSONSchema() with a draft 2020-12 validator,
// which also checks it against the draft's meta-schema.
func compileJSONSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("JSONSchema() is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(JSONSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(JSONSchemaID)
	if err != nil {
		t.Fatalf("JSONSchema() does not compile as draft 2020-12: %v", err)
	}
	return sch
}

// yamlJSON converts YAML text to the JSON value an editor would check.
func yamlJSON(t *testing.T, src []byte) (any, bool) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return nil, false
	}
	data, err := json.Marshal(nodeValue(doc.Content[0]))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v, true
}

func nodeValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, e := range n.Content {
			l = append(l, nodeValue(e))
		}
		return l
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		f, _ := strconv.ParseFloat(n.Value, 64)
		return f
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

// TestJSONSchemaExamples checks every example file against the JSON Schema:
// the valid ones and those whose mistakes are rules pass; those that want
// the schema rule fail, as Load refuses them.
func TestJSONSchemaExamples(t *testing.T) {
	sch := compileJSONSchema(t)
	var files []string
	for _, glob := range []string{"*.yaml", "team.d/*.yaml", "invalid/*.yaml"} {
		m, _ := filepath.Glob(filepath.Join(examplesDir, glob))
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %d example files", len(files))
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := yamlJSON(t, src)
			if !ok {
				t.Skip("not YAML an editor could check")
			}
			wantValid := filepath.Base(filepath.Dir(name)) != "invalid" || !slices.Contains(wantRules(t, name), "schema")
			err = sch.Validate(v)
			if wantValid && err != nil {
				t.Errorf("JSON Schema refuses it:\n%v", err)
			}
			if !wantValid && err == nil {
				t.Errorf("JSON Schema accepts it, but Load refuses it")
			}
		})
	}
}

func TestJSONSchemaRefuses(t *testing.T) {
	sch := compileJSONSchema(t)
	tests := map[string]string{
		"unknown key":        "version: 1\nworkspace: x\nextra: 1\n",
		"no version":         "workspace: x\n",
		"version 2":          "version: 2\n",
		"unknown person key": "version: 1\nadmins:\n  - email: a@b.io\n    role: admin\n",
		"bad email":          "version: 1\nadmins:\n  - email: a@b\n",
		"bad state":          "version: 1\nworkflows:\n  - name: x\n    state: running\n",
		"unknown rule":       "version: 1\npolicy:\n  rules:\n    nope: off\n",
		"bad severity":       "version: 1\npolicy:\n  rules:\n    approvers: info\n",
		"bad handle":         "version: 1\napprovers:\n  operators: [acme/sales-ops]\n",
		"bad date":           "version: 1\nlaunch: 2026-12-7\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			v, ok := yamlJSON(t, []byte(src))
			if !ok {
				t.Fatal("test input is not YAML")
			}
			if err := sch.Validate(v); err == nil {
				t.Errorf("JSON Schema accepts %q", src)
			}
		})
	}
}

// TestJSONSchemaRuleIDs checks that policy.rules in the JSON Schema offers
// exactly the rule ids of the registry, live rules included.
func TestJSONSchemaRuleIDs(t *testing.T) {
	data, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Properties struct {
			Policy struct {
				Properties struct {
					Rules struct {
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"rules"`
				} `json:"properties"`
			} `json:"policy"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for id := range doc.Properties.Policy.Properties.Rules.Properties {
		got = append(got, id)
	}
	slices.Sort(got)
	if d := cmp.Diff(RuleIDs(), got); d != "" {
		t.Errorf("JSON Schema policy.rules keys mismatch with RuleIDs (-want +got):\n%s", d)
	}
}
