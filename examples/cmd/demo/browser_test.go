//go:build unix

package main

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pageInfo is what the report page holds once loaded, as its DOM tells.
type pageInfo struct {
	Title  string `json:"title"`
	SVGs   int    `json:"svgs"`
	Font   bool   `json:"font"` // the embedded Liberation Sans is loaded
	Charts []struct {
		ID    string  `json:"id"`
		Title string  `json:"title"`
		Label string  `json:"label"` // the svg's aria-label
		Texts int     `json:"texts"` // text elements in the svg
		X     float64 `json:"x"`     // the svg's box in page pixels
		Y     float64 `json:"y"`
		W     float64 `json:"w"`
		H     float64 `json:"h"`
	} `json:"charts"`
}

const pageInfoJS = `document.fonts.ready.then(() => ({
  title: document.title,
  svgs: document.querySelectorAll('svg').length,
  font: [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Liberation Sans' && f.status === 'loaded'),
  charts: [...document.querySelectorAll('figure')].map(f => {
    const s = f.querySelector('svg.chart');
    const r = s ? s.getBoundingClientRect() : {x: 0, y: 0, width: 0, height: 0};
    return {id: f.id, title: (f.querySelector('h2') || {}).textContent || '', label: s ? s.getAttribute('aria-label') : '',
      texts: s ? s.querySelectorAll('text').length : 0, x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height};
  }),
}))`

// The HTML report opened from disk in headless Chromium loads with no
// console error, no failed load and no network request, its embedded font
// in use; every chart is in the DOM with its title and a full-page
// screenshot shows each one drawn. Two doctored copies prove the detector:
// one with a console.error, an uncaught exception and a missing image
// (its content security policy removed so its scripts run), one asking a
// CDN for an image, which the report's policy refuses.
func TestReportInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	path := smallRun(t).report
	html, err := os.ReadFile(path)
	require.NoError(t, err)
	doctor := func(name string, dropPolicy bool, inject string) string {
		s := string(html)
		if dropPolicy {
			i := strings.Index(s, `<meta http-equiv="Content-Security-Policy"`)
			require.GreaterOrEqual(t, i, 0, "the report has no content security policy")
			s = s[:i] + s[i+strings.Index(s[i:], ">")+1:]
		}
		s = strings.Replace(s, "</body>", inject+"</body>", 1)
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
		return p
	}
	scripted := doctor("probe-console.html", true, `<script>console.error("probe: console.error reached the detector")</script>`+
		`<script>throw new Error("probe: uncaught exception")</script><img src="probe-missing.png" alt="">`)
	network := doctor("probe-network.html", false, `<img src="https://cdn.example.invalid/probe.png" alt="">`)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := startBrowser(t, chromium)
	open := func(file string) *page {
		p, err := b.newPage(ctx, 1100, 900)
		require.NoError(t, err)
		require.NoError(t, p.open(ctx, file))
		var info pageInfo // waits for the fonts, as the report's check does
		require.NoError(t, p.eval(ctx, pageInfoJS, &info))
		return p
	}

	// The detector catches what it must.
	problems, _ := open(scripted).problems()
	joined := strings.Join(problems, "\n")
	t.Logf("caught on %s:\n%s", filepath.Base(scripted), joined)
	require.Contains(t, joined, "console.error: probe: console.error reached the detector", joined)
	require.Contains(t, joined, "probe: uncaught exception", joined)
	require.Contains(t, joined, "probe-missing.png", joined)
	problems, _ = open(network).problems()
	joined = strings.Join(problems, "\n")
	t.Logf("caught on %s:\n%s", filepath.Base(network), joined)
	require.Contains(t, joined, "cdn.example.invalid", "the page's policy lets a CDN image through unnoticed:\n%s", joined)

	// The report itself.
	p := open(path)
	var info pageInfo
	require.NoError(t, p.eval(ctx, pageInfoJS, &info))
	problems, warnings := p.problems()
	require.Empty(t, problems, "the report's page reported problems")
	for _, w := range warnings {
		t.Logf("warning: %s", w)
	}
	require.Equal(t, "Loan portfolio report", info.Title)
	require.True(t, info.Font, "the embedded font is not in use")
	wantCharts := map[string]string{
		"delinquency": "Delinquency by bucket over time", "roll-rates": "Roll-rate matrix",
		"cpr-cdr": "Prepayment and default rates (CPR, CDR)", "vintages": "Vintage curves", "amortization": "Amortization of loan",
	}
	require.Len(t, info.Charts, len(wantCharts))
	require.Equal(t, len(wantCharts), info.SVGs)
	for _, c := range info.Charts {
		title, ok := wantCharts[c.ID]
		require.True(t, ok, "unexpected chart %q", c.ID)
		require.True(t, strings.HasPrefix(c.Title, title), "chart %s is titled %q", c.ID, c.Title)
		require.NotEmpty(t, c.Label, c.ID)
		require.Greater(t, c.Texts, 10, "chart %s has %d texts (axis labels, ticks, legend)", c.ID, c.Texts)
		require.Greater(t, c.W, 600.0, c.ID)
		require.Greater(t, c.H, 250.0, c.ID)
	}

	data, img, err := p.screenshot(ctx)
	require.NoError(t, err)
	shot := filepath.Join(dir, "report.png")
	if keep := os.Getenv("SERVICING_SCREENSHOT"); keep != "" {
		shot = keep // keep the screenshot where asked
	}
	require.NoError(t, os.WriteFile(shot, data, 0o644))
	t.Logf("screenshot %s (%d KB, %dx%d)", shot, len(data)/1024, img.Bounds().Dx(), img.Bounds().Dy())
	inked, colors := ink(img, img.Bounds())
	require.Greater(t, colors, 50, "the screenshot is nearly blank")
	require.Greater(t, inked, 0.05, "the screenshot is nearly blank")
	for _, c := range info.Charts {
		r := image.Rect(int(c.X), int(c.Y), int(c.X+c.W), int(c.Y+c.H))
		require.True(t, r.In(img.Bounds()), "chart %s at %v is outside the screenshot %v", c.ID, r, img.Bounds())
		inked, colors := ink(img, r)
		require.Greater(t, colors, 8, "chart %s shows too few colours: not drawn?", c.ID)
		require.Greater(t, inked, 0.02, "chart %s is nearly blank", c.ID)
	}
}

// ink is the share of the pixels of r in img that are not near-white, and
// how many distinct colours r holds (at 4 bits a channel).
func ink(img image.Image, r image.Rectangle) (float64, int) {
	colors := map[uint32]bool{}
	inked, n := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			colors[cr>>12<<8|cg>>12<<4|cb>>12] = true
			if cr < 0xe800 || cg < 0xe800 || cb < 0xe800 {
				inked++
			}
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(inked) / float64(n), len(colors)
}
