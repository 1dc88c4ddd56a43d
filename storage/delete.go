package storage

import "fmt"

// DeleteEntry removes an entry and every index record that points at it,
// without a tombstone: the identify step uses it when it joins two entries
// that turned out to hold the same article, and immediately puts the joined
// entry, which claims the freed keys.
func (t *tx) DeleteEntry(id string) error {
	if !t.btx.Writable() {
		return fmt.Errorf("delete entry %q: %w", id, ErrReadOnly)
	}
	if _, err := t.removeEntry(id); err != nil {
		return err
	}
	t.wrote = true
	return nil
}
