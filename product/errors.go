package product

import "errors"

// Sentinels of this package. Payload problems also wrap loan.ErrInvalidInput
// (and loan.ErrInvalidTerms when a term is bad), so a host handles a product
// boarding's refusal as it handles any boarding's; every problem is a
// *field.Error with its path.
var (
	// ErrInvalidProduct: a product's definition is bad (Product.Validate,
	// Product.UnmarshalJSON, NewCatalogue, ParseCatalogue).
	ErrInvalidProduct = errors.New("product: invalid product")
	// ErrUnknownProduct: a boarding payload names a product, or a version
	// of one, that the catalogue does not hold.
	ErrUnknownProduct = errors.New("product: unknown product")
)
