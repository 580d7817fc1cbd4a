package schema

import (
	"encoding/json"
	"fmt"
)

// JSONSchemaID names the schema; editors use it only as an identifier.
const JSONSchemaID = "https://github.com/teamctl/teamctl/team.schema.json"

// JSONSchema returns the JSON Schema (draft 2020-12) of one team file, made
// from the same description of the format that Load checks against. Editors
// such as yaml-language-server use it to complete and check team.yaml.
//
// Some checks only Load can make: a person or setting declared in two files,
// the workspace required once per team, and aliases.
func JSONSchema() ([]byte, error) {
	s := jsonSchema(teamShape())
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = JSONSchemaID
	s["title"] = "teamctl team file"
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("schema: marshal JSON Schema: %w", err)
	}
	return append(out, '\n'), nil
}

// Patterns of the JSON Schema; Load checks more closely (see emailProblem).
const (
	emailPattern  = `^\s*[^@\s<>()\[\]\\,;:"]+@[^@\s<>()\[\]\\,;:".]+(\.[^@\s<>()\[\]\\,;:".]+)+\s*$`
	handlePattern = `^@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(/[A-Za-z0-9._-]+)?$`
)

func jsonSchema(s *shape) map[string]any {
	out := map[string]any{}
	if s.doc != "" {
		out["description"] = s.doc
	}
	if len(s.ex) > 0 {
		out["examples"] = s.ex
	}
	switch s.kind {
	case kindMap:
		props := map[string]any{}
		var required []string
		for _, f := range s.fields {
			props[f.key] = jsonSchema(f.shape)
			if f.required {
				required = append(required, f.key)
			}
		}
		out["type"] = "object"
		out["properties"] = props
		out["additionalProperties"] = false
		if len(required) > 0 {
			out["required"] = required
		}
	case kindDict:
		props := map[string]any{}
		for _, k := range s.keys {
			props[k] = jsonSchema(s.elem)
		}
		out["type"] = "object"
		out["properties"] = props
		out["additionalProperties"] = false
	case kindList:
		list := map[string]any{"type": "array", "items": jsonSchema(s.elem)}
		if !s.one {
			for k, v := range list {
				out[k] = v
			}
			break
		}
		out["anyOf"] = []any{jsonSchema(s.elem), list}
	case kindString:
		out["type"] = "string"
		out["pattern"] = `\S`
	case kindText:
		out["type"] = "string"
	case kindEmail:
		out["type"] = "string"
		out["pattern"] = emailPattern
	case kindHandle:
		out["type"] = "string"
		out["anyOf"] = []any{map[string]any{"pattern": handlePattern}, map[string]any{"pattern": emailPattern}}
	case kindInt:
		out["type"] = "integer"
		if s.max > 0 && s.min == s.max {
			out["const"] = s.min
			break
		}
		out["minimum"] = s.min
		if s.max > 0 {
			out["maximum"] = s.max
		}
	case kindBool:
		out["type"] = "boolean"
	case kindDate:
		out["type"] = "string"
		out["format"] = "date"
		out["pattern"] = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	case kindEnum:
		out["type"] = "string"
		out["enum"] = s.enum
	}
	return out
}
