package storage

// The external benchmarks weigh the codec against alternatives.
var (
	EncodeEntry = encodeEntry
	DecodeEntry = decodeEntry
)
