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
