package field_test

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/stretchr/testify/require"
)

var errBadTerms = errors.New("pkg: invalid terms")

func TestList(t *testing.T) {
	var l field.List
	require.NoError(t, l.Err(errBadTerms))
	l.Add("Terms.Principal", "-5", field.ErrOutOfRange, "must be positive")
	l.Add("Terms.FirstDueDate", nil, field.ErrRequired, "")
	l.Append(nil)
	err := l.Err(errBadTerms)
	require.ErrorIs(t, err, errBadTerms)
	require.ErrorIs(t, err, field.ErrOutOfRange)
	require.ErrorIs(t, err, field.ErrRequired)
	var fe *field.Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "Terms.Principal", fe.Field)
	require.Equal(t, []string{"Terms.Principal", "Terms.FirstDueDate"}, field.Fields(err))
	require.Equal(t, 2, l.Len())
	require.Contains(t, err.Error(), "Terms.Principal: out of range (-5): must be positive")
}

func TestRebase(t *testing.T) {
	var l field.List
	l.Add("Rules.Extra", "x", field.ErrNotSupported, "")
	l.Add("Rules.Default.Buckets[3]", "y", field.ErrInvalid, "")
	l.Add("RulesOther", 1, field.ErrInvalid, "")
	l.Add("Rules", nil, field.ErrRequired, "")
	err := field.Rebase(l.Err(errBadTerms), "Rules", "Terms.Allocation")
	require.Equal(t, []string{"Terms.Allocation.Extra", "Terms.Allocation.Default.Buckets[3]", "RulesOther", "Terms.Allocation"}, field.Fields(err))
	require.ErrorIs(t, err, field.ErrNotSupported)
	require.NotErrorIs(t, err, errBadTerms, "the callee's sentinel is dropped")
	plain := errors.New("plain")
	require.Equal(t, plain, field.Rebase(plain, "a", "b"))
	require.Len(t, field.Errors(err), 4)
}
