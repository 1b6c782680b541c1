package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestIniKeysReadsSectionsAndKeysOnly(t *testing.T) {
	path := writeTemp(t, "defaults.ini", `# comment
app_mode = production
[server]
http_port = 3000
;commented = out
content_security_policy_template = """script-src 'self'
object-src 'none';"""
[server.custom_response_headers]
#exampleHeader1 = exampleValue1
[feature_toggles]
enable =
[log]
mode = console file
[log]
level = info
`)
	got, err := iniKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]interface{}{
		"DEFAULT":                        map[string]interface{}{"app_mode": true},
		"server":                         map[string]interface{}{"http_port": true, "content_security_policy_template": true},
		"server.custom_response_headers": anyKeys,
		"feature_toggles":                anyKeys,
		"log":                            map[string]interface{}{"mode": true, "level": true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("iniKeys = %#v, want %#v", got, want)
	}
}

func TestIniKeysNamesAnUnclosedSectionHeader(t *testing.T) {
	path := writeTemp(t, "bad.ini", "[server\nhttp_port = 3000\n")
	if _, err := iniKeys(path); err == nil || err.Error() != path+`:1: a section header must end with ]: "[server"` {
		t.Errorf("iniKeys error = %v", err)
	}
}
