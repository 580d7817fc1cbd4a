package journal

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile/safejson"
)

// TestAppendRecordAsEncoder checks appendRecord against json.Encoder: with
// every field set (filled by reflection, so that a field added to Record
// and not to appendRecord fails here), and with every optional one empty.
func TestAppendRecordAsEncoder(t *testing.T) {
	full := Record{}
	v := reflect.ValueOf(&full).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(v.Type().Field(i).Name + ` <&> "q" \ é` + "\n\u2028\xff")
		case reflect.Struct:
			if _, ok := f.Interface().(time.Time); !ok {
				t.Fatalf("Record.%s is a %s: teach appendRecord and this test", v.Type().Field(i).Name, f.Type())
			}
			f.Set(reflect.ValueOf(time.Date(2026, 12, 1, 9, 0, 0, 123456789, time.UTC)))
		default:
			t.Fatalf("Record.%s is a %s: teach appendRecord and this test", v.Type().Field(i).Name, f.Type())
		}
	}
	sparse := Record{Time: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Apply: "ab12", Action: "invite", Email: "ana@acme.io", Result: "applied"}
	for name, r := range map[string]Record{"full": full, "sparse": sparse, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := safejson.NewEncoder(&want).Encode(r); err != nil {
				t.Fatal(err)
			}
			got, err := appendRecord(nil, &r, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want.String(), string(got)); d != "" {
				t.Errorf("appendRecord() differs from json.Encoder (-want +got):\n%s", d)
			}
		})
	}
}
