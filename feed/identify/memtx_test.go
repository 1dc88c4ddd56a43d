package identify

import (
	"encoding/json"
	"time"

	"github.com/tributary/tributary/feed"
)

// memTx is an in-memory feed.Tx with the store's indexing contract: every
// key of every copy maps to its entry, first writer wins.
type memTx struct {
	keys    map[string]string
	entries map[string][]byte
	dead    map[string]bool
	states  map[string]feed.SourceState
	asked   []string // keys Tombstoned was asked about, in order
}

func newMemTx() *memTx {
	return &memTx{keys: map[string]string{}, entries: map[string][]byte{},
		dead: map[string]bool{}, states: map[string]feed.SourceState{}}
}

func (m *memTx) Lookup(key string) (string, error) { return m.keys[key], nil }

func (m *memTx) Entry(id string) (*feed.Entry, error) {
	b, ok := m.entries[id]
	if !ok {
		return nil, feed.ErrNotFound
	}
	var e feed.Entry
	return &e, json.Unmarshal(b, &e)
}

func (m *memTx) PutEntry(e *feed.Entry) error {
	for _, k := range e.Keys() {
		if _, taken := m.keys[k]; !taken {
			m.keys[k] = e.ID
		}
	}
	b, err := json.Marshal(e)
	m.entries[e.ID] = b
	return err
}

func (m *memTx) DeleteEntry(id string) error {
	if _, ok := m.entries[id]; !ok {
		return feed.ErrNotFound
	}
	delete(m.entries, id)
	for k, owner := range m.keys {
		if owner == id {
			delete(m.keys, k)
		}
	}
	return nil
}

func (m *memTx) Similar(fp uint64, maxBits int) ([]string, error) {
	var ids []string
	for id := range m.entries {
		e, _ := m.Entry(id)
		for _, c := range e.Copies {
			if c.Fingerprint != 0 && Distance(c.Fingerprint, fp) <= maxBits {
				ids = append(ids, id)
				break
			}
		}
	}
	return ids, nil
}

func (m *memTx) Tombstoned(key string, _ time.Time) (bool, error) {
	m.asked = append(m.asked, key)
	return m.dead[key], nil
}

func (m *memTx) SourceState(id string) (feed.SourceState, error) {
	st, ok := m.states[id]
	if !ok {
		st.SourceID = id
	}
	return st, nil
}

func (m *memTx) PutSourceState(s feed.SourceState) error {
	m.states[s.SourceID] = s
	return nil
}

var t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
