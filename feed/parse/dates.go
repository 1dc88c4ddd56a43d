package parse

import (
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// gofeed parses dates with a long list of layouts, but a zone abbreviation
// outside its short table (JST, AEST) comes out as UTC under that name
// (time.Parse's reading of an unknown abbreviation), and it fails on a
// lower-case zone ("gmt") and on a trailing comment ("+0000 (UTC)"). It
// keeps the text it read in Item.Published and Updated: fixDates parses
// that again when gofeed failed or met a zone name it does not know.

// zoneOffsets are the offsets, in minutes east of UTC, of the zone
// abbreviations read in dates. They are RFC 822's (section 5.1: UT, GMT and
// the North American zones; its military letters, whose signs it got
// backwards, mean -0000, an unknown offset, as RFC 5322 section 4.3 says)
// and the abbreviations the IANA time zone database uses for major zones
// and for no other offset (TestZoneOffsetsMatchTZDB checks each against
// it). Ambiguous ones are left out: IST (India, Ireland, Israel), AST
// (Atlantic, Arabia), and CST keeps gofeed's North American reading.
var zoneOffsets = map[string]int{
	// RFC 822.
	"UT": 0, "GMT": 0, "Z": 0,
	"EST": -5 * 60, "EDT": -4 * 60, "CST": -6 * 60, "CDT": -5 * 60,
	"MST": -7 * 60, "MDT": -6 * 60, "PST": -8 * 60, "PDT": -7 * 60,
	// IANA time zone database.
	"UTC": 0,
	"WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 2 * 60, "EET": 2 * 60, "EEST": 3 * 60,
	"MSK": 3 * 60,
	"WAT": 60, "CAT": 2 * 60, "SAST": 2 * 60, "EAT": 3 * 60,
	"PKT": 5 * 60,
	"WIB": 7 * 60, "WITA": 8 * 60, "WIT": 9 * 60,
	"HKT": 8 * 60, "JST": 9 * 60, "KST": 9 * 60,
	"AWST": 8 * 60, "ACST": 9*60 + 30, "ACDT": 10*60 + 30, "AEST": 10 * 60, "AEDT": 11 * 60,
	"NZST": 12 * 60, "NZDT": 13 * 60,
	"HST": -10 * 60, "AKST": -9 * 60, "AKDT": -8 * 60,
	"NST": -(3*60 + 30), "NDT": -(2*60 + 30),
}

// gofeedZones are the abbreviations gofeed v1.4.2 itself gives their
// offsets (its timezoneAbbreviations): a date it parsed with one of them
// is right.
var gofeedZones = map[string]bool{
	"UT": true, "GMT": true, "UTC": true, "EST": true, "EDT": true, "CST": true, "CDT": true,
	"MST": true, "MDT": true, "PST": true, "PDT": true, "WET": true, "WEST": true, "BST": true,
	"CET": true, "CEST": true, "EET": true, "EEST": true, "Z": true,
}

// militaryZone reports whether s is one of RFC 822's single-letter zones
// other than Z (J is not one).
func militaryZone(s string) bool {
	return len(s) == 1 && s[0] >= 'A' && s[0] <= 'Y' && s[0] != 'J'
}

// fixDates parses again the dates of f and its items that gofeed could not
// read or read with a zone it does not know.
func fixDates(f *gofeed.Feed) {
	f.PublishedParsed = fixDate(f.Published, f.PublishedParsed)
	f.UpdatedParsed = fixDate(f.Updated, f.UpdatedParsed)
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		it.PublishedParsed = fixDate(it.Published, it.PublishedParsed)
		it.UpdatedParsed = fixDate(it.Updated, it.UpdatedParsed)
	}
}

// fixDate returns the time the date text raw stands for when gofeed's
// reading of it, parsed, is missing or used a zone name it does not know,
// else parsed.
func fixDate(raw string, parsed *time.Time) *time.Time {
	if strings.TrimSpace(raw) == "" {
		return parsed
	}
	d, ok := splitDate(raw)
	if !ok || parsed != nil && (d.zoneName == "" || gofeedZones[d.zoneName]) {
		return parsed
	}
	if t, ok := d.parse(); ok {
		return &t
	}
	return parsed
}

// dateText is a date in the RFC 822 family, made regular: comments and the
// weekday dropped, month names short, the zone numeric.
type dateText struct {
	fields   []string // without the zone
	zone     string   // "+0900"
	zoneName string   // the abbreviation the zone was written as, upper case
}

