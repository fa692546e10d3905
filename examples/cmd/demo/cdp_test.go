//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A headless Chromium driven over the Chrome DevTools protocol on a pipe
// (--remote-debugging-pipe: the browser reads commands on its fd 3 and
// writes replies and events on its fd 4, each message JSON ended by a NUL
// byte). No port is opened and nothing but the standard library is needed.

// browserFlags are the flags Chromium runs headless with on a machine
// without a display, a sandbox or a network: no GPU, no first-run or
// background traffic.
var browserFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check",
	"--hide-scrollbars", "--mute-audio", "--force-device-scale-factor=1",
}

// cdpMessage is one protocol message: a reply (ID set) or an event
// (Method set), of the browser or of a page's session.
type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// browser is a running Chromium and its protocol connection.
type browser struct {
	cmd     *exec.Cmd
	toB     *os.File // commands, to the browser's fd 3
	fromB   *os.File // replies and events, from its fd 4
	stderr  lockedBuffer
	exited  chan struct{}
	writeMu sync.Mutex

	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMessage
	events  []cdpMessage
	changed chan struct{} // closed (and replaced) when an event arrives
	readErr error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startBrowser starts Chromium at path headless with a new profile
// directory; the test's cleanup closes it (and kills its process group if
// it does not exit).
func startBrowser(t *testing.T, path string) *browser {
	t.Helper()
	toR, toW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromR, fromW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir()
	args := append(append([]string{}, browserFlags...), "--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	b := &browser{cmd: exec.Command(path, args...), toB: toW, fromB: fromR, exited: make(chan struct{}),
		pending: map[int]chan cdpMessage{}, changed: make(chan struct{})}
	b.cmd.ExtraFiles = []*os.File{toR, fromW} // fd 3, fd 4
	b.cmd.Stdout, b.cmd.Stderr = &b.stderr, &b.stderr
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers share its group
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	toR.Close()
	fromW.Close()
	go func() { _ = b.cmd.Wait(); close(b.exited) }()
	go b.read()
	t.Cleanup(func() {
		b.close()
		if t.Failed() {
			t.Logf("chromium output:\n%s", b.stderr.String())
		}
	})
	return b
}

// read delivers the browser's messages until the pipe closes.
func (b *browser) read() {
	r := bufio.NewReaderSize(b.fromB, 1<<20)
	for {
		raw, err := r.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.readErr = fmt.Errorf("devtools pipe: %w", err)
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			close(b.changed)
			b.changed = make(chan struct{})
			b.mu.Unlock()
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				ch <- m
				delete(b.pending, m.ID)
			}
		} else {
			b.events = append(b.events, m)
			close(b.changed)
			b.changed = make(chan struct{})
		}
		b.mu.Unlock()
	}
}

// call sends method with params (to a page's session, or the browser when
// session is empty) and decodes the reply's result into result (if not
// nil).
func (b *browser) call(ctx context.Context, session, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return b.readErr
	}
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	req := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		req["sessionId"] = session
	}
	data, err := json.Marshal(req)
	if err != nil {
		return err
	}
	b.writeMu.Lock()
	_, err = b.toB.Write(append(data, 0))
	b.writeMu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: %w", method, b.readErr)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// mark is the number of events received so far (waitEvent looks after it).
func (b *browser) mark() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.events)
}

// waitEvent waits for an event after mark for which match is true.
func (b *browser) waitEvent(ctx context.Context, mark int, match func(cdpMessage) bool) (cdpMessage, error) {
	for {
		b.mu.Lock()
		for ; mark < len(b.events); mark++ {
			if m := b.events[mark]; match(m) {
				b.mu.Unlock()
				return m, nil
			}
		}
		ch, err := b.changed, b.readErr
		b.mu.Unlock()
		if err != nil {
			return cdpMessage{}, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return cdpMessage{}, ctx.Err()
		}
	}
}

// sessionEvents is a copy of the events of one page's session.
func (b *browser) sessionEvents(session string) []cdpMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []cdpMessage
	for _, m := range b.events {
		if m.SessionID == session {
			out = append(out, m)
		}
	}
	return out
}

// close asks the browser to exit and kills its process group if it has not
// within ten seconds.
func (b *browser) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = b.call(ctx, "", "Browser.close", nil, nil)
	cancel()
	select {
	case <-b.exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-b.exited
	}
	b.toB.Close()
	b.fromB.Close()
}

// page is one tab, attached with its own session, its console, log,
// runtime and network events recorded from the start.
type page struct {
	b       *browser
	session string
}

