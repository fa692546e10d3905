package party_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/party"
	"github.com/rickb777/date/v2"
)

// A change of e-mail is logged as the field's name, never its value; a
// do-not-contact window blocks every channel while it lasts.
func ExampleChanged() {
	old := party.Contact{Name: "A. Borrower", Email: "a@example.com"}
	now := old
	now.Email = "a@example.org"
	now.DoNotContact = []party.Window{{From: date.New(2025, time.March, 1), To: date.New(2025, time.April, 1)}}
	fmt.Println(party.Changed(old, now))
	fmt.Println(now.Blocked(date.New(2025, time.March, 15), party.Phone), now.Blocked(date.New(2025, time.April, 1), party.Phone))
	// Output:
	// [email do_not_contact]
	// true false
}
