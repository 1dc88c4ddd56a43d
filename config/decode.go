package config

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// keyPos is where a key path was written: the line of its key (or of the
// list item) and the scalar value as written, "" for lists and mappings.
// null is the word of a value YAML reads as null ("null", "Null", "NULL"),
// kept so that a message can say why a name that was written is missing.
type keyPos struct {
	line int
	raw  string
	null string
}

// maxMergeDepth bounds chains of "<<" merge keys, which may otherwise loop
// through an anchor that merges itself.
const maxMergeDepth = 16

// decoder fills a Config from a YAML AST itself rather than through the
// library's decoder, which stops at the first error: an operator fixing a
// file wants every unknown key and every bad value in one run.
type decoder struct {
	anchors  map[string]ast.Node
	keys     map[string]keyPos
	broken   map[string]bool
	problems []Problem
}

// decode parses data into c, which holds the defaults. Syntax errors are
// returned as *SyntaxError; anything else wrong is a Problem.
func decode(data []byte, name string, c *Config) ([]Problem, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, newSyntaxError(name, err)
	}
	d := &decoder{
		anchors: map[string]ast.Node{},
		keys:    map[string]keyPos{},
		broken:  map[string]bool{},
	}
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc)
		}
	}
	if len(docs) > 1 {
		d.fail("", lineOf(docs[1].Body), "the file holds several YAML documents; write only one")
	}
	if len(docs) > 0 {
		ast.Walk(anchorCollector(d.anchors), docs[0])
		d.value("", docs[0].Body, reflect.ValueOf(c).Elem(), 0)
	}
	c.keys, c.broken = d.keys, d.broken
	return d.problems, nil
}

// anchorCollector records every anchor's value by name, so that aliases
// can be followed wherever they appear.
type anchorCollector map[string]ast.Node

func (a anchorCollector) Visit(n ast.Node) ast.Visitor {
	if an, ok := n.(*ast.AnchorNode); ok && an.Name != nil && an.Name.GetToken() != nil {
		a[an.Name.GetToken().Value] = an.Value
	}
	return a
}

func (d *decoder) fail(path string, line int, format string, args ...any) {
	d.problems = append(d.problems, Problem{Key: path, Line: line, Message: fmt.Sprintf(format, args...)})
	d.broken[path] = true
}

// undefinedAlias reports an alias, through anchors, tags and other
// aliases, to an anchor the file does not define: YAML makes it an error,
// and resolving it to nothing would keep the key's default unnoticed (a
// misspelt "*slwo" for "*slow").
func (d *decoder) undefinedAlias(n ast.Node) (string, bool) {
	_, missing := d.follow(n)
	return missing, missing != ""
}

// resolve looks through anchors, aliases and tags to the node that carries
// the value; nil stands for null (or an alias to nothing).
func (d *decoder) resolve(n ast.Node) ast.Node {
	n, _ = d.follow(n)
	return n
}

// follow looks through anchors, aliases and tags to the node that carries
// the value (nil for null), and names the anchor an alias on the way
// refers to that the file does not define ("" when none).
func (d *decoder) follow(n ast.Node) (ast.Node, string) {
	for range 64 {
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		case *ast.AliasNode:
			if t.Value == nil || t.Value.GetToken() == nil {
				return nil, ""
			}
			name := t.Value.GetToken().Value
			target, ok := d.anchors[name]
			if !ok {
				return nil, name
			}
			n = target
		case *ast.NullNode:
			return nil, ""
		default:
			return n, ""
		}
	}
	return nil, ""
}

