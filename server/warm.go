package server

import (
	"context"
	"errors"
	"fmt"
)

// Warm renders the unified feed's subscription documents (every format)
// at the store's current version, unless they are current already, so that
// the first readers after a change find them ready instead of waiting for
// the render. The daemon calls it after each fetch round, that is right
// after the round's last commit. It changes nothing about what is served:
// it is the rebuild that the next request would have run, through the same
// lock, so a request arriving meanwhile waits for it and shares its result,
// as it would have waited for another request's. It returns the documents'
// build errors, which the next request will meet again.
func (s *Server) Warm(ctx context.Context) error {
	var errs []error
	for i := range formats {
		d := s.unifiedDoc(i)
		if _, err := s.current(ctx, d); err != nil {
			errs = append(errs, fmt.Errorf("warm %s: %w", d.spec.key(), err))
		}
	}
	return errors.Join(errs...)
}