// splitDate makes s regular; ok is false when s holds a zone name that is
// not known, or no time of day.
func splitDate(s string) (dateText, bool) {
	var d dateText
	s = strings.TrimSpace(s)
	// RFC 822 comments: "+0000 (UTC)", "(Coordinated Universal Time)".
	for strings.HasSuffix(s, ")") {
		i := strings.LastIndexByte(s, '(')
		if i < 0 {
			break
		}
		s = strings.TrimSpace(s[:i])
	}
	fields := strings.Fields(s)
	timeAt := -1
	for i, f := range fields {
		if strings.Count(f, ":") >= 1 && f[0] >= '0' && f[0] <= '9' {
			timeAt = i
			break
		}
	}
	if timeAt < 0 {
		return d, false
	}
	for i, f := range fields {
		word := strings.TrimRight(f, ",.")
		lower := strings.ToLower(word)
		switch {
		case i == 0 && isWeekday(lower):
			continue
		case i < timeAt && monthAbbrev(lower) != "":
			d.fields = append(d.fields, monthAbbrev(lower)+f[len(word):])
			continue
		case i > timeAt && (lower == "am" || lower == "pm"):
			d.fields = append(d.fields, strings.ToUpper(lower))
			continue
		case i > timeAt && isLetters(word) && d.zone != "" && knownZone(word):
			continue // a name after the offset: "+0900 JST"
		case i > timeAt && isLetters(word) && d.zone == "":
			name := strings.ToUpper(word)
			off, known := zoneOffsets[name]
			if !known && !militaryZone(name) {
				return d, false
			}
			d.zone, d.zoneName = formatOffset(off), name
			continue
		case i > timeAt && d.zone == "" && isNumericZone(word):
			d.zone = strings.Replace(word, ":", "", 1)
			continue
		}
		d.fields = append(d.fields, f)
	}
	if d.zone == "" {
		d.zone = "+0000" // as gofeed reads a date without a zone
	}
	return d, true
}

// dateLayouts are what a regular date (see dateText) is parsed with: RFC
// 822 and 1123 with and without seconds and with two-digit years, RFC 850,
// ANSI C's asctime and Unix date. Go matches month names and AM/PM
// regardless of case.
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2 Jan 2006 3:04:05 PM -0700",
	"2 Jan 2006 3:04 PM -0700",
	"2-Jan-06 15:04:05 -0700",
	"2-Jan-2006 15:04:05 -0700",
	"Jan 2 15:04:05 2006 -0700",
	"Jan 2 2006 15:04:05 -0700",
	"Jan 2, 2006 15:04:05 -0700",
	"Jan 2, 2006 3:04:05 PM -0700",
	"Jan 2, 2006 3:04 PM -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04 -0700",
}

// parse reads a regular date, in UTC as gofeed gives dates.
func (d dateText) parse() (time.Time, bool) {
	s := strings.Join(d.fields, " ") + " " + d.zone
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// knownZone reports whether word is a zone abbreviation of zoneOffsets.
func knownZone(word string) bool {
	_, ok := zoneOffsets[strings.ToUpper(word)]
	return ok
}

func formatOffset(minutes int) string {
	sign := '+'
	if minutes < 0 {
		sign, minutes = '-', -minutes
	}
	return fmt.Sprintf("%c%02d%02d", sign, minutes/60, minutes%60)
}

// isNumericZone reports whether s is an offset: +hhmm, -hhmm, +hh:mm.
func isNumericZone(s string) bool {
	if len(s) != 5 && len(s) != 6 || s[0] != '+' && s[0] != '-' {
		return false
	}
	digits := strings.Replace(s[1:], ":", "", 1)
	if len(digits) != 4 || len(s) == 6 && s[3] != ':' {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// isWeekday reports whether a lower-case word is an English weekday, full
// or cut to three letters or more.
func isWeekday(w string) bool {
	if len(w) < 3 {
		return false
	}
	for _, d := range weekdays {
		if strings.HasPrefix(d, w) {
			return true
		}
	}
	return false
}

var months = []string{"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december"}

// monthAbbrev returns the three-letter name of a lower-case English month
// name, full or cut to three letters or more ("sept"), "" for other words.
func monthAbbrev(w string) string {
	if len(w) < 3 {
		return ""
	}
	for _, m := range months {
		if strings.HasPrefix(m, w) {
			return strings.ToUpper(m[:1]) + m[1:3]
		}
	}
	return ""
}
