package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rickb777/date/v2"
)

// CloseDay implements [servicing.DayCloser]: a row of day_closes. The
// engine calls it after every loan's commit of the day returned, so on
// SQLite the group writer has nothing of the day left to write.
func (s *Store) CloseDay(ctx context.Context, on date.Date, loans [32]byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, s.d.q(`INSERT INTO day_closes (business_day, loans) VALUES (?, ?) ON CONFLICT (business_day, loans) DO NOTHING`), int64(on), loans[:])
	if err != nil {
		return fmt.Errorf("sqlstore: close day %s: %w", on, ctxErr(ctx, err))
	}
	return nil
}

// DayClosed implements [servicing.DayCloser].
func (s *Store) DayClosed(ctx context.Context, on date.Date, loans [32]byte) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var one int
	err := s.read.QueryRowContext(ctx, s.d.q(`SELECT 1 FROM day_closes WHERE business_day = ? AND loans = ?`), int64(on), loans[:]).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("sqlstore: day %s closed: %w", on, ctxErr(ctx, err))
	}
	return true, nil
}
