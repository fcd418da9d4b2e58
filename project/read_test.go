package project

import "testing"

func TestLoneSurrogateEscapes(t *testing.T) {
	for in, want := range map[string]bool{
		`"\ud800"`:              true,
		`"\uD800x"`:             true,
		`"\udc00"`:              true,
		`"\ud83d\ude00"`:        false,
		`"\uD83D\uDE00 \u0627"`: false,
		`"\\ud800"`:             false,
		`"\\\ud800"`:            true,
		`"\ud800\n"`:            true,
		`"\ud800\u0627"`:        true,
		`"\ud83d\ud83d\ude00"`:  true,
		`"a\u0627b"`:            false,
	} {
		var e escState
		if got := e.scan([]byte(in)); got != want {
			t.Errorf("%s: lone = %v, want %v", in, got, want)
		}
		// The same across reads of one byte.
		var e2 escState
		got := false
		for i := range len(in) {
			got = e2.scan([]byte{in[i]}) || got
		}
		if got != want {
			t.Errorf("%s byte by byte: lone = %v, want %v", in, got, want)
		}
	}
}
