package main

import (
	"reflect"
	"testing"
)

func TestTfSchemaAttributesReadsTheOutermostResourceOnly(t *testing.T) {
	path := writeTemp(t, "resource_folder.go", `package grafana

import "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

func resourceFolder() *schema.Resource {
	return &schema.Resource{
		Schema: map[string]*schema.Schema{
			"org_id": orgIDAttribute(),
			"title":  {Type: schema.TypeString, Required: true},
			"rule": {
				Type: schema.TypeList,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{"nested_only": {Type: schema.TypeString}}},
			},
		},
	}
}
`)
	got, err := tfSchemaAttributes(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"org_id", "rule", "title"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tfSchemaAttributes = %v, want %v", got, want)
	}
}

func TestTfSchemaAttributesNamesAFileWithoutAResource(t *testing.T) {
	path := writeTemp(t, "helpers.go", "package grafana\n\nfunc orgIDAttribute() {}\n")
	if _, err := tfSchemaAttributes(path); err == nil {
		t.Error("tfSchemaAttributes accepted a file with no schema.Resource")
	}
}
