package servicing

// Plain turns off e's head states and its in-memory split of backdated
// folds: the engine the fast paths are held equal to.
func Plain(e *Engine) {
	e.heads = newHeadCache(-1)
	e.noSplit = true
}
