// Command config-keys-from-source prints, as JSON, the directories it read (`sourceDirs`) and the tree of YAML keys (`keys`) a Go program's configuration struct
// accepts, read from the `yaml` struct tags of that program's source (its own packages and its vendor/
// directory). It parses the source with go/parser and never compiles or runs it.
//
// Usage: config-keys-from-source <source dir> <package import path> <type name>
//
//	config-keys-from-source -flags <dir>...   (the flag names registered in those directories, as a JSON list)
//	config-keys-from-source -ini <file>       (the sections and keys of an ini file such as Grafana's defaults.ini, as a tree)
//	config-keys-from-source -tfschema <file>  (the top-level attributes of a terraform-plugin-sdk/v2 resource, as a JSON list)
//
// In the tree, `true` is a key whose value is a scalar or a list of scalars, "any-keys" a free-form map, and a
// list of structs is described by its element's keys. A struct with its own UnmarshalYAML is still described by
// its fields: such methods in these programs decode into the struct's own tags after setting defaults.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

const anyKeys = "any-keys"

type pkg struct {
	path    string
	types   map[string]*ast.TypeSpec
	imports map[string]map[string]string // type name -> import alias -> import path
}

type loader struct {
	root, module string
	pkgs         map[string]*pkg
}

func (l *loader) dir(importPath string) string {
	if importPath == l.module || strings.HasPrefix(importPath, l.module+"/") {
		return filepath.Join(l.root, strings.TrimPrefix(importPath, l.module))
	}
	return filepath.Join(l.root, "vendor", importPath)
}

func (l *loader) load(importPath string) *pkg {
	if p, ok := l.pkgs[importPath]; ok {
		return p
	}
	p := &pkg{path: importPath, types: map[string]*ast.TypeSpec{}, imports: map[string]map[string]string{}}
	l.pkgs[importPath] = p
	entries, _ := os.ReadDir(l.dir(importPath))
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(l.dir(importPath), name), nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		aliases := map[string]string{}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			alias := path[strings.LastIndex(path, "/")+1:]
			if imp.Name != nil {
				alias = imp.Name.Name
			} else if strings.HasPrefix(alias, "v") && len(alias) <= 3 { // .../foo/v3
				trimmed := strings.TrimSuffix(path, "/"+alias)
				alias = trimmed[strings.LastIndex(trimmed, "/")+1:]
			}
			aliases[alias] = path
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						p.types[ts.Name.Name] = ts
						p.imports[ts.Name.Name] = aliases
					}
				}
			}
		}
	}
	return p
}

// describe returns the key tree of a type expression seen from package p (file imports of typeName).
func (l *loader) describe(expr ast.Expr, p *pkg, owner string, depth int) interface{} {
	if depth > 40 {
		return true
	}
	switch t := expr.(type) {
	case *ast.StarExpr:
		return l.describe(t.X, p, owner, depth)
	case *ast.ArrayType:
		if inner, ok := l.describe(t.Elt, p, owner, depth).(map[string]interface{}); ok {
			return inner
		}
		return true
	case *ast.MapType:
		return anyKeys
	case *ast.StructType:
		return l.fields(t, p, owner, depth)
	case *ast.Ident:
		ts, ok := p.types[t.Name]
		if !ok {
			return true
		}
		return l.describe(ts.Type, p, t.Name, depth+1)
	case *ast.SelectorExpr:
		alias, ok := t.X.(*ast.Ident)
		if !ok {
			return true
		}
		path, ok := p.imports[owner][alias.Name]
		if !ok {
			return true
		}
		other := l.load(path)
		ts, ok := other.types[t.Sel.Name]
		if !ok {
			return true
		}
		return l.describe(ts.Type, other, t.Sel.Name, depth+1)
	case *ast.IndexExpr: // a generic instance: its keys are the generic type's
		return l.describe(t.X, p, owner, depth)
	}
	return true
}

