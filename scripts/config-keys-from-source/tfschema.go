package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
)

// tfSchemaAttributes reads a Terraform provider resource written with terraform-plugin-sdk/v2 and returns the names
// of its top-level attributes and blocks: the string keys of the `Schema: map[string]*schema.Schema{...}` of the
// outermost `schema.Resource` literal in the file (nested blocks' own resources, under `Elem`, are not descended into).
func tfSchemaAttributes(path string) ([]string, error) {
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	found := false
	ast.Inspect(file, func(node ast.Node) bool {
		if found {
			return false
		}
		literal, ok := node.(*ast.CompositeLit)
		if !ok || !isSelector(literal.Type, "schema", "Resource") {
			return true
		}
		for _, element := range literal.Elts {
			field, ok := element.(*ast.KeyValueExpr)
			if !ok || !isIdent(field.Key, "Schema") {
				continue
			}
			fields, ok := field.Value.(*ast.CompositeLit)
			if !ok {
				continue
			}
			for _, entry := range fields.Elts {
				pair, ok := entry.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				if key, ok := pair.Key.(*ast.BasicLit); ok && key.Kind == token.STRING {
					name, _ := strconv.Unquote(key.Value)
					names = append(names, name)
				}
			}
			found = true
		}
		return !found
	})
	if !found {
		return nil, fmt.Errorf("%s: no schema.Resource literal with a Schema map", path)
	}
	sort.Strings(names)
	return names, nil
}

func isSelector(expr ast.Expr, pkg, name string) bool {
	selector, ok := expr.(*ast.SelectorExpr)
	return ok && isIdent(selector.X, pkg) && selector.Sel.Name == name
}

func isIdent(expr ast.Expr, name string) bool {
	ident, ok := expr.(*ast.Ident)
	return ok && ident.Name == name
}
