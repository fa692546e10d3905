// Package party describes the people on a loan — borrowers, co-borrowers,
// guarantors — with their contact details and preferences: channel,
// language, consent to electronic delivery, do-not-contact windows and
// Servicemembers Civil Relief Act active-duty periods.
//
// It is pure and holds no money: nothing a loan owes depends on a party.
// The engine keeps a party's personal data ([Contact]) out of the loan's
// log and its hashes, in a host's vault, and writes only a reference and
// the names of the fields that changed to the log, so erasing the data
// leaves every balance and hash as it was.
//
// # Representation
//
// A [Party] is the log's part (ID, role); a [Contact] is the vault's part.
// Windows and periods are half-open date ranges [From, To); a zero To is
// open-ended.
//
// # Rounding
//
// No amounts: nothing is rounded.
//
// # Errors
//
// [Contact.Validate] returns an error wrapping [ErrInvalid] naming every
// bad field without echoing personal values (only their lengths).
//
// # Determinism
//
// No clock: [Contact.Blocked] and [Contact.OnActiveDuty] take the day.
package party
