package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress shows how far a long job is on w: on a terminal, one bar
// redrawn in place (log lines written through it go above the bar); on
// anything else, a plain line each time another tenth is done, which reads
// well in a log file or a cron mail. It is safe for concurrent use.
type progress struct {
	w     io.Writer
	tty   bool
	label string
	total int

	mu       sync.Mutex
	done     int
	tenths   int       // plain mode: the last tenth reported
	last     string    // tty: the item shown on the bar
	drawn    bool      // tty: a bar is on screen
	lastDraw time.Time // tty: redraws are limited to 10 a second
	now      func() time.Time
}

// barWidth is the number of cells of the bar; the line stays within 80
// columns with a label and a short item name.
const barWidth = 24

func newProgress(w io.Writer, tty bool, label string, total int) *progress {
	return &progress{w: w, tty: tty, label: label, total: max(total, 1), now: time.Now}
}

// step records one more item done; item names it on the bar.
func (p *progress) step(item string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = min(p.done+1, p.total)
	if !p.tty {
		if t := p.done * 10 / p.total; t > p.tenths || p.done == p.total {
			p.tenths = t
			fmt.Fprintf(p.w, "%s: %d/%d (%d%%)\n", p.label, p.done, p.total, p.done*100/p.total)
		}
		return
	}
	p.last = item
	if now := p.now(); p.done == p.total || now.Sub(p.lastDraw) >= 100*time.Millisecond {
		p.lastDraw = now
		p.draw()
	}
}

// draw writes the bar over the current line. Called with mu held.
func (p *progress) draw() {
	filled := p.done * barWidth / p.total
	item := p.last
	if r := []rune(item); len(r) > 30 {
		item = string(r[:29]) + "…"
	}
	fmt.Fprintf(p.w, "\r\033[K%s [%s%s] %d/%d %s", p.label,
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), p.done, p.total, item)
	p.drawn = true
}

// Write lets log output pass without tearing the bar: the bar is cleared,
// the text written, and the bar drawn again below it.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
	n, err := p.w.Write(b)
	if p.tty && p.drawn {
		p.draw()
	}
	return n, err
}

// terminal tells newLogger that log lines written through p reach a
// terminal when the bar does.
func (p *progress) terminal() bool { return p.tty }

// finish removes the bar, leaving the terminal as it was.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
