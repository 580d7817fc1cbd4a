package scimtest

import (
	"net/http/httptest"
	"strings"
)

// speak rewrites a recorded answer in the server's Dialect.
func (s *Server) speak(rec *httptest.ResponseRecorder) {
	d := s.opts.Dialect
	if d == (Dialect{}) || rec.Body.Len() == 0 {
		return
	}
	rewriteJSON(rec, func(doc map[string]any) {
		if d.StringActive {
			stringActive(doc)
		}
		if rs, ok := doc["Resources"]; ok && d.LowercaseResources {
			delete(doc, "Resources")
			doc["resources"] = rs
		}
		if ops, ok := doc["Operations"].([]any); ok && d.CapitalisedMethods {
			for _, op := range ops {
				if m, ok := op.(map[string]any); ok {
					if method, ok := m["method"].(string); ok && method != "" {
						m["method"] = strings.ToUpper(method[:1]) + strings.ToLower(method[1:])
					}
				}
			}
		}
	})
}

// stringActive writes every boolean active in v as "True" or "False".
func stringActive(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if b, ok := e.(bool); ok && k == "active" {
				v[k] = map[bool]string{true: "True", false: "False"}[b]
				continue
			}
			stringActive(e)
		}
	case []any:
		for _, e := range v {
			stringActive(e)
		}
	}
}