// value decodes n into v, whose type drives the walk. Null leaves v as it
// was: a key written without a value keeps its default.
func (d *decoder) value(path string, n ast.Node, v reflect.Value, merges int) {
	// Problems point at the key, which may sit on the line above its value.
	line := lineOf(n)
	if k, ok := d.keys[path]; ok {
		line = k.line
	}
	if name, ok := d.undefinedAlias(n); ok {
		d.fail(path, line, "*%s names no anchor: the file defines no &%s", name, name)
		return
	}
	n = d.resolve(n)
	if n == nil {
		return
	}
	switch {
	case v.Type() == reflect.TypeFor[time.Duration]():
		d.duration(path, line, n, v)
	case v.Type() == reflect.TypeFor[ByteSize]():
		d.byteSize(path, line, n, v)
	case v.Kind() == reflect.Struct:
		d.mapping(path, n, merges, func(key string, kn, vn ast.Node) bool {
			f, ok := fieldByTag(v, key)
			if ok {
				d.value(join(path, key), vn, f, merges)
			}
			return ok
		}, func() string { return allowedKeys(v.Type()) })
	case v.Kind() == reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		d.mapping(path, n, merges, func(key string, kn, vn ast.Node) bool {
			e := reflect.New(v.Type().Elem()).Elem()
			d.value(join(path, key), vn, e, merges)
			v.SetMapIndex(reflect.ValueOf(key), e)
			return true
		}, nil)
	case v.Kind() == reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.fail(path, line, "must be a list (got %s)", describe(n))
			return
		}
		out := reflect.MakeSlice(v.Type(), 0, len(seq.Values))
		for i, item := range seq.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.record(p, lineOf(item), item)
			e := reflect.New(v.Type().Elem()).Elem()
			d.value(p, item, e, merges)
			out = reflect.Append(out, e)
		}
		v.Set(out)
	case v.Kind() == reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.fail(path, line, "must be a single value, not %s", describe(n))
			return
		}
		v.SetString(s)
	case v.Kind() == reflect.Int:
		d.integer(path, line, n, v)
	case v.Kind() == reflect.Bool:
		d.boolean(path, line, n, v)
	default:
		// Only reachable if Config gains a field of a kind not handled
		// above; fail loudly in tests rather than ignore the key.
		d.fail(path, line, "cannot decode into %s", v.Type())
	}
}

// mapping walks the entries of a mapping node, merge keys first so that
// explicit keys override what they bring in. set returns false for a key
// that is not allowed; allowed lists the keys that are, for the message.
func (d *decoder) mapping(path string, n ast.Node, merges int, set func(key string, kn, vn ast.Node) bool, allowed func() string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.fail(path, lineOf(n), "must be a mapping of keys to values (got %s)", describe(n))
		return
	}
	var explicit []*ast.MappingValueNode
	for _, kv := range m.Values {
		if kv.Key != nil && kv.Key.IsMergeKey() {
			d.merge(path, kv.Value, merges, set, allowed)
			continue
		}
		explicit = append(explicit, kv)
	}
	for _, kv := range explicit {
		key, ok := keyText(kv.Key)
		if !ok {
			d.fail(path, lineOf(kv.Key), "keys must be plain names (got %s)", describe(kv.Key))
			continue
		}
		p := join(path, key)
		d.record(p, lineOf(kv.Key), kv.Value)
		if !set(key, kv.Key, kv.Value) {
			msg := fmt.Sprintf("unknown key %q", key)
			if s := suggest(key, allowed()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += "; allowed here: " + allowed()
			}
			d.fail(p, lineOf(kv.Key), "%s", msg)
		}
	}
}

// merge applies a "<<" value: one mapping or a list of them, earlier ones
// winning as YAML's merge key specifies.
func (d *decoder) merge(path string, n ast.Node, merges int, set func(string, ast.Node, ast.Node) bool, allowed func() string) {
	if merges >= maxMergeDepth {
		d.fail(path, lineOf(n), "merge keys (<<) nest too deeply or loop")
		return
	}
	line := lineOf(n)
	if name, ok := d.undefinedAlias(n); ok {
		d.fail(path, line, "*%s names no anchor: the file defines no &%s", name, name)
		return
	}
	n = d.resolve(n)
	if seq, ok := n.(*ast.SequenceNode); ok {
		for i := len(seq.Values) - 1; i >= 0; i-- {
			d.merge(path, seq.Values[i], merges+1, set, allowed)
		}
		return
	}
	if _, ok := n.(*ast.MappingNode); !ok {
		d.fail(path, line, "a merge key (<<) must bring in a mapping or a list of mappings (got %s)", describe(n))
		return
	}
	d.mapping(path, n, merges+1, set, allowed)
}

func (d *decoder) record(path string, line int, value ast.Node) {
	r := d.resolve(value)
	raw, _ := scalarText(r)
	k := keyPos{line: line, raw: raw}
	if nn, ok := value.(*ast.NullNode); ok && r == nil && nn.GetToken() != nil {
		if w := nn.GetToken().Value; strings.EqualFold(w, "null") {
			k.null = w
		}
	}
	d.keys[path] = k
}

