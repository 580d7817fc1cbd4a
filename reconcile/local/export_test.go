package local

import (
	"fmt"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// SetStatus sets a member's status in the file, as the workspace does when
// someone accepts an invite or is suspended; tests use it to seed.
func SetStatus(w *Workspace, email string, s reconcile.Status) error {
	doc, _, err := w.read()
	if err != nil {
		return err
	}
	for i := range doc.Members {
		if schema.Key(doc.Members[i].Email) == schema.Key(email) {
			doc.Members[i].Status = string(s)
			data, err := encode(doc)
			if err != nil {
				return err
			}
			return writeFile(w.path, data)
		}
	}
	return fmt.Errorf("no member %s", email)
}
