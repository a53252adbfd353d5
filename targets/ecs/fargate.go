package ecs

import (
	"fmt"
	"slices"
	"strings"
)

// fargateMemory lists, for each Fargate CPU value, the allowed memory range
// in MiB and its step (Fargate task size table for Linux tasks).
var fargateMemory = []struct {
	cpu, min, max, step int
}{
	{256, 512, 2048, 0}, // 512, 1024, 2048
	{512, 1024, 4096, 1024},
	{1024, 2048, 8192, 1024},
	{2048, 4096, 16384, 1024},
	{4096, 8192, 30720, 1024},
	{8192, 16384, 61440, 4096},
	{16384, 32768, 122880, 8192},
}

// allowedMemory returns the memory values allowed with cpu, or nil when cpu
// is not a Fargate CPU value.
func allowedMemory(cpu int) []int {
	for _, row := range fargateMemory {
		if row.cpu != cpu {
			continue
		}
		if row.step == 0 {
			return []int{512, 1024, 2048}
		}
		var out []int
		for m := row.min; m <= row.max; m += row.step {
			out = append(out, m)
		}
		return out
	}
	return nil
}

// Completed fills in a size given only in part: with only CPU, the smallest
// memory Fargate allows with it; with only memory, the smallest CPU that
// allows that memory. A size with both (or neither) is returned as it is;
// one that cannot be completed stays incomplete and fails validation.
func (s TaskSize) Completed() TaskSize {
	switch {
	case s.CPU > 0 && s.MemoryMiB == 0:
		if mems := allowedMemory(s.CPU); mems != nil {
			s.MemoryMiB = mems[0]
		}
	case s.MemoryMiB > 0 && s.CPU == 0:
		for _, row := range fargateMemory {
			if slices.Contains(allowedMemory(row.cpu), s.MemoryMiB) {
				s.CPU = row.cpu
				break
			}
		}
	}
	return s
}

// validateTaskSize checks a Fargate CPU/memory pair and returns a message
// naming field and the allowed values, or "".
func validateTaskSize(field string, s TaskSize) string {
	mems := allowedMemory(s.CPU)
	if mems == nil {
		var cpus []string
		for _, row := range fargateMemory {
			cpus = append(cpus, fmt.Sprint(row.cpu))
		}
		return fmt.Sprintf("%s.CPU: %d is not a Fargate CPU value; allowed: %s", field, s.CPU, strings.Join(cpus, ", "))
	}
	for _, m := range mems {
		if m == s.MemoryMiB {
			return ""
		}
	}
	return fmt.Sprintf("%s.MemoryMiB: %d MiB is not allowed with %d CPU; allowed: %s",
		field, s.MemoryMiB, s.CPU, describeRange(mems))
}

// describeRange renders a list of allowed values compactly.
func describeRange(v []int) string {
	if len(v) <= 4 {
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%d to %d in steps of %d", v[0], v[len(v)-1], v[1]-v[0])
}
