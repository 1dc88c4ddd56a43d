package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Key is the YAML key path, e.g. "fetch.interval" or "sources[2].url";
	// "" for the file as a whole.
	Key string
	// Line is where Key is written, 0 when it is absent from the file (a
	// required key left out) or the Config was not read from a file.
	Line    int
	Message string

	// near is the line of the closest enclosing key that is written, shown
	// in place of Line when Line is 0.
	near int
}

// ValidationError lists every problem found in a configuration, in file
// order.
type ValidationError struct {
	File     string
	Problems []Problem
}

// Error prints one problem per line, as compilers do:
//
//	config.yaml:12: fetch.interval: must be at least 1m (got "10s")
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.format(p))
	}
	return b.String()
}

func (e *ValidationError) format(p Problem) string {
	var b strings.Builder
	line := p.Line
	if line == 0 {
		line = p.near
	}
	switch {
	case e.File != "" && line > 0:
		b.WriteString(e.File + ":" + strconv.Itoa(line) + ": ")
	case e.File != "":
		b.WriteString(e.File + ": ")
	case line > 0:
		b.WriteString("line " + strconv.Itoa(line) + ": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// sortProblems orders problems as they appear in the file; problems of
// absent keys sort by the line shown for them.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		return shownLine(ps[i]) < shownLine(ps[j])
	})
}

func shownLine(p Problem) int {
	if p.Line > 0 {
		return p.Line
	}
	return p.near
}

// SyntaxError is a file that is not well-formed YAML.
type SyntaxError struct {
	File         string
	Line, Column int
	Message      string
	// Context is the library's rendering of the lines around the error,
	// with a marker under the column; "" when it has none.
	Context string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: YAML syntax error: %s", e.File, e.Line, e.Column, e.Message)
}

// newSyntaxError keeps the position the parser reports: its own message
// embeds it in a "[line:col]" prefix that tools cannot parse.
func newSyntaxError(file string, err error) error {
	se := &SyntaxError{File: file, Message: err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		se.Message = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			se.Line, se.Column = tk.Position.Line, tk.Position.Column
			full := ye.FormatError(false, true)
			if _, ctx, ok := strings.Cut(full, "\n"); ok {
				se.Context = ctx
			}
		}
	}
	return se
}
