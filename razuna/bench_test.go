package razuna

import "testing"

// BenchmarkParseReply measures the decoding of a getuser reply, bare and wrapped in WDDX.
func BenchmarkParseReply(b *testing.B) {
	for _, bm := range []struct{ name, body string }{{"plain", plainUmlaut}, {"wddx", wddxUmlaut}} {
		b.Run(bm.name, func(b *testing.B) {
			body := []byte(bm.body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseReply(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