func (l *loader) fields(st *ast.StructType, p *pkg, owner string, depth int) map[string]interface{} {
	out := map[string]interface{}{}
	for _, field := range st.Fields.List {
		tag := ""
		if field.Tag != nil {
			raw, _ := strconv.Unquote(field.Tag.Value)
			tag = reflect.StructTag(raw).Get("yaml")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		inline := strings.Contains(opts, "inline")
		if len(field.Names) == 0 && tag == "" {
			inline = true // an embedded struct without a tag: yaml.v2/v3 treat it as a field named after the type, but dskit configs always tag them; keep its keys reachable
		}
		if inline {
			if sub, ok := l.describe(field.Type, p, owner, depth).(map[string]interface{}); ok {
				for k, v := range sub {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			for _, n := range field.Names {
				if n.IsExported() {
					out[strings.ToLower(n.Name)] = l.describe(field.Type, p, owner, depth)
				}
			}
			continue
		}
		out[name] = l.describe(field.Type, p, owner, depth)
	}
	return out
}

// flagNames returns the command-line flags registered with a literal or package-constant name in the .go files
// of dirs (`f.StringVar(&x, "config.file", ...)`, `flag.Bool("verify-config", ...)`), sorted.
func flagNames(dirs []string) []string {
	seen := map[string]bool{}
	for _, dir := range dirs {
		fset := token.NewFileSet()
		entries, _ := os.ReadDir(dir)
		var files []*ast.File
		consts := map[string]string{}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			files = append(files, f)
			ast.Inspect(f, func(n ast.Node) bool {
				if spec, ok := n.(*ast.ValueSpec); ok {
					for i, name := range spec.Names {
						if i < len(spec.Values) {
							if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								consts[name.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
				return true
			})
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				// flag.FlagSet's registrations: Bool(name, ...) takes the name first, BoolVar(&x, name, ...) and Var(v, name, ...) second
				kinds := map[string]bool{"": true, "Bool": true, "String": true, "Int": true, "Int64": true, "Uint": true, "Uint64": true, "Float64": true, "Duration": true, "Func": true}
				at := 0
				if strings.HasSuffix(sel.Sel.Name, "Var") {
					at = 1
				}
				if !kinds[strings.TrimSuffix(sel.Sel.Name, "Var")] || len(call.Args) <= at {
					return true
				}
				switch arg := call.Args[at].(type) {
				case *ast.BasicLit:
					if arg.Kind == token.STRING {
						name, _ := strconv.Unquote(arg.Value)
						seen[name] = true
					}
				case *ast.Ident:
					if name, ok := consts[arg.Name]; ok {
						seen[name] = true
					}
				}
				return true
			})
		}
	}
	var out []string
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// printOrExit prints what a reader returned as indented JSON, or its error (exit status 1).
func printOrExit(value interface{}, err error) {
	if err == nil {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", " ")
		err = enc.Encode(value)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "-flags" {
		enc := json.NewEncoder(os.Stdout)
		if err := enc.Encode(flagNames(os.Args[2:])); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "-tfschema" {
		printOrExit(tfSchemaAttributes(os.Args[2]))
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "-ini" {
		printOrExit(iniKeys(os.Args[2]))
		return
	}
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: config-keys-from-source <source dir> <package import path> <type name>\n       config-keys-from-source -flags <dir>...\n       config-keys-from-source -ini <file>\n       config-keys-from-source -tfschema <file>")
		os.Exit(2)
	}
	root, importPath, typeName := os.Args[1], os.Args[2], os.Args[3]
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	module := strings.Fields(strings.SplitN(string(mod), "\n", 2)[0])[1]
	l := &loader{root: root, module: module, pkgs: map[string]*pkg{}}
	p := l.load(importPath)
	ts, ok := p.types[typeName]
	if !ok {
		fmt.Fprintf(os.Stderr, "no type %s in %s (%s)\n", typeName, importPath, l.dir(importPath))
		os.Exit(1)
	}
	tree := l.describe(ts.Type, p, typeName, 0)
	var read []string
	for path, p := range l.pkgs {
		if len(p.types) > 0 {
			read = append(read, strings.TrimPrefix(l.dir(path), root+"/"))
		}
	}
	sort.Strings(read)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(map[string]interface{}{"sourceDirs": read, "keys": tree}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