// newPage opens a blank tab of width × height CSS pixels (device scale 1).
func (b *browser) newPage(ctx context.Context, width, height int) (*page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	p := &page{b: b, session: attached.SessionID}
	for _, domain := range []string{"Page", "Runtime", "Log", "Network"} {
		if err := b.call(ctx, p.session, domain+".enable", nil, nil); err != nil {
			return nil, err
		}
	}
	err := b.call(ctx, p.session, "Emulation.setDeviceMetricsOverride",
		map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
	return p, err
}

// open navigates to the file at path and waits for its load event.
func (p *page) open(ctx context.Context, path string) error {
	mark := p.b.mark()
	u := url.URL{Scheme: "file", Path: path}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.b.call(ctx, p.session, "Page.navigate", map[string]any{"url": u.String()}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("navigate to %s: %s", u.String(), nav.ErrorText)
	}
	_, err := p.b.waitEvent(ctx, mark, func(m cdpMessage) bool {
		return m.SessionID == p.session && m.Method == "Page.loadEventFired"
	})
	return err
}

// eval evaluates a JavaScript expression in the page (awaiting a promise)
// and decodes its value, which must be JSON-serializable, into result.
func (p *page) eval(ctx context.Context, expr string, result any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := p.b.call(ctx, p.session, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &r)
	if err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("evaluate %q: %s", expr, r.ExceptionDetails.Text)
	}
	return json.Unmarshal(r.Result.Value, result)
}

// screenshot captures the whole page (beyond the viewport) as a PNG.
func (p *page) screenshot(ctx context.Context) ([]byte, image.Image, error) {
	var metrics struct {
		Content struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		} `json:"cssContentSize"`
	}
	if err := p.b.call(ctx, p.session, "Page.getLayoutMetrics", nil, &metrics); err != nil {
		return nil, nil, err
	}
	var shot struct {
		Data string `json:"data"`
	}
	err := p.b.call(ctx, p.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": metrics.Content.Width, "height": metrics.Content.Height, "scale": 1}}, &shot)
	if err != nil {
		return nil, nil, err
	}
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		return nil, nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	return data, img, err
}

// problems lists what went wrong on the page since it was opened: console
// errors and failed assertions, uncaught exceptions, the browser's own
// error log entries (a resource that failed to load, a content security
// policy violation), failed loads, and any request that would leave the
// machine (a scheme other than file: or data:). warnings lists console
// and log warnings.
func (p *page) problems() (problems, warnings []string) {
	for _, m := range p.b.sessionEvents(p.session) {
		switch m.Method {
		case "Runtime.consoleAPICalled":
			var e struct {
				Type string `json:"type"`
				Args []struct {
					Value       any    `json:"value"`
					Description string `json:"description"`
				} `json:"args"`
			}
			if json.Unmarshal(m.Params, &e) != nil {
				problems = append(problems, "unreadable console event: "+string(m.Params))
				continue
			}
			var parts []string
			for _, a := range e.Args {
				if a.Value != nil {
					parts = append(parts, fmt.Sprint(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			msg := fmt.Sprintf("console.%s: %s", e.Type, strings.Join(parts, " "))
			switch e.Type {
			case "error", "assert":
				problems = append(problems, msg)
			case "warning":
				warnings = append(warnings, msg)
			}
		case "Runtime.exceptionThrown":
			var e struct {
				Details struct {
					Text      string `json:"text"`
					Exception struct {
						Description string `json:"description"`
					} `json:"exception"`
				} `json:"exceptionDetails"`
			}
			_ = json.Unmarshal(m.Params, &e)
			problems = append(problems, fmt.Sprintf("uncaught exception: %s %s", e.Details.Text, e.Details.Exception.Description))
		case "Log.entryAdded":
			var e struct {
				Entry struct {
					Level  string `json:"level"`
					Source string `json:"source"`
					Text   string `json:"text"`
					URL    string `json:"url"`
				} `json:"entry"`
			}
			_ = json.Unmarshal(m.Params, &e)
			msg := fmt.Sprintf("log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL)
			switch e.Entry.Level {
			case "error":
				problems = append(problems, msg)
			case "warning":
				warnings = append(warnings, msg)
			}
		case "Network.requestWillBeSent":
			var e struct {
				Request struct {
					URL string `json:"url"`
				} `json:"request"`
			}
			_ = json.Unmarshal(m.Params, &e)
			if u, err := url.Parse(e.Request.URL); err != nil || u.Scheme != "file" && u.Scheme != "data" {
				problems = append(problems, "network request: "+e.Request.URL)
			}
		case "Network.loadingFailed":
			var e struct {
				ErrorText     string `json:"errorText"`
				BlockedReason string `json:"blockedReason"`
			}
			_ = json.Unmarshal(m.Params, &e)
			problems = append(problems, fmt.Sprintf("load failed: %s %s", e.ErrorText, e.BlockedReason))
		case "Inspector.targetCrashed":
			problems = append(problems, "the page crashed")
		}
	}
	return problems, warnings
}

// chromiumPath is the Chromium to test with: SERVICING_CHROMIUM, else one
// on the PATH. Without one the test is skipped, except in CI (CI=true),
// where it fails: there scripts/chromium.sh provides it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SERVICING_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("SERVICING_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const how = "no Chromium: set SERVICING_CHROMIUM or run under ../scripts/chromium.sh (it installs Debian's chromium)"
	if os.Getenv("CI") == "true" {
		t.Fatal(how + "; CI must run the browser test")
	}
	t.Skip(how)
	return ""
}
