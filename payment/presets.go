package payment

// This file holds the preset rules. Each returns a fresh value, so callers may
// change it freely.

// seq lists buckets: for each timing in ts, the components cs in order.
func seq(ts []Timing, cs ...Component) []Bucket {
	out := make([]Bucket, 0, len(ts)*len(cs))
	for _, t := range ts {
		for _, c := range cs {
			out = append(out, NewBucket(t, c))
		}
	}
	return out
}

func cat(parts ...[]Bucket) []Bucket {
	var out []Bucket
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var (
	pastDueAndDue = []Timing{PastDue, Due}
	inAdvance     = []Timing{InAdvance}
	allTimings    = []Timing{PastDue, Due, InAdvance}
)

// GSEMortgage is the order of the Fannie Mae/Freddie Mac uniform instruments
// dated March 1999 or later (Fannie Mae Servicing Guide F-1-09, C-1.1-01;
// Freddie Mac §8103.7; uniform security instrument §2): each periodic payment,
// oldest first, as interest → principal → escrow, applied only when the whole
// installment can be paid (partial payments held in suspense); then late
// charges, then other fees; extra money is a principal curtailment, which
// changes neither the due date nor the payment. Set ShortfallToleranceMinor
// (up to 5000 = $50) to absorb a small shortfall.
func GSEMortgage() Rules {
	return Rules{
		Default: Order{
			Name:       "gse_mortgage",
			Processing: Horizontal,
			Buckets: cat(
				seq(pastDueAndDue, Interest, Principal, Escrow),
				seq(pastDueAndDue, Penalty),
				seq(pastDueAndDue, Fee),
				seq(inAdvance, Interest, Principal, Escrow, Penalty, Fee),
			),
			Future: NextInstallment,
		},
		Partial: PartialSuspense,
		Extra:   ExtraCurtail,
	}
}

// Consumer is the common consumer-loan order: fees (late charges and other
// fees) first, then the past-due installments' interest, principal and
// escrow, then the current cycle's, each bucket across its installments
// oldest first (vertical); partial payments are applied; extra money
// curtails principal. The past-due tier comes first so that a payment of a
// past-due installment, made within its grace period, pays it rather than
// the interest of the installment not yet due (which would leave it short
// and late).
func Consumer() Rules {
	return Rules{
		Default: Order{
			Name:       "consumer",
			Processing: Vertical,
			Buckets: cat(
				seq(pastDueAndDue, Penalty),
				seq(pastDueAndDue, Fee),
				seq([]Timing{PastDue}, Interest, Principal, Escrow),
				seq([]Timing{Due}, Interest, Principal, Escrow),
				seq(inAdvance, Principal, Interest, Escrow, Penalty, Fee),
			),
			Future: NextInstallment,
		},
		Partial: PartialApply,
		Extra:   ExtraCurtail,
	}
}

// OldestFirst pays installment by installment, oldest first, and inside each
// installment penalty → fee → interest → principal → escrow; partial
// payments are applied; extra money curtails principal.
func OldestFirst() Rules {
	return Rules{
		Default: Order{
			Name:       "oldest_first",
			Processing: Horizontal,
			Buckets:    seq(allTimings, Penalty, Fee, Interest, Principal, Escrow),
			Future:     NextInstallment,
		},
		Partial: PartialApply,
		Extra:   ExtraCurtail,
	}
}

// FineractMifosStandard is Fineract's "mifos-standard-strategy" (Penalties,
// Fees, Interest, Principal order; LANDSCAPE D1): installment by installment,
// oldest first, penalty → fee → interest → principal, money beyond what is
// due paying the next installments ahead. Escrow, which Fineract lacks, comes
// last in each installment.
func FineractMifosStandard() Rules {
	return Rules{
		Default: Order{
			Name:       "fineract_mifos_standard",
			Processing: Horizontal,
			Buckets:    seq(allTimings, Penalty, Fee, Interest, Principal, Escrow),
			Future:     NextInstallment,
		},
		Partial: PartialApply,
		Extra:   ExtraPayAhead,
	}
}

// FineractDuePFIPInAdvancePPFI is Fineract's
// "due-penalty-fee-interest-principal-in-advance-principal-penalty-fee-interest-strategy":
// past-due and due installments penalty → fee → interest → principal, future
// installments principal → penalty → fee → interest (escrow last in each).
func FineractDuePFIPInAdvancePPFI() Rules {
	return Rules{
		Default: Order{
			Name:       "fineract_due_pfip_in_advance_ppfi",
			Processing: Horizontal,
			Buckets: cat(
				seq(pastDueAndDue, Penalty, Fee, Interest, Principal, Escrow),
				seq(inAdvance, Principal, Penalty, Fee, Interest, Escrow),
			),
			Future: NextInstallment,
		},
		Partial: PartialApply,
		Extra:   ExtraPayAhead,
	}
}

// FineractDuePIPFInAdvancePIPF is Fineract's
// "due-penalty-interest-principal-fee-in-advance-penalty-interest-principal-fee-strategy":
// penalty → interest → principal → fee for past-due, due and future
// installments alike (escrow last in each).
func FineractDuePIPFInAdvancePIPF() Rules {
	return Rules{
		Default: Order{
			Name:       "fineract_due_pipf_in_advance_pipf",
			Processing: Horizontal,
			Buckets:    seq(allTimings, Penalty, Interest, Principal, Fee, Escrow),
			Future:     NextInstallment,
		},
		Partial: PartialApply,
		Extra:   ExtraPayAhead,
	}
}

// FineractAdvanced is Fineract's "advanced-payment-allocation-strategy" with
// its default rule order (PAST_DUE_PENALTY, PAST_DUE_FEE, PAST_DUE_PRINCIPAL,
// PAST_DUE_INTEREST, then the same for DUE and IN_ADVANCE; escrow appended to
// each timing), the given processing and future-installment rule (LANDSCAPE
// D2, D4, D5). Add per-transaction-type orders to ByType (D3).
func FineractAdvanced(p Processing, future FutureRule) Rules {
	return Rules{
		Default: Order{
			Name:       "fineract_advanced",
			Processing: p,
			Buckets:    seq(allTimings, Penalty, Fee, Principal, Interest, Escrow),
			Future:     future,
		},
		Partial: PartialApply,
		Extra:   ExtraPayAhead,
	}
}
