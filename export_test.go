package servicing

// Plain turns off e's head states and its in-memory split of backdated
// folds: the engine the fast paths are held equal to.
func Plain(e *Engine) {
	e.heads = newHeadCache(-1)
	e.noSplit = true
}

// FoldInPieces makes a backdated fold of at least 2n events keep a
// snapshot every n or more events (the engine's default is 32), so short
// test histories reach the snapshot path.
func FoldInPieces(e *Engine, n int) { e.pieceEvents = n }
