package parse

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// jsonFieldError says which member of a JSON Feed has the wrong type in
// the format's words ("items" is a string, not an array), where
// encoding/json names gofeed's Go types (".alias.items of type
// []*json.Item"), which mean nothing to whoever reads a source's error.
type jsonFieldError struct{ err *json.UnmarshalTypeError }

func (e *jsonFieldError) Error() string {
	var path []string
	for p := range strings.SplitSeq(e.err.Field, ".") {
		if p != "" && p != "alias" {
			path = append(path, p)
		}
	}
	field := strings.Join(path, ".")
	if field == "" {
		field = "the document"
	} else {
		field = strconv.Quote(field)
	}
	return fmt.Sprintf("%s is %s, not %s", field, withArticle(e.err.Value), jsonKind(e.err.Type))
}

func (e *jsonFieldError) Unwrap() error { return e.err }

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a value"
}

// withArticle is encoding/json's name of a JSON value ("string",
// "number 5", "object") with its article.
func withArticle(v string) string {
	if v == "" {
		return "a value"
	}
	if strings.ContainsRune("aeiou", rune(v[0])) {
		return "an " + v
	}
	return "a " + v
}
