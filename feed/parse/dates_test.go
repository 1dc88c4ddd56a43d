package parse

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone table is checked against the IANA database
)

func TestFixDate(t *testing.T) {
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	gofeedUTC := at("2026-03-02T10:00:00Z") // what gofeed makes of an unknown zone
	tests := []struct {
		raw    string
		parsed *time.Time // gofeed's reading
		want   *time.Time
	}{
		{"Mon, 02 Mar 2026 10:00:00 JST", gofeedUTC, at("2026-03-02T01:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 AEST", gofeedUTC, at("2026-03-02T00:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 ACST", gofeedUTC, at("2026-03-02T00:30:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 HST", gofeedUTC, at("2026-03-02T20:00:00Z")},
		{"Mon, 2 Mar 26 10:00 NZDT", nil, at("2026-03-01T21:00:00Z")},
		{"02 Mar 2026 10:00:00 MSK", gofeedUTC, at("2026-03-02T07:00:00Z")},
		{"Mon Mar  2 10:00:00 KST 2026", gofeedUTC, at("2026-03-02T01:00:00Z")},
		{"Monday, 02-Mar-26 10:00:00 WIB", gofeedUTC, at("2026-03-02T03:00:00Z")},
		{"mon, 02 mar 2026 10:00:00 gmt", nil, at("2026-03-02T10:00:00Z")},
		{"MON, 02 MAR 2026 10:00:00 est", nil, at("2026-03-02T15:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 +0000 (UTC)", nil, at("2026-03-02T10:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 -0500 (EST)", nil, at("2026-03-02T15:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 +05:30 (IST)", nil, at("2026-03-02T04:30:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 +0900 JST", nil, at("2026-03-02T01:00:00Z")},
		{"Mon, 02 March 2026 10:00:00 pm JST", nil, at("2026-03-02T13:00:00Z")},
		{"Tue, 3 Sept 2026 10:00:00 GMT", nil, at("2026-09-03T10:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 (a comment only)", nil, at("2026-03-02T10:00:00Z")},
		// RFC 5322: military zones other than Z mean an unknown offset.
		{"Mon, 02 Mar 2026 10:00:00 A", nil, at("2026-03-02T10:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 z", nil, at("2026-03-02T10:00:00Z")},
		// gofeed's own readings stand where it knows the zone or there is
		// none, and where the zone is unknown or ambiguous.
		{"Mon, 02 Mar 2026 10:00:00 EST", at("2026-03-02T15:00:00Z"), at("2026-03-02T15:00:00Z")},
		{"2026-03-02T10:00:00+09:00", at("2026-03-02T01:00:00Z"), at("2026-03-02T01:00:00Z")},
		{"Mon, 02 Mar 2026 10:00:00 IST", gofeedUTC, gofeedUTC},
		{"Mon, 02 Mar 2026 10:00:00 XYZ", nil, nil},
		{"Mon, 02 Mar 2026 10:00:00 J", nil, nil},
		{"1772445600", nil, nil},
		{"Mo, 02 Mär 2026 10:00:00 +0100", nil, nil},
		{"", nil, nil},
		{"yesterday", nil, nil},
	}
	for _, tt := range tests {
		got := fixDate(tt.raw, tt.parsed)
		switch {
		case got == nil && tt.want == nil:
		case got == nil || tt.want == nil || !got.Equal(*tt.want):
			t.Errorf("fixDate(%q) = %v, want %v", tt.raw, got, tt.want)
		case got.Location() != time.UTC:
			t.Errorf("fixDate(%q) = %v, not UTC", tt.raw, got)
		}
	}
}

// TestZoneOffsetsMatchTZDB checks the zone table against the IANA time zone
// database: each abbreviation taken from it is the one a zone using it
// shows, at that offset, on a day it is in force.
func TestZoneOffsetsMatchTZDB(t *testing.T) {
	winter := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	zones := map[string]struct {
		loc string
		day time.Time
	}{
		"UTC": {"UTC", winter}, "GMT": {"Europe/London", winter},
		"EST": {"America/New_York", winter}, "EDT": {"America/New_York", summer},
		"CST": {"America/Chicago", winter}, "CDT": {"America/Chicago", summer},
		"MST": {"America/Denver", winter}, "MDT": {"America/Denver", summer},
		"PST": {"America/Los_Angeles", winter}, "PDT": {"America/Los_Angeles", summer},
		"WET": {"Europe/Lisbon", winter}, "WEST": {"Europe/Lisbon", summer}, "BST": {"Europe/London", summer},
		"CET": {"Europe/Paris", winter}, "CEST": {"Europe/Paris", summer},
		"EET": {"Europe/Athens", winter}, "EEST": {"Europe/Athens", summer},
		"MSK": {"Europe/Moscow", winter},
		"WAT": {"Africa/Lagos", winter}, "CAT": {"Africa/Maputo", winter},
		"SAST": {"Africa/Johannesburg", winter}, "EAT": {"Africa/Nairobi", winter},
		"PKT": {"Asia/Karachi", winter},
		"WIB": {"Asia/Jakarta", winter}, "WITA": {"Asia/Makassar", winter}, "WIT": {"Asia/Jayapura", winter},
		"HKT": {"Asia/Hong_Kong", winter}, "JST": {"Asia/Tokyo", winter}, "KST": {"Asia/Seoul", winter},
		"AWST": {"Australia/Perth", winter}, "ACST": {"Australia/Darwin", winter},
		"ACDT": {"Australia/Adelaide", winter}, "AEST": {"Australia/Brisbane", winter},
		"AEDT": {"Australia/Sydney", winter},
		"NZST": {"Pacific/Auckland", summer}, "NZDT": {"Pacific/Auckland", winter},
		"HST": {"Pacific/Honolulu", winter}, "AKST": {"America/Anchorage", winter},
		"AKDT": {"America/Anchorage", summer},
		"NST":  {"America/St_Johns", winter}, "NDT": {"America/St_Johns", summer},
	}
	rfc822Only := map[string]bool{"UT": true, "Z": true}
	for abbr, off := range zoneOffsets {
		if rfc822Only[abbr] {
			if off != 0 {
				t.Errorf("%s: offset %d, want 0", abbr, off)
			}
			continue
		}
		z, ok := zones[abbr]
		if !ok {
			t.Errorf("%s: no IANA zone to check it against", abbr)
			continue
		}
		loc, err := time.LoadLocation(z.loc)
		if err != nil {
			t.Fatal(err)
		}
		name, secs := z.day.In(loc).Zone()
		if name != abbr || secs != off*60 {
			t.Errorf("%s: %s shows %s at %+d min, the table says %+d min", abbr, z.loc, name, secs/60, off)
		}
	}
}