func (d *decoder) duration(path string, line int, n ast.Node, v reflect.Value) {
	switch t := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		s, _ := scalarText(n)
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == 0 {
			v.SetInt(0)
			return
		}
		d.fail(path, line, "a duration needs a unit: write %q for seconds or %q for minutes (got %q)", s+"s", s+"m", s)
		return
	case *ast.StringNode, *ast.LiteralNode:
		s, _ := scalarText(t)
		dur, err := parseDuration(s)
		if err != nil {
			d.fail(path, line, "%v", err)
			return
		}
		v.SetInt(int64(dur))
		return
	}
	d.fail(path, line, "must be a duration such as \"15m\" or \"1h30m\" (got %s)", describe(n))
}

// parseDuration is time.ParseDuration with messages for the usual slips:
// days, which Go durations lack, and spaces inside.
func parseDuration(s string) (time.Duration, error) {
	dur, err := time.ParseDuration(strings.TrimSpace(s))
	if err == nil {
		return dur, nil
	}
	t := strings.TrimSpace(s)
	if n, perr := strconv.Atoi(strings.TrimSuffix(t, "d")); perr == nil && strings.HasSuffix(t, "d") {
		return 0, fmt.Errorf("durations have no day unit: write %q instead of %q", strconv.Itoa(n*24)+"h", t)
	}
	return 0, fmt.Errorf("%q is not a duration: use a number with a unit among ns, us, ms, s, m, h, e.g. \"15m\" or \"1h30m\"", s)
}

func (d *decoder) byteSize(path string, line int, n ast.Node, v reflect.Value) {
	s, ok := scalarText(n)
	if !ok {
		d.fail(path, line, "must be a size such as \"10MiB\" or a number of bytes (got %s)", describe(n))
		return
	}
	b, err := ParseByteSize(s)
	if err != nil {
		d.fail(path, line, "%v", err)
		return
	}
	v.SetInt(int64(b))
}

func (d *decoder) integer(path string, line int, n ast.Node, v reflect.Value) {
	s, ok := scalarText(n)
	if ok {
		// Quoted numbers are accepted: "50" is no less clear than 50.
		// Base 10 only: "010" is ten, as an operator means it (base 0
		// read it as octal 8, and refused "08").
		// "1_000" as YAML writes thousands.
		digits := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
		if i, err := strconv.ParseInt(digits, 10, 64); err == nil && i >= math.MinInt && i <= math.MaxInt {
			v.SetInt(i)
			return
		}
		d.fail(path, line, "must be a whole number (got %q)", s)
		return
	}
	d.fail(path, line, "must be a whole number (got %s)", describe(n))
}

// boolean accepts true and false, quoted or not and in any case; YAML
// 1.1's yes, no, on and off are refused rather than guessed at, since
// YAML libraries disagree about them.
func (d *decoder) boolean(path string, line int, n ast.Node, v reflect.Value) {
	s, ok := scalarText(n)
	if ok {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			v.SetBool(true)
			return
		case "false":
			v.SetBool(false)
			return
		}
	}
	d.fail(path, line, "must be true or false (got %s)", describe(n))
}

// fieldByTag finds the struct field tagged with key.
func fieldByTag(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" && tag == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func allowedKeys(t reflect.Type) string {
	var keys []string
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyText is a mapping key's name; keys that are lists or mappings are not
// names.
func keyText(k ast.MapKeyNode) (string, bool) {
	var n ast.Node = k
	if mk, ok := k.(*ast.MappingKeyNode); ok {
		n = mk.Value
	}
	return scalarText(n)
}

// scalarText is a scalar as written (unquoted); false for lists, mappings
// and nil.
func scalarText(n ast.Node) (string, bool) {
	switch t := n.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.LiteralNode:
		if t.Value == nil {
			return "", true
		}
		return t.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// describe names what a node is, for messages about the wrong kind.
func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case nil:
		return "nothing"
	}
	if s, ok := scalarText(n); ok {
		return strconv.Quote(s)
	}
	return "a " + strings.ToLower(n.Type().String())
}

func lineOf(n ast.Node) int {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}
