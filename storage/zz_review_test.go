package storage

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestZZCompactHangOnDamagedLeaf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tributary.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 400 {
		e := tagged(fmt.Sprintf("e%04d", i), i, []string{"a"}, "x")
		e.Content = string(make([]byte, 300))
		put(t, db, e)
	}
	_ = db.Close()
	// find leaf pages
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var leaves []int
	var psize int
	_ = bdb.View(func(tx *bbolt.Tx) error {
		psize = tx.DB().Info().PageSize
		n := int(tx.Size()) / psize
		for id := 2; id < n; id++ {
			pi, err := tx.Page(id)
			if err != nil || pi == nil {
				continue
			}
			if pi.Type == "leaf" {
				leaves = append(leaves, id)
			}
		}
		return nil
	})
	bdb.Close()
	orig, _ := os.ReadFile(path)
	t.Logf("%d leaves", len(leaves))
	for _, id := range leaves {
		b := append([]byte(nil), orig...)
		// page header: id u64, flags u16
		binary.LittleEndian.PutUint16(b[id*psize+8:], 0x99)
		p := filepath.Join(t.TempDir(), "d.db")
		os.WriteFile(p, b, 0o600)
		s, err := Open(p, Options{ReadOnly: true})
		if err != nil {
			continue
		}
		s.Close()
		done := make(chan error, 1)
		dst := filepath.Join(t.TempDir(), "c.db")
		go func() { done <- Compact(p, dst) }()
		select {
		case err := <-done:
			t.Logf("leaf %d: compact %v", id, err)
		case <-time.After(5 * time.Second):
			t.Fatalf("leaf %d: Compact hangs after a damaged page (Open succeeded)", id)
		}
	}
}
