package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// The section Grafana's ini library files the keys above the first [section] under (GF_DEFAULT_* in the environment).
const iniDefaultSection = "DEFAULT"

// iniFreeForm lists the sections of Grafana's defaults.ini that list some keys but accept any key name: every key of
// [feature_toggles] is a toggle's name, and [plugins.restricted_apis_allowlist] is keyed by plugin API names.
var iniFreeForm = map[string]bool{"feature_toggles": true, "plugins.restricted_apis_allowlist": true}

// iniKeys reads the section and key names of an ini file such as Grafana's conf/defaults.ini: `[section]` headers and
// `key = value` lines; `#` and `;` lines are comments. A section with no key of its own (defaults.ini shows such
// sections' user-named keys only as commented examples, e.g. [server.custom_response_headers]) and the sections in
// iniFreeForm accept any key. Values are never read.
func iniKeys(path string) (map[string]interface{}, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	sections := map[string]map[string]interface{}{iniDefaultSection: {}}
	order := []string{iniDefaultSection}
	current := iniDefaultSection
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1024*1024), 1024*1024)
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		switch {
		case text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, ";"):
		case strings.HasPrefix(text, "["):
			if !strings.HasSuffix(text, "]") {
				return nil, fmt.Errorf("%s:%d: a section header must end with ]: %q", path, line, text)
			}
			current = strings.TrimSpace(text[1 : len(text)-1])
			if _, seen := sections[current]; !seen {
				sections[current] = map[string]interface{}{}
				order = append(order, current)
			}
		default:
			name, _, found := strings.Cut(text, "=")
			if !found {
				// a value spread over lines (""" ... """) continues here; it names no key
				continue
			}
			sections[current][strings.TrimSpace(name)] = true
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	tree := map[string]interface{}{}
	for _, name := range order {
		if len(sections[name]) == 0 || iniFreeForm[name] {
			tree[name] = anyKeys
		} else {
			tree[name] = sections[name]
		}
	}
	return tree, nil
}
