package ecs

import (
	"slices"
	"testing"
)

func TestShellCommand(t *testing.T) {
	cases := []struct {
		in   [][]string
		want []string
	}{
		{[][]string{{"python", "manage.py", "migrate"}}, []string{"python", "manage.py", "migrate"}},
		// The last command replaces the shell: it gets the stop signal as PID 1.
		{[][]string{{"a", "b c"}, {"d", "it's"}}, []string{"sh", "-c", `a 'b c' && exec d 'it'\''s'`}},
		{[][]string{{"echo", "$HOME;rm"}, {"x"}}, []string{"sh", "-c", `echo '$HOME;rm' && exec x`}},
		{nil, []string{"true"}},
	}
	for _, c := range cases {
		if got := shellCommand(c.in); !slices.Equal(got, c.want) {
			t.Errorf("shellCommand(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAllowedMemoryTable(t *testing.T) {
	if got := allowedMemory(256); !slices.Equal(got, []int{512, 1024, 2048}) {
		t.Errorf("256: %v", got)
	}
	if got := allowedMemory(8192); got[0] != 16384 || got[len(got)-1] != 61440 || got[1]-got[0] != 4096 {
		t.Errorf("8192: %v", got)
	}
	if allowedMemory(333) != nil {
		t.Error("333 is not a Fargate CPU value")
	}
}
