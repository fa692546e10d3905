package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib"
	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// payload is a 30-year fixed mortgage on 30/360 funded 15 Jan 2024, first
// due 1 Mar 2024, delinquent from 1 day past due, a 5% late fee after 15
// days of grace; the principal varies by loan.
const payload = `{
  "terms": {
    "currency": "USD", "principal": "%d.00", "annual_rate": "6%%", "installments": 360,
    "frequency": {"unit": "month", "every": 1}, "eom": "anchor",
    "funding_date": "2024-01-15", "first_due_date": "2024-03-01",
    "shape": "level", "interest_method": "periodic", "odd_first_period": "prepaid",
    "day_count": {"convention": "30U_360_EOM"},
    "interest_rounding": "half_away_from_zero", "payment_rounding": "half_away_from_zero",
    "accrual": "scheduled", "escrow_payment": "0.00",
    "delinquency": {
      "recognition": "full", "method": "days_past_due",
      "late_fee": {"grace_days": 15, "method": "percent_piti", "percent_basis_points": 500, "rounding": "half_away_from_zero"},
      "status": {"delinquent_days": 1, "default_days": 90, "non_accrual_days": 90, "charge_off_days": 120, "charge_off": "regular"}
    }
  },
  "borrower": "B-%06d", "los_reference": "LOS-%06d"
}`

// loanName is loan i's id; zero-padded so the id order is the number order.
func loanName(i int) servicing.LoanID { return servicing.LoanID(fmt.Sprintf("LN-%06d", i)) }

// paysOnTime: every third borrower pays the first installment on its due
// date; the others do not pay, so by 17 Mar 2024 each of them has gone
// delinquent (2 Mar) and been charged a late fee (17 Mar): two domain
// events each.
func paysOnTime(i int) bool { return i%3 == 0 }

// board creates the schema, the demonstration consumer's tables and the
// portfolio; loans already boarded are skipped (idempotency keys).
func (c config) board(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("board", flag.ExitOnError)
	n := fs.Int("loans", 300, "number of loans")
	par := fs.Int("parallel", 8, "concurrent boardings")
	_ = fs.Parse(args)
	if c.schema != "" {
		db, err := sql.Open("pgx", c.dsn)
		if err != nil {
			return err
		}
		_, err = db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+c.schema)
		_ = db.Close()
		if err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	st, err := sqlstore.OpenPostgres(ctx, c.conn())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS scaleout_deliveries (n BIGSERIAL PRIMARY KEY, outbox_id TEXT NOT NULL,
			loan_id TEXT NOT NULL, version BIGINT NOT NULL, idx INTEGER NOT NULL, type TEXT NOT NULL, worker TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS scaleout_seen (outbox_id TEXT PRIMARY KEY)`,
	} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			return fmt.Errorf("consumer tables: %w", err)
		}
	}
	e, err := servicing.New(servicing.Config{Store: st, Now: clock})
	if err != nil {
		return err
	}
	due := date.New(2024, 3, 1)
	var wg sync.WaitGroup
	errs := make([]error, *par)
	for w := range *par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < *n; i += *par {
				if err := boardOne(ctx, e, i, due); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Printf("boarded %d loans (%d pay on time)\n", *n, (*n+2)/3)
	return nil
}

func boardOne(ctx context.Context, e *servicing.Engine, i int, due date.Date) error {
	id := loanName(i)
	req, err := loan.ParseBoarding(fmt.Appendf(nil, payload, 100000+1000*i, i, i))
	if err != nil {
		return fmt.Errorf("loan %s: %w", id, err)
	}
	if _, err := e.Board(ctx, id, req, servicing.Meta{IdempotencyKey: "board", Actor: "worker"}); err != nil {
		return err
	}
	if !paysOnTime(i) {
		return nil
	}
	s, err := e.State(ctx, id, due)
	if err != nil {
		return err
	}
	_, err = e.PostPayment(ctx, id, due, s.Payment, servicing.Meta{IdempotencyKey: "pay-1", Actor: "worker"})
	return err
}

// drop drops the -schema with everything in it.
func (c config) drop(ctx context.Context) (err error) {
	if c.schema == "" {
		return errors.New("drop needs -schema")
	}
	db, err := sql.Open("pgx", c.dsn)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	_, err = db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+c.schema+` CASCADE`)
	return err
}
