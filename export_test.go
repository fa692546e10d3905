package servicing

import "sync/atomic"

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

// FoldQuietDays makes e fold every end of day on a day-close store instead
// of answering the days its heads know to be quiet without a fold: the
// engine quietDay is held equal to.
func FoldQuietDays(e *Engine) { e.noQuiet = true }

// CountQuietDays makes e count in n the ends of day it answers without a
// fold.
func CountQuietDays(e *Engine, n *atomic.Int64) { e.quietAnswered = n }
