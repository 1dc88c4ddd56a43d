package storage

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// survive turns a panic of bbolt on a damaged file, or a fault reading its
// mapping, into ErrDamaged in *err. bbolt checks its pages with assertions
// that panic, and a page past the end of a file cut short faults; either
// would otherwise end the whole process. Deferred by every transaction and
// by Open, with faults made recoverable for the calling goroutine (see
// debug.SetPanicOnFault) until it returns. Any other panic is a bug, not
// the file's: it goes on, with its stack, rather than tell the operator to
// restore a backup.
func survive(path string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	if !damage(r, debug.Stack()) {
		panic(r)
	}
	*err = fmt.Errorf("%s: %w (%s)", path, ErrDamaged, panicDetail(r))
}

// panicDetail words a panic that damage recognised, for the brackets after
// ErrDamaged: the runtime's text alone ("invalid memory address or nil
// pointer dereference") would read as a crash of Tributary's own.
func panicDetail(r any) string {
	if fault(r) {
		// The runtime's words ("invalid memory address or nil pointer
		// dereference") would read as a crash of Tributary's own.
		return "a page it refers to lies outside the file"
	}
	return fmt.Sprintf("bbolt: %v", r)
}

// fault reports whether a panic is a fault on the file's mapping
// (SetPanicOnFault gives those an address; a nil dereference has none).
func fault(r any) bool {
	f, ok := r.(interface{ Addr() uintptr })
	return ok && f.Addr() >= 4096
}

// damage reports whether a panic comes from reading a damaged file: a
// fault on the mapping (SetPanicOnFault gives those an address; a nil
// dereference has none), or a panic raised inside bbolt, by its page
// checks or by an index that a page which is not what it says put out of
// range.
func damage(r any, stack []byte) bool {
	return fault(r) || raisedIn(string(stack), "go.etcd.io/bbolt")
}

// raisedIn reports whether the first function below the panic in a
// goroutine's stack (as debug.Stack prints it), the runtime's aside, is one
// of module pkg's (its own package or one below it).
func raisedIn(stack, pkg string) bool {
	lines := strings.Split(stack, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "panic(") {
			continue
		}
		for _, f := range lines[i+1:] {
			if strings.HasPrefix(f, "\t") || strings.HasPrefix(f, "runtime.") {
				continue
			}
			return strings.HasPrefix(f, pkg+".") || strings.HasPrefix(f, pkg+"/")
		}
	}
	return false
}
