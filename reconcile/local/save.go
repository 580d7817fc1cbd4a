package local

import (
	"github.com/teamctl/teamctl/reconcile"
)

// Save writes live as the file workspace at path, atomically, replacing
// whatever is there. It is for seeding a workspace (tests, benchmarks,
// generated demos); applies go through Execute.
func Save(path string, live *reconcile.Live) error {
	doc := &document{Name: live.Name, SettingsMissing: live.SettingsMissing}
	if live.SettingsComplete != nil {
		doc.SettingsComplete = *live.SettingsComplete
	}
	doc.Members = make([]member, len(live.Members))
	for i, m := range live.Members {
		doc.Members[i] = member{
			Email:           m.Email,
			Name:            m.Name,
			Role:            string(m.Role),
			Status:          string(m.Status),
			InvitedAt:       m.InvitedAt,
			InviteExpiresAt: m.InviteExpiresAt,
			AcceptedAt:      m.AcceptedAt,
			LastSignInAt:    m.LastSignInAt,
		}
	}
	data, err := encode(doc)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}
