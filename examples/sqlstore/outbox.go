package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	servicing "github.com/lendcore/servicing"
)

// outboxStatements are the outbox's queries (prepared with the others).
const (
	insertOutboxSQL  = `INSERT INTO outbox (loan_id, version, idx, body) VALUES (?, ?, ?, ?)`
	pendingOutboxSQL = `SELECT position, loan_id, version, idx, body FROM outbox WHERE acked = FALSE ORDER BY position LIMIT ?`
	ackOutboxSQL     = `UPDATE outbox SET acked = TRUE WHERE loan_id = ? AND version = ? AND idx = ? AND acked = FALSE`
)

// insertOutbox writes the batch's outbox records inside the commit's
// transaction, numbered (loan, newVersion, i).
func (s *Store) insertOutbox(ctx context.Context, tx *sql.Tx, id string, newVersion int64, b servicing.Batch) error {
	if len(b.Outbox) == 0 {
		return nil
	}
	st := tx.StmtContext(ctx, s.insertOutboxSt)
	for i, ev := range b.Outbox {
		body, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("sqlstore: commit loan %q: outbox record %d: %w: %w", id, i, servicing.ErrInvalidBatch, err)
		}
		var arg any = body
		if s.d.dollar {
			arg = string(body) // jsonb takes text
		}
		if _, err := st.ExecContext(ctx, id, newVersion, i, arg); err != nil {
			return fmt.Errorf("sqlstore: commit loan %q: outbox record %d: %w", id, i, ctxErr(ctx, err))
		}
	}
	return nil
}

// PendingOutbox implements [servicing.OutboxReader].
func (s *Store) PendingOutbox(ctx context.Context, limit int) (_ []servicing.OutboxRecord, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []servicing.OutboxRecord{}
	if limit <= 0 {
		return out, nil
	}
	rows, err := s.pendingOutboxSt.QueryContext(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: pending outbox: %w", ctxErr(ctx, err))
	}
	defer closeRows(rows, &err)
	var body []byte
	for rows.Next() {
		var r servicing.OutboxRecord
		var loanID string
		if err := rows.Scan(&r.Position, &loanID, &r.ID.Version, &r.ID.Index, &body); err != nil {
			return nil, fmt.Errorf("sqlstore: pending outbox: %w", ctxErr(ctx, err))
		}
		r.ID.Loan = servicing.LoanID(loanID)
		if err := json.Unmarshal(body, &r.Event); err != nil {
			return nil, fmt.Errorf("sqlstore: decode outbox record %s: %w", r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: pending outbox: %w", ctxErr(ctx, err))
	}
	return out, nil
}

// AckOutbox implements [servicing.OutboxReader]: one transaction for all
// of ids.
func (s *Store) AckOutbox(ctx context.Context, ids []servicing.OutboxID) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: ack outbox: begin: %w", ctxErr(ctx, err))
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	st := tx.StmtContext(ctx, s.ackOutboxSt)
	for _, id := range ids {
		if _, err := st.ExecContext(ctx, string(id.Loan), id.Version, id.Index); err != nil {
			return fmt.Errorf("sqlstore: ack outbox %s: %w", id, ctxErr(ctx, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: ack outbox: commit: %w", ctxErr(ctx, err))
	}
	return nil
}
